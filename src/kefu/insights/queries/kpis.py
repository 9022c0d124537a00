"""KPI-1: one definition per KPI, read from the daily facts only (insights.models.kpis).

Public interface (kept stable for the dashboards, appraisal and reports):

    KPIS: tuple[Kpi, ...]                      every KPI, in display order
    kpi(code) -> Kpi                           one definition (KeyError if unknown)
    period_of(kind="month", day=None) -> Period     day | week | month | quarter containing `day`
    scope_of(actor, *, unit=None, agent=None) -> Scope   checked against the reader's data scope
                                               (`kpi.view`); out of scope → NotFound
    values(actor, scope, period, *, bases=None) -> list[Value]    every KPI (two statements);
                                               bases: {"complaint_rate": "external", …}
    parse_bases("complaint_rate:external,…") -> dict   the same, from a query parameter
    value(actor, code, scope, period, *, base=None) -> Value
    by_day(actor, code, scope, period, *, base=None) -> list[tuple[date, Value]]   a trend
    drill(actor, code, scope, period, *, base=None, after=0, limit=50) -> Drill    the records
                                               behind a value, key-set paged by case id
    target(kpi, unit=None) -> Entry | None     the pack's target (None when the pack has none)
    register_source(code, tally, drill=None, per_agent=None)   QA score and reporting timeliness
                                               come from other apps (quality, insights reports):
                                               until a source is registered their values say
                                               "no data"; `per_agent` answers for many agents at
                                               once (the 按坐席 chart, insights.queries.cards)

The definitions (numerator / denominator; the day a case counts on; target key in the pack):

    satisfaction          current customer answers 满意 / current customer answers (one per case,
                          sources link, status page, phone, revisit: followups.queries.satisfaction,
                          THE definition); answer day; kpi.satisfaction_min
    complaint_rate        complaints received / cases received [received] or cases from customers,
                          internal reports left out [external]; receipt day; kpi.complaint_rate_max
    resolution_rate       cases received that are resolved (answered, not reopened since) / cases
                          received; receipt day; kpi.resolution_rate_min
    revisit_rate          closed cases with a revisit that reached the customer / closed cases
                          [closed] or closed cases with a revisit planned [planned]; closing day
    on_time_closure       closed cases whose resolution clock never breached / closed cases
    first_response        minutes from receipt to the first answer, summed / cases answered
                          (minutes, lower is better); first-answer day
    sla_attainment        SLA clocks (first response, resolution, on site) of closed cases that
                          ended unbreached / those that ended; closing day
    reopen_rate           closed cases reopened at least once / closed cases; closing day
    bounce_rate           closed cases sent back at least once to a unit or person that had them
                          before (cases.Transfer.bounce) / closed cases; closing day
    qa_score              registered source (quality): scores summed / inspections
    reporting_timeliness  registered source (insights reports): reports on time / reports due

Each case-based KPI is numerator / denominator of two counters of `DailyFact`, both summed over the
days of the period and the (unit, employee) rows of the scope; a case counts for its current unit
and owner. The denominators with alternatives (`bases`) are configurable: the caller passes
`base=`, and settings.KEFU_KPI_BASES = {"complaint_rate": "external", …} changes the default.
Percent values are rounded to one decimal; minutes to one decimal.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kefu.core import clock, memo, plans
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.policy import api as policy
from kefu.insights.models import CaseFact, DailyFact
from kefu.org import access
from kefu.org.models import Employee, Unit

VIEW = "kpi.view"
PERIODS = ("day", "week", "month", "quarter")
PERCENT, MINUTES, POINTS = "percent", "minutes", "points"


@dataclass(frozen=True)
class Base:
    """One denominator: the DailyFact counter it sums, and (for the drill-down) which case facts
    are in it and how much each adds (`per_case`: a CaseFact field, or None for 1)."""

    code: str
    name: object
    counter: str
    cases: Q = field(default_factory=Q)
    per_case: str | None = None


@dataclass(frozen=True)
class Kpi:
    code: str
    name: object
    numerator_doc: object  # what the numerator counts, as the page explains it
    unit: str  # percent | minutes | points
    better: str  # higher | lower
    target_key: str = ""
    counter: str = ""  # the DailyFact counter of the numerator
    per_case: str = ""  # the CaseFact field each case adds to the numerator
    day_field: str = ""  # the CaseFact day the case counts on
    bases: tuple[Base, ...] = ()
    sourced: bool = False  # computed by a source another app registers (QA, reports)

    def base(self, code: str | None = None) -> Base | None:
        if not self.bases:
            return None
        code = code or getattr(settings, "KEFU_KPI_BASES", {}).get(self.code)
        return next((b for b in self.bases if b.code == code), self.bases[0])


RECEIVED = Base("received", _("cases received"), "received")
CLOSED = Base("closed", _("cases closed"), "closed")

KPIS: tuple[Kpi, ...] = (
    Kpi(
        "satisfaction",
        _("Customer satisfaction"),
        _("current survey answers of the customer that are satisfied (一般 counts as basically satisfied)"),
        PERCENT,
        "higher",
        "kpi.satisfaction_min",
        "satisfied",
        "satisfied",
        "answered_day",
        (
            Base(
                "answered", _("current answers the customer gave"), "answered", Q(answered__gt=0), "answered"
            ),
        ),
    ),
    Kpi(
        "complaint_rate",
        _("Complaint rate"),
        _("complaints received"),
        PERCENT,
        "lower",
        "kpi.complaint_rate_max",
        "complaints",
        "complaint",
        "received_day",
        (
            RECEIVED,
            Base(
                "external",
                _("cases from customers (internal reports left out)"),
                "received_external",
                Q(external=True),
                "external",
            ),
        ),
    ),
    Kpi(
        "resolution_rate",
        _("Resolution rate"),
        _("cases received that have been resolved (the customer was given the answer)"),
        PERCENT,
        "higher",
        "kpi.resolution_rate_min",
        "resolved",
        "resolved",
        "received_day",
        (RECEIVED,),
    ),
    Kpi(
        "revisit_rate",
        _("Revisit rate"),
        _("closed cases whose customer was reached at a revisit"),
        PERCENT,
        "higher",
        "kpi.revisit_rate_min",
        "revisited",
        "revisited",
        "closed_day",
        (
            CLOSED,
            Base(
                "planned",
                _("closed cases with a revisit planned"),
                "revisit_planned",
                Q(revisit_planned=True),
                "revisit_planned",
            ),
        ),
    ),
    Kpi(
        "on_time_closure",
        _("On-time closure rate"),
        _("closed cases whose resolution clock was never breached"),
        PERCENT,
        "higher",
        "kpi.on_time_closure_min",
        "closed_on_time",
        "on_time",
        "closed_day",
        (CLOSED,),
    ),
    Kpi(
        "first_response",
        _("Average first-response time"),
        _("minutes from receipt to the first answer to the customer, summed"),
        MINUTES,
        "lower",
        "kpi.first_response_minutes_max",
        "response_minutes",
        "response_minutes",
        "responded_day",
        (Base("responded", _("cases first answered"), "responded"),),
    ),
    Kpi(
        "sla_attainment",
        _("SLA attainment"),
        _("SLA clocks (first response, resolution, on site) of closed cases stopped in time"),
        PERCENT,
        "higher",
        "kpi.sla_attainment_min",
        "sla_met",
        "sla_met",
        "closed_day",
        (
            Base(
                "clocks",
                _("SLA clocks of closed cases that ended"),
                "sla_total",
                Q(sla_total__gt=0),
                "sla_total",
            ),
        ),
    ),
    Kpi(
        "reopen_rate",
        _("Reopen rate"),
        _("closed cases that were reopened at least once"),
        PERCENT,
        "lower",
        "kpi.reopen_rate_max",
        "reopened",
        "reopened",
        "closed_day",
        (CLOSED,),
    ),
    Kpi(
        "bounce_rate",
        _("Bounce rate"),
        _("closed cases that were sent back at least once to a unit or person that had them before"),
        PERCENT,
        "lower",
        "kpi.bounce_rate_max",
        "bounced",
        "bounced",
        "closed_day",
        (CLOSED,),
    ),
    Kpi(
        "qa_score",
        _("Quality inspection score"),
        _("inspection scores, summed, over the inspections"),
        POINTS,
        "higher",
        "kpi.qa_score_min",
        sourced=True,
    ),
    Kpi(
        "reporting_timeliness",
        _("Reporting timeliness"),
        _("work reports submitted on time, over the reports due"),
        PERCENT,
        "higher",
        "kpi.reporting_timeliness_min",
        sourced=True,
    ),
)
_BY_CODE = {k.code: k for k in KPIS}


def kpi(code: str) -> Kpi:
    return _BY_CODE[code]


# ---- periods and scopes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # the day after the last

    @property
    def label(self) -> str:
        last = self.end - timedelta(days=1)
        if self.kind == "day":
            return f"{self.start:%Y年%m月%d日}"
        if self.kind == "month":
            return f"{self.start:%Y年%m月}"
        if self.kind == "quarter":
            return f"{self.start.year}年第{(self.start.month - 1) // 3 + 1}季度"
        return f"{self.start:%Y年%m月%d日}–{last:%m月%d日}"


FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)  # the days a period may be asked for


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def period_of(kind: str = "month", day: date | None = None) -> Period:
    """The day, week (Monday first), month or quarter that contains `day` (default: today)."""
    day = min(max(day or clock.today(), FIRST_DAY), LAST_DAY)  # a period's end must be a date too
    if kind == "day":
        return Period(kind, day, day + timedelta(days=1))
    if kind == "week":
        start = day - timedelta(days=day.weekday())
        return Period(kind, start, start + timedelta(days=7))
    if kind == "quarter":
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return Period(kind, start, _add_months(start, 3))
    start = day.replace(day=1)
    return Period("month", start, _add_months(start, 1))


@dataclass(frozen=True)
class Scope:
    """Whose numbers: one agent, one unit's subtree (team, department, subsidiary), or everything
    the reader may see (both None)."""

    unit: Unit | None = None
    agent: Employee | None = None

    @property
    def label(self) -> str:
        if self.agent is not None:
            return self.agent.name
        return self.unit.name if self.unit is not None else str(_("Everything I may see"))


def scope_of(actor: Actor, *, unit: int | None = None, agent: int | None = None) -> Scope:
    """The scope asked for, if the reader may see it under `kpi.view` (else NotFound, no leak)."""
    missing = NotFound("统计范围", "scope")
    if agent is not None:
        found = Employee.objects.select_related("unit").filter(pk=agent).first()
        if found is None or not access.record_in_scope(actor, VIEW, unit=found.unit, owner_id=found.pk):
            raise missing
        return Scope(agent=found)
    if unit is not None:
        found = Unit.objects.filter(pk=unit).first()
        if found is None or not access.unit_in_scope(actor, VIEW, found):
            raise missing
        return Scope(unit=found)
    return Scope()


def _daily(actor: Actor, scope: Scope, period: Period) -> QuerySet:
    rows = access.scoped(DailyFact.objects.all(), actor, VIEW, unit_path="unit__path", owner="employee_id")
    rows = rows.filter(day__gte=period.start, day__lt=period.end)
    if scope.agent is not None:
        rows = rows.filter(employee_id=scope.agent.pk)
    elif scope.unit is not None:
        rows = rows.filter(unit__path__startswith=scope.unit.path)
    return rows


# ---- sources registered by other apps ------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    numerator: int | float
    denominator: int


@dataclass(frozen=True)
class Source:
    tally: Callable[[Actor, Scope, Period], Tally | None]
    drill: Callable[..., "Drill"] | None = None
    # per_agent(actor, agent_ids, period) -> {agent_id: Tally}: many agents in one read
    per_agent: Callable[[Actor, list, Period], dict] | None = None


SOURCES: dict[str, Source] = {}


def register_source(
    code: str, tally: Callable[[Actor, Scope, Period], Tally | None], drill=None, per_agent=None
) -> None:
    """Let an app compute a sourced KPI (qa_score, reporting_timeliness): `tally(actor, scope,
    period)` returns the numerator and denominator in the reader's scope; `drill(actor, scope,
    period, after=, limit=)` returns a `Drill`; `per_agent(actor, agent_ids, period)` returns
    {agent_id: Tally} for agents the caller checked are in scope (one read for a team). Called from
    the app's ready()."""
    if not kpi(code).sourced:
        raise ValueError(f"KPI {code} is computed from the daily facts, not from a source")
    SOURCES[code] = Source(tally, drill, per_agent)


# ---- values --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    kpi: Kpi
    base: Base | None
    numerator: int | float
    denominator: int
    available: bool  # False: no source registered yet (QA score, reporting timeliness)
    target: object | None  # the pack Entry, or None

    @property
    def value(self) -> float | None:
        if not self.available or not self.denominator:
            return None
        factor = 100 if self.kpi.unit == PERCENT else 1
        return round(factor * self.numerator / self.denominator, 1)

    @property
    def missed(self) -> bool:
        if self.value is None or self.target is None:
            return False
        goal = float(self.target.value)
        return self.value < goal if self.kpi.better == "higher" else self.value > goal


def target(k: Kpi, unit: Unit | None = None):
    """The pack's target for the KPI (a subsidiary's override applied), None when it has none."""
    if not k.target_key or not policy.exists(k.target_key):
        return None
    return policy.lookup(k.target_key, unit=unit)


def _target_unit(scope: Scope) -> Unit | None:
    return scope.agent.unit if scope.agent is not None else scope.unit


def _sourced(actor: Actor, k: Kpi, scope: Scope, period: Period, goal) -> Value:
    source = SOURCES.get(k.code)
    found = source.tally(actor, scope, period) if source is not None else None
    if found is None:
        return Value(k, None, 0, 0, source is not None, goal)
    return Value(k, None, found.numerator, found.denominator, True, goal)


def parse_bases(text: str) -> dict[str, str]:
    """The denominators asked for as text: "complaint_rate:external,revisit_rate:planned"."""
    pairs = (part.split(":", 1) for part in (text or "")[:500].split(",") if ":" in part)
    return {code.strip(): base.strip() for code, base in pairs}


def values(actor: Actor, scope: Scope, period: Period, *, bases: dict | None = None) -> list[Value]:
    """Every KPI for the scope and period: one aggregate over the daily rows."""
    bases = bases or {}
    counters = {c for k in KPIS if not k.sourced for c in (k.counter, *(b.counter for b in k.bases))}
    unit = _target_unit(scope)
    out = []
    with memo.scope():  # the pack version and the grants read once for the eleven targets
        sums = _daily(actor, scope, period).aggregate(**{c: Sum(c) for c in sorted(counters)})
        for k in KPIS:
            goal = target(k, unit)
            if k.sourced:
                out.append(_sourced(actor, k, scope, period, goal))
                continue
            base = k.base(bases.get(k.code))
            out.append(Value(k, base, sums[k.counter] or 0, sums[base.counter] or 0, True, goal))
    return out


def value(actor: Actor, code: str, scope: Scope, period: Period, *, base: str | None = None) -> Value:
    return next(v for v in values(actor, scope, period, bases={code: base}) if v.kpi.code == code)


def by_day(
    actor: Actor, code: str, scope: Scope, period: Period, *, base: str | None = None
) -> list[tuple[date, Value]]:
    """The KPI per day of the period (days with no rows left out) — the trend a chart draws."""
    k = kpi(code)
    if k.sourced:
        return []
    b = k.base(base)
    goal = target(k, _target_unit(scope))
    rows = (
        _daily(actor, scope, period)
        .values("day")
        .annotate(n=Sum(k.counter), d=Sum(b.counter))
        .order_by("day")
    )
    return [(r["day"], Value(k, b, r["n"] or 0, r["d"] or 0, True, goal)) for r in rows]


# ---- drill-down ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    case_id: int
    number: str
    title: str
    unit: str
    owner: str
    day: date
    numerator: int
    denominator: int
    url: str = ""  # the record's page when it is not the case's (an inspection, a report)


@dataclass(frozen=True)
class Drill:
    rows: list[Row]
    after: int | None  # pass as `after` for the next page; None: last page
    numerator: int  # the totals of the whole drill-down (every page)
    denominator: int


def _facts(actor: Actor, k: Kpi, b: Base, scope: Scope, period: Period) -> QuerySet:
    rows = access.scoped(CaseFact.objects.all(), actor, VIEW, unit_path="unit__path", owner="owner_id")
    rows = rows.filter(**{f"{k.day_field}__gte": period.start, f"{k.day_field}__lt": period.end}).filter(
        b.cases
    )
    if scope.agent is not None:
        rows = rows.filter(owner_id=scope.agent.pk)
    elif scope.unit is not None:
        rows = rows.filter(unit__path__startswith=scope.unit.path)
    return rows


def _total(name: str):
    """The sum of one CaseFact field over the rows (a flag counts the rows where it is set)."""
    if isinstance(CaseFact._meta.get_field(name), BooleanField):
        return Count("pk", filter=Q(**{name: True}))
    return Sum(name)


def drill(
    actor: Actor,
    code: str,
    scope: Scope,
    period: Period,
    *,
    base: str | None = None,
    after: int = 0,
    limit: int = 50,
) -> Drill:
    """The cases behind a value: every case in its denominator, each with what it adds to the
    numerator and the denominator; pages of `limit` by case id after `after`."""
    k = kpi(code)
    if k.sourced:
        source = SOURCES.get(code)
        if source is None or source.drill is None:
            return Drill([], None, 0, 0)
        return source.drill(actor, scope, period, after=after, limit=limit)
    with plans.custom_plans():
        return _drill_facts(actor, k, k.base(base), scope, period, after=after, limit=limit)


def _drill_facts(
    actor: Actor, k: Kpi, b: Base, scope: Scope, period: Period, *, after: int, limit: int
) -> Drill:
    found = _facts(actor, k, b, scope, period)
    # both totals in one pass over the period's facts (a full month at 1,000,000 cases: 27 ms each)
    totals = found.aggregate(n=_total(k.per_case), d=_total(b.per_case) if b.per_case else Count("pk"))
    total_den = totals["d"] or 0
    # ordered by an expression, not the key: by the key, PostgreSQL walks the primary key from the
    # first case to the period's (case ids grow with receipt, so the current month is at the end):
    # 261 ms at 1,000,000 cases; by the expression it reads the period's rows by its day index and
    # sorts them: 37 ms (bench/kpis.py, docs/performance.md)
    # and only the ids are sorted: sorting whole joined rows of a past month (75,000 facts) spilled
    # to disk, 0.4–0.9 s; the page's rows are read by id afterwards
    ids = list(
        found.filter(case_id__gt=after)
        .order_by((F("case_id") + 0).asc())
        .values_list("case_id", flat=True)[: limit + 1]
    )
    more = len(ids) > limit
    page = list(
        CaseFact.objects.filter(case_id__in=ids[:limit])
        .select_related("case", "unit", "owner")
        .order_by("case_id")
    )
    rows = [
        Row(
            f.case_id,
            f.case.number,
            f.case.title,
            f.unit.name,
            f.owner.name if f.owner_id else "",
            getattr(f, k.day_field),
            int(getattr(f, k.per_case)),
            int(getattr(f, b.per_case)) if b.per_case else 1,
        )
        for f in page
    ]
    return Drill(rows, page[-1].case_id if more else None, int(totals["n"] or 0), int(total_den))


def daily(actor: Actor, scope: Scope, period: Period) -> QuerySet:
    """The daily rows of the scope and period in the reader's `kpi.view` scope, for readers that group
    them their own way (the 本月 dashboard: by day, by unit)."""
    return _daily(actor, scope, period)
