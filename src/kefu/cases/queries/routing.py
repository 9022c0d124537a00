"""Read paths of routing (ROUTE-1, CASE-6): which skill group takes a case and which available
member owns it, where a case may be sent, whom the request names, and the supervisor's overview.

The group: an active skill group of the case's subsidiary (else of the group company above it) that
takes the case's family, front office before back office. The owner: the group's active member who is
available and holds the fewest open cases (ties: the lowest id). An agent who is unavailable gets
nothing; when nobody is available the case waits in the group's queue and the supervisors see it there.

Availability (ROUTE-1, LV-5): a supervisor's manual override (`Availability`, with a reason) and what
the registered providers say — the workforce app registers rota + approved leave at app ready
(`register_unavailable`), so cases never imports workforce. Each provider answers a condition on
`Employee` rows for an instant, so choosing an owner stays one query whatever the team's size.

Qualification (TRN-1): a new agent handles live cases only after passing the onboarding exam. The
quality app registers who is not yet qualified (`register_unqualified`); the condition joins the
same owner-choosing query (routing skips them), and assignment and transfer to them are refused
naming TRN-1 (`unqualified_refusal`).

The supervisor's overview (`team`) reads through the caller's `case.manage` scope, in a constant
number of queries whatever the size of the team.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from kefu.cases.models import OPEN_STATES, Availability, Case, Office, SkillGroup, Transfer
from kefu.cases.queries import intake
from kefu.cases.queries.scope import ID_LIMIT, by_pk, team_q
from kefu.core import clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import scope_q
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.api import TimerState
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.org.queries import employee_named


def subsidiary_path(unit: Unit) -> str:
    """The path of the unit's subsidiary (or of the unit itself when it sits above any subsidiary);
    read once per request (the policy pack asks the same for overrides)."""
    found = policy.subsidiary_of(unit)
    return found.path if found is not None else unit.path


def within_reach(actor, case_unit: Unit, target: Unit, code: str = "case.manage") -> bool:
    """Issue 10: where a case (or its 报备, its responsible staff) may be sent — inside the subsidiary
    that holds it, or a unit the actor's `code` scope covers (a group-level supervisor moving it
    between subsidiaries). Nobody writes into another subsidiary on a case's behalf."""
    return target.path.startswith(subsidiary_path(case_unit)) or access.unit_in_scope(actor, code, target)


def group_for(unit: Unit, family: str) -> SkillGroup | None:
    """A group of the unit's own subsidiary before one of the group company; front office first."""
    return memo.shared(("cases.group_for", unit.pk, unit.path, family), lambda: _group_for(unit, family))


def _group_for(unit: Unit, family: str) -> SkillGroup | None:
    within = Q(unit__path__startswith=subsidiary_path(unit)) | Q(unit_id__in=unit.ancestor_ids())
    groups = [
        g
        for g in SkillGroup.objects.filter(within, active=True).select_related("unit")
        if family in (g.families or [])
    ]
    groups.sort(key=lambda g: (-g.unit.depth, g.office != Office.FRONT, g.pk))
    return groups[0] if groups else None


# instant → a condition on Employee rows that holds for those unavailable then (rota, leave …)
_UNAVAILABLE: dict[str, Callable[[datetime], Q]] = {}


def register_unavailable(name: str, provider: Callable[[datetime], Q]) -> None:
    """Another app tells routing who is unavailable at an instant (called from its AppConfig.ready)."""
    _UNAVAILABLE[name] = provider


# instant → a condition on Employee rows that holds for those away then (approved leave …): narrower
# than unavailable — someone off shift is not away, they take planned work on their next shift
_ABSENT: dict[str, Callable[[datetime], Q]] = {}


def register_absent(name: str, provider: Callable[[datetime], Q]) -> None:
    """Another app tells routing who is away at an instant (called from its AppConfig.ready)."""
    _ABSENT[name] = provider


# → a condition on Employee rows that holds for those not yet qualified for live cases (TRN-1)
_UNQUALIFIED: dict[str, Callable[[], Q]] = {}


def register_unqualified(name: str, provider: Callable[[], Q]) -> None:
    """Another app tells routing who may not yet take live cases (TRN-1; called from AppConfig.ready)."""
    _UNQUALIFIED[name] = provider


def unqualified_q() -> Q | None:
    """Employees not yet qualified for live cases (TRN-1), or None when no provider says so."""
    condition = None
    for provider in _UNQUALIFIED.values():
        condition = provider() if condition is None else condition | provider()
    return condition


def unavailable_q(at: datetime | None = None) -> Q:
    """Employees unavailable at `at` (now by default): the manual override, any provider's reason, or
    not yet qualified (TRN-1)."""
    at = at or clock.now()
    condition = Q(Exists(Availability.objects.filter(employee=OuterRef("pk"), available=False)))
    for provider in _UNAVAILABLE.values():
        condition |= provider(at)
    unqualified = unqualified_q()
    if unqualified is not None:
        condition |= unqualified
    return condition


