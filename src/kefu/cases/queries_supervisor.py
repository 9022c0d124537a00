"""Read paths of the supervisor's view (ROUTE-1, SLA-2, CASE-6) and of the configuration pages
(CASE-1), always through the caller's scope: `case.manage` for the team, `case.configure` for the
configuration. A constant number of queries whatever the size of the team.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, Prefetch, Q

from kefu.cases import queries
from kefu.cases.models import OPEN_STATES, Case, CaseKind, SkillGroup
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.api import TimerState
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind

LIST_LIMIT = 50  # rows of the overdue list and of the queue on one page
TOP_BOUNCED = 10
CLOCK_STATES = (TimerState.RUNNING, TimerState.PAUSED)


def _unit_q(actor: Actor, code: str, unit_path: str) -> Q | None:
    """Units covered by the actor's non-personal grants for `code` (a team, not one's own cases)."""
    return scope_q(
        [g for g in access.grants(actor, code) if g.scope != "own"], unit_path=unit_path, owner=None
    )


def _warned():
    """A running clock of the case has passed its warning time and not yet its deadline (SLA-2)."""
    return Exists(
        workflow.outer_clocks(Case, states=CLOCK_STATES).filter(
            warned_at__isnull=False, breached_at__isnull=True
        )
    )


@dataclass
class Team:
    groups: list = field(default_factory=list)
    agents: list = field(default_factory=list)
    queue: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    bounces: list = field(default_factory=list)
    top_bounced: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)


def team_groups(actor: Actor) -> list[SkillGroup]:
    """Active skill groups whose unit is within the actor's `case.manage` scope, members prefetched."""
    condition = _unit_q(actor, "case.manage", "unit__path")
    if condition is None:
        return []
    members = Employee.objects.filter(status=EmploymentStatus.ACTIVE).order_by("number")
    return list(
        SkillGroup.objects.filter(condition, active=True)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("unit__path", "office", "code")
    )


def team(actor: Actor) -> Team:
    """The supervisor's overview: per group and per agent, the queue, the overdue list, bounces."""
    condition = _unit_q(actor, "case.manage", "unit__path")
    result = Team()
    if condition is None:
        return result
    now = clock.now()
    groups = team_groups(actor)
    open_cases = Case.objects.filter(condition, state__in=OPEN_STATES)
    counts = {
        row["skill_group_id"]: row
        for row in open_cases.filter(skill_group__in=[g.pk for g in groups])
        .annotate(warned=_warned())
        .values("skill_group_id")
        .annotate(
            open=Count("pk"),
            queued=Count("pk", filter=Q(owner__isnull=True)),
            overdue=Count("pk", filter=Q(next_due_at__lt=now)),
            near=Count("pk", filter=Q(warned=True, next_due_at__gte=now)),
        )
    }
    empty = {"open": 0, "queued": 0, "overdue": 0, "near": 0}
    member_groups: dict[int, list[SkillGroup]] = {}
    for group in groups:
        group.counts = counts.get(group.pk, empty)
        group.people = list(group.members.all())
        for person in group.people:
            member_groups.setdefault(person.pk, []).append(group)
    result.groups = groups
    result.agents = _agents(member_groups, now)
    queue = (
        open_cases.filter(owner__isnull=True)
        .select_related("kind", "skill_group", "unit")
        .order_by("received_at", "pk")
    )
    result.queue = list(queue[:LIST_LIMIT])
    available = {a.pk for a in result.agents if a.is_available}
    by_group = {g.pk: g for g in groups}
    for row in result.queue:
        group = by_group.get(row.skill_group_id)
        # a case no group takes (an important event, an internal report) may go to anyone on the team
        people = group.people if group else result.agents
        row.candidates = [p for p in people if p.pk in available]
    result.overdue = _overdue(open_cases, now)
    result.bounces = queries.bounce_counts(actor)
    result.top_bounced = list(
        Case.objects.filter(condition, bounce_count__gt=0)
        .select_related("owner", "unit")
        .order_by("-bounce_count", "-received_at")[:TOP_BOUNCED]
    )
    result.totals = {
        "open": open_cases.count(),
        "queued": open_cases.filter(owner__isnull=True).count(),
        "overdue": open_cases.filter(next_due_at__lt=now).count(),
    }
    return result


