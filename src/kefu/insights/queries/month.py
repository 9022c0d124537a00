"""本月 dashboard (issue 16, KPI-1): the numbers managers and 集团领导 run a month (or a quarter) by.

    month(actor, scope, period) -> Month      scope from `kpis.scope_of`, period from `kpis.period_of`
    cases(actor, scope, period, *, category=None, escalated=False, day=None) -> QuerySet of CaseFact
                                              the records behind a category or an escalation count

What it holds, all read from the daily facts (`DailyFact`) and, for the categories, from the case facts
(`CaseFact`) — never from the cases themselves:

- `values`: every KPI against its pack target (`kpis.values`, the KPI page's own numbers; `missed`);
- `days` / `trend`: per day of the period (up to today) the counters of the trend charts —
  satisfaction (answer day), complaint rate and cases received (receipt day), cases closed, reopen and
  bounce rate (closing day), escalations (receipt day) — one aggregate grouped by day;
- `units`: each subsidiary in the reader's scope with its key KPIs side by side — one aggregate
  grouped by unit, rolled up in Python to the subsidiary above each unit (units under no subsidiary,
  e.g. the group's own departments, make one row "集团直属"); a subsidiary's figures equal
  `kpis.values` with the scope of that subsidiary;
- `categories`: the top `TOP_CATEGORIES` categories of the complaints received in the period
  (`CaseFact.category`, blank → 未分类) with their counts;
- `escalations`: cases received in the period that escalated (`CaseFact.escalated`, defined in
  `insights.actions.kpis.facts_for`), in total and per receipt day.

A page view costs a fixed number of statements, whatever the number of cases (a test counts them).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kefu.core import clock, memo, plans
from kefu.core.actor import Actor
from kefu.insights.models import COUNTERS, CaseFact
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.org.models import Unit, UnitKind

TOP_CATEGORIES = 10  # categories shown — a display choice (本系统默认值), not a policy number
# the KPIs of the by-subsidiary table, side by side
UNIT_KPIS = (
    "satisfaction",
    "complaint_rate",
    "resolution_rate",
    "on_time_closure",
    "reopen_rate",
    "bounce_rate",
)
# the rate trends drawn by day
TREND_KPIS = ("satisfaction", "complaint_rate", "reopen_rate", "bounce_rate")
UNCATEGORISED = _("Uncategorised")
GROUP_OWN = _("Group's own departments")


@dataclass
class UnitRow:
    unit: Unit | None  # None: the units under no subsidiary (the group's own departments)
    name: str
    received: int = 0
    closed: int = 0
    escalations: int = 0
    values: dict = field(default_factory=dict)  # KPI code → kpis.Value


@dataclass
class Month:
    scope: kpis.Scope
    period: kpis.Period
    values: list = field(default_factory=list)  # kpis.Value, every KPI
    days: list[date] = field(default_factory=list)
    trend: dict = field(default_factory=dict)  # KPI code → [Value per day]; counter → [int per day]
    units: list[UnitRow] = field(default_factory=list)
    categories: list[tuple[str, int, str]] = field(default_factory=list)  # (label, count, stored value)
    escalations: int = 0

    @property
    def missed(self) -> list:
        return [v for v in self.values if v.missed]

    def value(self, code: str):
        return next(v for v in self.values if v.kpi.code == code)


def _value(k: kpis.Kpi, sums: dict, goal) -> kpis.Value:
    base = k.base()
    return kpis.Value(k, base, sums.get(k.counter) or 0, sums.get(base.counter) or 0, True, goal)


def _days(period: kpis.Period) -> list[date]:
    """The days of the period up to today (a past period: all of them)."""
    last = min(period.end, clock.today() + timedelta(days=1))
    return [period.start + timedelta(days=n) for n in range((last - period.start).days)]


def _trend(actor: Actor, scope: kpis.Scope, period: kpis.Period, result: Month, unit) -> None:
    sums = {
        row["day"]: row
        for row in kpis.daily(actor, scope, period)
        .values("day")
        .annotate(**{c: Sum(c) for c in COUNTERS})
        .order_by()
    }
    result.days = _days(period)
    for code in TREND_KPIS:
        k = kpis.kpi(code)
        goal = kpis.target(k, unit)
        result.trend[code] = [_value(k, sums.get(day, {}), goal) for day in result.days]
    for counter in ("received", "closed", "escalations"):
        result.trend[counter] = [(sums.get(day, {}).get(counter) or 0) for day in result.days]
    result.escalations = sum((row.get("escalations") or 0) for row in sums.values())


def _subsidiary_of(unit: Unit, subsidiaries: dict[int, Unit]) -> Unit | None:
    return next((subsidiaries[i] for i in unit.ancestor_ids() if i in subsidiaries), None)


def _units(actor: Actor, scope: kpis.Scope, period: kpis.Period, result: Month) -> None:
    counters = sorted(
        {"received", "closed", "escalations"}
        | {c for code in UNIT_KPIS for c in (kpis.kpi(code).counter, kpis.kpi(code).base().counter)}
    )
    by_unit = {
        row["unit_id"]: row
        for row in kpis.daily(actor, scope, period)
        .values("unit_id")
        .annotate(**{c: Sum(c) for c in counters})
        .order_by()
    }
    # the subsidiaries the reader may see (inside the chosen unit, or above it), and the units with data
    units = Unit.objects.filter(kind=UnitKind.SUBSIDIARY) | Unit.objects.filter(pk__in=list(by_unit))
    units = {u.pk: u for u in units.only("pk", "kind", "name", "path")}
    subsidiaries = {pk: u for pk, u in units.items() if u.kind == UnitKind.SUBSIDIARY}
    rows: dict[int | None, dict] = {}
    for unit_id, row in by_unit.items():
        subsidiary = _subsidiary_of(units[unit_id], subsidiaries)
        total = rows.setdefault(subsidiary.pk if subsidiary else None, defaultdict(int))
        for c in counters:
            total[c] += row[c] or 0
    shown = []
    for sub in sorted(subsidiaries.values(), key=lambda u: u.ancestor_ids()):
        within = (
            scope.unit is None or sub.path.startswith(scope.unit.path) or scope.unit.path.startswith(sub.path)
        )
        if within and (sub.pk in rows or access.unit_in_scope(actor, kpis.VIEW, sub)):
            # a scope below the subsidiary (a department, a team): the row is that unit's, named so
            below = (
                scope.unit is not None and scope.unit.pk != sub.pk and scope.unit.path.startswith(sub.path)
            )
            unit = scope.unit if below else sub
            shown.append((unit, unit.name, rows.get(sub.pk, {})))
    if None in rows:
        shown.append((None, str(GROUP_OWN), rows[None]))
    for unit, name, sums in shown:
        one = UnitRow(unit, name, sums.get("received", 0), sums.get("closed", 0), sums.get("escalations", 0))
        for code in UNIT_KPIS:
            k = kpis.kpi(code)
            one.values[code] = _value(k, sums, kpis.target(k, unit))
        result.units.append(one)


def _scoped_facts(actor: Actor, scope: kpis.Scope) -> QuerySet:
    rows = access.scoped(CaseFact.objects.all(), actor, kpis.VIEW, unit_path="unit__path", owner="owner_id")
    if scope.agent is not None:
        return rows.filter(owner_id=scope.agent.pk)
    if scope.unit is not None:
        return rows.filter(unit__path__startswith=scope.unit.path)
    return rows


def cases(
    actor: Actor,
    scope: kpis.Scope,
    period: kpis.Period,
    *,
    category: str | None = None,
    escalated: bool = False,
    day: date | None = None,
) -> QuerySet:
    """The case facts behind a number of the page: the complaints of one category received in the
    period (`category`), or the cases received in the period (on `day`) that escalated."""
    start, end = (day, day + timedelta(days=1)) if day is not None else (period.start, period.end)
    start, end = max(start, period.start), min(end, period.end)
    rows = _scoped_facts(actor, scope).filter(received_day__gte=start, received_day__lt=end)
    if category is not None:
        rows = rows.filter(complaint=True, category=category)
    if escalated:
        rows = rows.filter(escalated=True)
    return rows


def _categories(actor: Actor, scope: kpis.Scope, period: kpis.Period, result: Month) -> None:
    found = (
        _scoped_facts(actor, scope)
        .filter(complaint=True, received_day__gte=period.start, received_day__lt=period.end)
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("-n", "category")[:TOP_CATEGORIES]
    )
    result.categories = [(row["category"] or str(UNCATEGORISED), row["n"], row["category"]) for row in found]


def month(actor: Actor, scope: kpis.Scope, period: kpis.Period) -> Month:
    """Every number of the 本月 dashboard for the scope and period (a month or a quarter)."""
    result = Month(scope=scope, period=period)
    unit = scope.agent.unit if scope.agent is not None else scope.unit
    # the pack version and the grants read once for every target; plans made for this period's days
    with memo.scope(), plans.custom_plans():
        result.values = kpis.values(actor, scope, period)
        _trend(actor, scope, period, result, unit)
        _units(actor, scope, period, result)
        _categories(actor, scope, period, result)
    return result