UNQUALIFIED_NOTE = "培训考核未通过，暂不分派工单（TRN-1）"


def unqualified_refusal(employee: Employee, field: str) -> Invalid | None:
    """TRN-1: the refusal for giving a live case to a new agent who has not passed the onboarding
    exam, else None. Asked only once `is_available` said no (a refused move), so an allowed one
    costs no statement more."""
    condition = unqualified_q()
    if condition is None or not Employee.objects.filter(condition, pk=employee.pk).exists():
        return None
    return Invalid(
        "case_owner_unqualified",
        f"{employee.name} 培训考核未通过，暂不分派工单（TRN-1：新员工通过考核后才能正式上岗）",
        f"{employee.name} has not passed the onboarding exam; no live cases yet (TRN-1)",
        {field: "unqualified"},
    )


def absent_q(at: datetime) -> Q:
    """Employees who cannot take work planned for `at` (a leave's hand-over): marked unavailable by
    hand, away by any provider, or not yet qualified (TRN-1) — being off shift then does not count."""
    condition = Q(Exists(Availability.objects.filter(employee=OuterRef("pk"), available=False)))
    for provider in _ABSENT.values():
        condition |= provider(at)
    unqualified = unqualified_q()
    if unqualified is not None:
        condition |= unqualified
    return condition


def can_take_planned(employee: Employee, at: datetime) -> bool:
    """Whether work handed over ahead, for `at`, may go to `employee` (see `absent_q`)."""
    if employee.status != EmploymentStatus.ACTIVE:
        return False
    return not Employee.objects.filter(absent_q(at), pk=employee.pk).exists()


def present_members(group: SkillGroup, at: datetime):
    """The group's active members not away at `at` (off shift or not)."""
    return group.members.filter(status=EmploymentStatus.ACTIVE).exclude(absent_q(at))


def available_members(group: SkillGroup, at: datetime | None = None):
    return group.members.filter(status=EmploymentStatus.ACTIVE).exclude(unavailable_q(at))


def least_loaded(people) -> Employee | None:
    """The person with the fewest open cases (ties: the lower id), with their unit, user and notification
    preference (told of the case at once, issue 13). The counts are kept per member by the case
    actions (`workload`): one row read per candidate, whatever the backlog (issue 11)."""
    return (
        people.select_related("unit", "user", "user__notification_preference")
        .annotate(load=Coalesce(F("case_load__open_cases"), 0))
        .order_by("load", "pk")
        .first()
    )


def is_available(employee: Employee, at: datetime | None = None) -> bool:
    if employee.status != EmploymentStatus.ACTIVE:
        return False
    return not Employee.objects.filter(unavailable_q(at), pk=employee.pk).exists()


UNKNOWN_PERSON = ("人员不存在或已离职", "No such active employee")


def unknown_person(field: str) -> Invalid:
    """The answer for an employee id that does not exist, has left — or is out of reach (issue 10)."""
    return Invalid("case_employee_unknown", *UNKNOWN_PERSON, {field: "unknown"})


def unknown_group() -> Invalid:
    """The answer for a skill group that does not exist — or is out of reach (issue 10)."""
    return Invalid("case_group_unknown", "技能组不存在", "No such skill group", {"to_group_id": "unknown"})


# ---------------------------------------------------------------- whom a request names


def person(value, field: str) -> Employee:
    """The active employee a request names by id (with unit and user), or `unknown_person(field)`;
    whether the case may go to them is the action's rule (`within_reach`)."""
    return employee_named(value, field, code="case_employee_unknown", message=UNKNOWN_PERSON)


def active_group(pk) -> SkillGroup:
    """The active skill group a request names by id, or `unknown_group()`; its reach is the action's."""
    found = SkillGroup.objects.filter(pk=pk, active=True).select_related("unit").first()
    if found is None:
        raise unknown_group()
    return found


def colleague(actor: Actor, pk) -> Employee:
    """An employee whose availability the caller may look at: themself, one in their case.manage or
    org.view scope (the directory); anyone else answers 404 like a missing employee (issue 10)."""
    found = Employee.objects.filter(pk=pk).select_related("unit").first() if 0 < pk <= ID_LIMIT else None
    if found is None:
        raise NotFound("人员", "employee")
    me = access.employee_of(actor.principal)
    if not (
        (me is not None and me.pk == found.pk)
        or access.record_in_scope(actor, "case.manage", unit=found.unit, owner_id=found.pk)
        or access.record_in_scope(actor, "org.view", unit=found.unit, owner_id=found.pk)
    ):
        raise NotFound("人员", "employee")
    return found


def person_named(value, field: str) -> Employee:
    """The employee a page's form names by id, whatever their status (the action refuses one who is
    unavailable or out of reach)."""
    return employee_named(
        value, field, active=False, code="case_person_unknown", message=("所选人员不存在", "Unknown person")
    )