def _agents(member_groups: dict[int, list[SkillGroup]], now) -> list[Employee]:
    """Each member's open cases (load), overdue cases and availability (ROUTE-1), in one query."""
    rows = (
        Employee.objects.filter(pk__in=list(member_groups))
        .select_related("unit", "availability")
        .annotate(
            load=Count("owned_cases", filter=Q(owned_cases__state__in=OPEN_STATES)),
            overdue=Count(
                "owned_cases",
                filter=Q(owned_cases__state__in=OPEN_STATES, owned_cases__next_due_at__lt=now),
            ),
        )
        .order_by("unit__path", "number")
    )
    agents = []
    for person in rows:
        availability = getattr(person, "availability", None)
        person.is_available = availability is None or availability.available
        person.availability_note = availability.note if availability is not None else ""
        person.groups = member_groups.get(person.pk, [])
        agents.append(person)
    return agents


def _overdue(open_cases, now) -> list[Case]:
    """Overdue open cases, longest overdue first, with the highest escalation level of their clocks."""
    rows = list(
        open_cases.filter(next_due_at__lt=now)
        .select_related("kind", "owner", "skill_group", "unit")
        .order_by("next_due_at", "pk")[:LIST_LIMIT]
    )
    levels = dict(
        workflow.clocks(rows, states=(*CLOCK_STATES, TimerState.BREACHED))
        .order_by()
        .values("object_id")
        .annotate(level=Max("escalation_level"))
        .values_list("object_id", "level")
    )
    for row in rows:
        row.escalation_level = levels.get(str(row.pk), 0)
        row.overdue_minutes = int((now - row.next_due_at).total_seconds() // 60)
    return rows


def managed_case(actor: Actor, pk) -> Case:
    """A case in the actor's `case.manage` scope (for assigning it from the queue); 404 otherwise."""
    found = queries.case(actor, pk)
    condition = _unit_q(actor, "case.manage", "unit__path")
    if condition is None or not Case.objects.filter(condition, pk=found.pk).exists():
        raise NotFound("工单", "case")
    return found


def team_member(actor: Actor, pk) -> Employee:
    """An employee who belongs to one of the actor's skill groups (availability toggle, assignment)."""
    condition = _unit_q(actor, "case.manage", "skill_groups__unit__path")
    people = Employee.objects.none() if condition is None else Employee.objects.filter(condition)
    return _by_pk(people.select_related("unit").distinct(), pk, ("员工", "employee"))


# --- configuration (CASE-1, ROUTE-1) -------------------------------------------------------------


def configurable_units(actor: Actor, *, subsidiaries: bool = False):
    """Units the actor configures: subsidiaries (for kinds) or any unit (for skill groups)."""
    condition = _unit_q(actor, "case.configure", "path")
    if condition is None:
        return Unit.objects.none()
    units = Unit.objects.filter(condition, is_active=True)
    if subsidiaries:
        units = units.filter(kind=UnitKind.SUBSIDIARY)
    return units.order_by("path")


def kinds(actor: Actor):
    """The shipped kinds and the kinds of the subsidiaries the actor configures."""
    condition = _unit_q(actor, "case.configure", "unit__path")
    if condition is None:
        return CaseKind.objects.none()
    return (
        CaseKind.objects.filter(Q(unit__isnull=True) | condition)
        .select_related("unit")
        .order_by("unit__path", "ordering", "pk")
    )


def kind(actor: Actor, pk) -> CaseKind:
    return _by_pk(kinds(actor), pk, ("工单类型", "case kind"))


def groups(actor: Actor):
    condition = _unit_q(actor, "case.configure", "unit__path")
    if condition is None:
        return SkillGroup.objects.none()
    return (
        SkillGroup.objects.filter(condition)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=Employee.objects.order_by("number")))
        .order_by("unit__path", "code")
    )


def group(actor: Actor, pk) -> SkillGroup:
    return _by_pk(groups(actor), pk, ("技能组", "skill group"))


def eligible_members(actor: Actor):
    """Active employees of the units the actor configures (the group's own subsidiary is checked on save)."""
    condition = _unit_q(actor, "case.configure", "unit__path")
    if condition is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(condition, status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "number")
    )


def _by_pk(qs, pk, what: tuple[str, str]):
    """The row `pk` of a scoped queryset; NotFound (404) for a bad id or one outside the scope."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = qs.filter(pk=pk).first() if 0 < pk < queries.ID_LIMIT else None
    if found is None:
        raise NotFound(*what)
    return found


def configurable_unit(actor: Actor, pk) -> Unit:
    return _by_pk(configurable_units(actor), pk, ("单位", "unit"))
