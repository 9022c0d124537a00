"""The per-agent card (issue 16, KPI-1, QA-1) and the KPIs of a team per agent (the 按坐席 chart).

Public interface:

    CHOICES                                    the card's periods: 本月, 上月, 本季度
    card_period(choice) -> (choice, Period)    an unknown choice is 本月
    card(actor, employee_pk | None, choice) -> Card    None: the signed-in employee (我的业绩);
                                               out of the reader's `kpi.view` scope → NotFound
    register_section(key, title, provider)     another app adds a section to every card (from its
                                               AppConfig.ready()): provider(actor, employee, period)
                                               returns rows (label, value, url) or None (not shown)
    by_agent(actor, scope, period, codes) -> Team    the chosen KPIs for each member of a unit's
                                               subtree: one aggregate over the daily facts, one read
                                               per sourced KPI (its `per_agent`), whatever the team

The card's numbers are `kpis.values` for the agent's scope (the same definition as the KPI page); the
QA section lists the inspections behind the QA score through the registered `qa_score` drill-down.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from kefu.core import memo
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.insights.models import DailyFact
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus

CHOICES = (("month", _("This month")), ("last_month", _("Last month")), ("quarter", _("This quarter")))
TREND = ("satisfaction", "resolution_rate", "on_time_closure")  # percentages: one axis
TEAM_DEFAULT = ("satisfaction", "resolution_rate", "qa_score")
QA_SHOWN = 50  # inspections listed on the card; the rest through the QA score's records page
MEMBERS_SHOWN = 100  # people in the 按坐席 chart (the table says when there are more)
KEY = re.compile(r"^[a-z][a-z0-9_]{0,29}$")


def card_period(choice: str | None) -> tuple[str, kpis.Period]:
    choice = choice if choice in dict(CHOICES) else "month"
    this_month = kpis.period_of("month")
    if choice == "last_month":
        return choice, kpis.period_of("month", this_month.start.replace(day=1) - timedelta(days=1))
    if choice == "quarter":
        return choice, kpis.period_of("quarter")
    return choice, this_month


# ---- sections other apps add ---------------------------------------------------------------------


class Line(NamedTuple):
    label: str
    value: object
    url: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: object
    provider: Callable[[Actor, Employee, kpis.Period], list | None]


SECTIONS: dict[str, Section] = {}


def register_section(
    key: str, title, provider: Callable[[Actor, Employee, kpis.Period], list | None]
) -> None:
    """Add a section to every card: `provider(actor, employee, period)` returns rows (label, value) or
    (label, value, url) for the employee and period, read in the reader's scope — or None when it has
    nothing to say for this person (the section is left out). Registering a key again replaces it."""
    if not KEY.match(key):
        raise ValueError(f"card section key {key!r}: lower-case letters, digits and _ only")
    SECTIONS[key] = Section(key, title, provider)


@dataclass(frozen=True)
class Shown:
    section: Section
    lines: list[Line]


def sections(actor: Actor, employee: Employee, period: kpis.Period) -> list[Shown]:
    shown = []
    for section in SECTIONS.values():
        rows = section.provider(actor, employee, period)
        if rows is not None:
            shown.append(Shown(section, [Line(*row) for row in rows]))
    return shown


# ---- the card ------------------------------------------------------------------------------------


@dataclass
class Card:
    employee: Employee
    scope: kpis.Scope
    choice: str
    period: kpis.Period
    values: list[kpis.Value]
    trend: dict[str, list] = field(default_factory=dict)  # KPI code → [(day, Value)]
    qa: kpis.Value | None = None
    inspections: kpis.Drill | None = None
    sections: list[Shown] = field(default_factory=list)


def _employee_pk(actor: Actor, employee_pk: int | None) -> int:
    if employee_pk is not None:
        return employee_pk
    me = access.employee_of(actor.principal)
    if me is None:
        raise NotFound("坐席", "agent")
    return me.pk


def card(actor: Actor, employee_pk: int | None, choice: str | None = None) -> Card:
    """The card of one employee for 本月/上月/本季度: every KPI against its target, the daily trend of
    a few, the QA score with the inspections behind it and the registered sections."""
    scope = kpis.scope_of(actor, agent=_employee_pk(actor, employee_pk))  # NotFound out of scope
    employee = Employee.objects.select_related("unit", "post").get(pk=scope.agent.pk)
    scope = kpis.Scope(agent=employee)
    choice, period = card_period(choice)
    values = kpis.values(actor, scope, period)
    result = Card(employee, scope, choice, period, values)
    result.trend = {code: kpis.by_day(actor, code, scope, period) for code in TREND}
    result.qa = next(v for v in values if v.kpi.code == "qa_score")
    result.inspections = kpis.drill(actor, "qa_score", scope, period, limit=QA_SHOWN)
    result.sections = sections(actor, employee, period)
    return result


# ---- a team, per agent ---------------------------------------------------------------------------


@dataclass
class Team:
    members: list[Employee]
    values: dict[str, dict[int, kpis.Value]]  # KPI code → employee id → Value
    more: bool  # more members than shown


def members(actor: Actor, unit, period: kpis.Period) -> tuple[list[Employee], bool]:
    """The people of the unit's subtree the reader may see under `kpi.view`: those employed, and those
    who left but have numbers in the period."""
    with_facts = DailyFact.objects.filter(
        day__gte=period.start, day__lt=period.end, unit__path__startswith=unit.path
    ).values("employee_id")
    found = access.scoped(
        Employee.objects.filter(unit__path__startswith=unit.path).filter(
            Q(status=EmploymentStatus.ACTIVE) | Q(pk__in=with_facts)
        ),
        actor,
        kpis.VIEW,
        unit_path="unit__path",
        owner="pk",
    )
    rows = list(found.select_related("unit").order_by("unit__path", "number")[: MEMBERS_SHOWN + 1])
    return rows[:MEMBERS_SHOWN], len(rows) > MEMBERS_SHOWN


def by_agent(actor: Actor, scope: kpis.Scope, period: kpis.Period, codes) -> Team:
    """The chosen KPIs for each member of the scope's unit subtree; each value equals `kpis.values`
    for that agent (the same daily rows: the agent's, inside the reader's scope)."""
    if scope.unit is None:
        return Team([], {}, False)
    chosen = [kpis.kpi(code) for code in codes]
    people, more = members(actor, scope.unit, period)
    ids = [p.pk for p in people]
    out: dict[str, dict[int, kpis.Value]] = {k.code: {} for k in chosen}
    if not ids:
        return Team(people, out, more)
    counted = [k for k in chosen if not k.sourced]
    counters = sorted({c for k in counted for c in (k.counter, k.base().counter)})
    with memo.scope():
        goals = {k.code: kpis.target(k, scope.unit) for k in chosen}
        sums = {}
        if counters:
            rows = access.scoped(
                DailyFact.objects.filter(day__gte=period.start, day__lt=period.end, employee_id__in=ids),
                actor,
                kpis.VIEW,
                unit_path="unit__path",
                owner="employee_id",
            )
            rows = (
                rows.values("employee_id").annotate(**{c: Sum(c) for c in counters}).order_by("employee_id")
            )
            sums = {r["employee_id"]: r for r in rows}
        for k in counted:
            base = k.base()
            for pk in ids:
                row = sums.get(pk, {})
                out[k.code][pk] = kpis.Value(
                    k, base, row.get(k.counter) or 0, row.get(base.counter) or 0, True, goals[k.code]
                )
        for k in chosen:
            if k.sourced:
                out[k.code] = _sourced_by_agent(actor, k, people, period, goals[k.code])
    return Team(people, out, more)


def _sourced_by_agent(actor: Actor, k: kpis.Kpi, people, period, goal) -> dict[int, kpis.Value]:
    source = kpis.SOURCES.get(k.code)
    if source is None:
        return {p.pk: kpis.Value(k, None, 0, 0, False, goal) for p in people}
    if source.per_agent is not None:
        tallies = source.per_agent(actor, [p.pk for p in people], period)
    else:  # a source without a team read: one read per agent
        tallies = {p.pk: source.tally(actor, kpis.Scope(agent=p), period) for p in people}
    out = {}
    for p in people:
        found = tallies.get(p.pk)
        out[p.pk] = kpis.Value(
            k, None, found.numerator if found else 0, found.denominator if found else 0, True, goal
        )
    return out


def cards_in_scope(actor: Actor, employee_ids) -> set[int]:
    """Which of these employees' cards the reader may open (to link their names): one read."""
    if not access.can(actor, kpis.VIEW):
        return set()
    found = access.scoped(
        Employee.objects.filter(pk__in=list(employee_ids)),
        actor,
        kpis.VIEW,
        unit_path="unit__path",
        owner="pk",
    )
    return set(found.values_list("pk", flat=True))