def group_named(value, field: str) -> SkillGroup:
    """The skill group a page's form names by id, or the refusal naming the field."""
    text = str(value or "").strip()
    pk = int(text) if text.isdigit() else 0
    found = SkillGroup.objects.filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise Invalid("case_group_unknown", "所选技能组不存在", "Unknown skill group", {field: "unknown"})
    return found


def transfer_targets(case: Case) -> tuple[list[SkillGroup], list[Employee]]:
    """Whom the case may go to: the skill groups and active people of its subsidiary."""
    path = subsidiary_path(case.unit)
    groups = list(SkillGroup.objects.filter(active=True, unit__path__startswith=path).order_by("name"))
    people = list(
        Employee.objects.filter(
            Q(unit__path__startswith=path) | Q(skill_groups__in=groups), status=EmploymentStatus.ACTIVE
        )
        .select_related("unit")
        .distinct()
        .order_by("unit__path", "name")
    )
    return groups, people


def bounce_counts(actor: Actor, *, since: datetime | None = None) -> list[dict]:
    """CASE-6 per department: transfers out and how many of them bounced back, in the actor's scope."""
    grants = [grant for code in OVERVIEW for grant in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="from_unit__path", owner=None)
    if condition is None:
        return []
    rows = Transfer.objects.filter(condition)
    if since is not None:
        rows = rows.filter(at__gte=since)
    return list(
        rows.values("from_unit_id", "from_unit__name")
        .annotate(transfers=Count("pk"), bounces=Count("pk", filter=Q(bounce=True)))
        .order_by("-bounces", "from_unit__name")
    )


# ---------------------------------------------------------------- the supervisor's overview (ROUTE-1, SLA-2, CASE-6)

OVERVIEW = ("case.manage", "case.oversee")  # who reads the team overview (issue 13)
LIST_LIMIT = 50  # rows of the overdue list and of the queue on one page
TOP_BOUNCED = 10
CLOCK_STATES = (TimerState.RUNNING, TimerState.PAUSED)


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


def _overview_q(actor: Actor, unit_path: str) -> Q | None:
    """The units whose team overview the actor reads: their `case.manage` scope (supervisors, who also
    act on it) and their `case.oversee` scope (executives, who only read it)."""
    found = [q for q in (team_q(actor, code, unit_path) for code in OVERVIEW) if q is not None]
    if not found:
        return None
    return found[0] | found[1] if len(found) == 2 else found[0]


def may_read_overview(actor: Actor) -> bool:
    return any(access.can(actor, code) for code in OVERVIEW)


def team_groups(actor: Actor) -> list[SkillGroup]:
    """Active skill groups whose unit is within the actor's overview scope, members prefetched."""
    condition = _overview_q(actor, "unit__path")
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
    condition = _overview_q(actor, "unit__path")
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
    result.bounces = bounce_counts(actor)
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


def _overdue_owned(now):
    """A member's overdue open cases, counted in a subquery through the `cases_owner_due` index: it
    reads their overdue cases only, however many they have closed (issue 13)."""
    found = (
        Case.objects.filter(owner=OuterRef("pk"), next_due_at__lt=now, state__in=OPEN_STATES)
        .order_by()
        .values("owner")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(found, output_field=IntegerField()), Value(0))


def _agents(member_groups: dict[int, list[SkillGroup]], now) -> list[Employee]:
    """Each member's open cases (load: the count the case actions keep for routing, `workload`),
    overdue cases and availability (ROUTE-1), in one query that reads no case a member has closed."""
    unqualified = unqualified_q()
    gate = (
        {}
        if unqualified is None
        else {"unqualified": ExpressionWrapper(unqualified, output_field=BooleanField())}
    )
    rows = (
        Employee.objects.filter(pk__in=list(member_groups))
        .select_related("unit", "availability")
        .annotate(
            load=Coalesce(F("case_load__open_cases"), 0),
            overdue=_overdue_owned(now),
            off=ExpressionWrapper(unavailable_q(now), output_field=BooleanField()),
            **gate,
        )
        .order_by("unit__path", "number")
    )
    agents = []
    for person in rows:
        availability = getattr(person, "availability", None)
        person.is_available = not person.off
        person.availability_note = availability.note if availability is not None else ""
        if getattr(person, "unqualified", False):  # TRN-1: the gate is why they get nothing
            person.availability_note = UNQUALIFIED_NOTE
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
    found = intake.case(actor, pk)
    condition = team_q(actor, "case.manage", "unit__path")
    if condition is None or not Case.objects.filter(condition, pk=found.pk).exists():
        raise NotFound("工单", "case")
    return found


def team_member(actor: Actor, pk) -> Employee:
    """An employee who belongs to one of the actor's skill groups (availability toggle, assignment)."""
    condition = team_q(actor, "case.manage", "skill_groups__unit__path")
    people = Employee.objects.none() if condition is None else Employee.objects.filter(condition)
    return by_pk(people.select_related("unit").distinct(), pk, ("员工", "employee"))
