"""今日 dashboard (issue 16, KPI-1): an agent's queue, what falls due soon, what is breached and the
day's own numbers; a supervisor's the same for each member of the team.

Every number is counted from the same scoped record sets that its drill-down list shows (`records`),
so the list behind a number always holds that many rows:

- 在办 open: open cases the person owns;
- 待领取 queued: open unassigned cases waiting in the person's (the team's) skill groups;
- 即将到期 due soon: open owned cases whose next deadline falls within the pack's window
  (`dashboards.due_soon_hours`) from now;
- 已超时 breached: open owned cases whose next deadline has passed;
- 今日新接 received, 今日办结 handled (a solution given: resolved today), 今日结案 closed: owned
  cases received, resolved, closed since local midnight;
- 今日回访 revisits: revisit tasks the person completed (reached the customer) today.

Scope: the cases through `cases.queries.intake.cases` (the reader's `case.view` scope), the revisits
through `followups.queries.tasks.tasks` (`revisit.view`); a supervisor's team are the members of the
skill groups of their overview scope (`case.manage`/`case.oversee`), and only their cases inside the
supervisor's own scope are counted.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q

from kefu.cases.models import OPEN_STATES, SkillGroup
from kefu.cases.queries import intake as case_queries
from kefu.cases.queries import routing as routing_queries
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.policy import api as policy
from kefu.followups.models import TaskState
from kefu.followups.queries import tasks as task_queries
from kefu.org import access
from kefu.org.models import Scope

DUE_SOON_KEY = "dashboards.due_soon_hours"
MINE, TEAM = "mine", "team"
# the metrics in the order the page shows them
QUEUE_METRICS = ("open", "queued", "due_soon", "breached")
DAY_METRICS = ("received", "handled", "closed", "revisits")
METRICS = QUEUE_METRICS + DAY_METRICS
PERSON_METRICS = tuple(m for m in METRICS if m != "queued")  # queued cases belong to nobody yet
CASE_METRICS = tuple(m for m in METRICS if m != "revisits")
# managers and executives read the 本月 dashboard on their home; the 今日 one is the front line's
WIDE_SCOPES = (Scope.SUBSIDIARY, Scope.GROUP)


@dataclass
class Person:
    pk: int
    name: str
    counts: dict = field(default_factory=dict)


@dataclass
class Today:
    mode: str  # MINE or TEAM
    day: object
    now: object
    due_soon: object  # the policy entry (value, unit, default_not_from_seeds)
    totals: dict = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)

    @property
    def due_soon_hours(self):
        return self.due_soon.value


def mode_of(actor: Actor) -> str | None:
    """TEAM for a reader of the team overview, MINE for anyone else who sees cases; None otherwise."""
    if routing_queries.may_read_overview(actor):
        return TEAM
    if access.can(actor, "case.view") and access.employee_of(actor.principal) is not None:
        return MINE
    return None


def home_mode(actor: Actor) -> str | None:
    """Whose home page is the 今日 dashboard: agents (who handle cases in their own scope) and
    supervisors (who manage a team or a department). Managers and executives keep their own home."""
    wide = [
        grant
        for code in routing_queries.OVERVIEW
        for grant in access.grants(actor, code)
        if grant.scope in WIDE_SCOPES
    ]
    if wide or access.employee_of(actor.principal) is None:
        return None
    if routing_queries.may_read_overview(actor):
        return TEAM
    return MINE if access.can(actor, "case.handle") else None


def _window(now):
    start = case_queries.day_start(clock.local(now).date())
    return start, start + timedelta(days=1)


def due_soon_entry(unit=None):
    return policy.lookup(DUE_SOON_KEY, unit=unit)


def people_in_view(actor: Actor, mode: str, groups=None) -> list[Person]:
    """The reader alone (MINE) or the members of the skill groups of their overview (TEAM), by name."""
    if mode == MINE:
        employee = access.employee_of(actor.principal)
        return [Person(employee.pk, employee.name)] if employee is not None else []
    found = {}
    for group in routing_queries.team_groups(actor) if groups is None else groups:
        for member in group.members.all():
            found.setdefault(member.pk, Person(member.pk, member.name))
    return sorted(found.values(), key=lambda p: p.name)


def _case_conditions(now, window, soon) -> dict[str, Q]:
    start, end = window
    is_open = Q(state__in=OPEN_STATES)
    return {
        "open": is_open,
        "due_soon": is_open & Q(next_due_at__gte=now, next_due_at__lt=now + soon),
        "breached": is_open & Q(next_due_at__lt=now),
        "received": Q(received_at__gte=start, received_at__lt=end),
        "handled": Q(resolved_at__gte=start, resolved_at__lt=end),
        "closed": Q(closed_at__gte=start, closed_at__lt=end),
    }


def _group_ids(mode: str, person_ids, groups) -> list[int]:
    """The skill groups whose unassigned cases count as the queue: the team's, or the reader's own."""
    if mode == TEAM:
        return [g.pk for g in groups]
    return list(SkillGroup.objects.filter(members__in=person_ids).values_list("pk", flat=True))


def today(actor: Actor, mode: str | None = None) -> Today:
    """The 今日 numbers of the reader (MINE) or of each member of their team (TEAM); two aggregate
    queries for the cases and one for the revisits, however many people and cases."""
    mode = mode or mode_of(actor)
    if mode is None:
        raise NotFound("今日看板", "today dashboard")
    now = clock.now()
    employee = access.employee_of(actor.principal)
    entry = due_soon_entry(employee.unit if employee else None)
    result = Today(mode=mode, day=clock.local(now).date(), now=now, due_soon=entry)
    groups = routing_queries.team_groups(actor) if mode == TEAM else []
    result.people = people_in_view(actor, mode, groups)
    ids = [p.pk for p in result.people]
    conditions = _case_conditions(now, _window(now), entry.duration())
    cases = case_queries.cases(actor).filter(owner_id__in=ids)
    rows = {
        row["owner_id"]: row
        for row in cases.order_by()
        .values("owner_id")
        .annotate(**{name: Count("pk", filter=q) for name, q in conditions.items()})
    }
    revisits = _revisits(actor, now).filter(assignee_id__in=ids)
    done = dict(
        revisits.order_by().values("assignee_id").annotate(n=Count("pk")).values_list("assignee_id", "n")
    )
    for person in result.people:
        row = rows.get(person.pk, {})
        person.counts = {name: row.get(name, 0) for name in conditions}
        person.counts["revisits"] = done.get(person.pk, 0)
    result.totals = {name: sum(p.counts[name] for p in result.people) for name in PERSON_METRICS}
    result.totals["queued"] = _queued(actor, _group_ids(mode, ids, groups)).count()
    return result


def _revisits(actor: Actor, now):
    start, end = _window(now)
    return task_queries.tasks(actor, state="ended").filter(
        state=TaskState.DONE, ended_at__gte=start, ended_at__lt=end
    )


def _queued(actor: Actor, group_ids):
    return case_queries.cases(actor, open_only=True).filter(owner__isnull=True, skill_group_id__in=group_ids)


def person_in_view(actor: Actor, mode: str, pk) -> int | None:
    """The id of the team member `pk` names (None: everyone in view); NotFound for anyone else."""
    if pk in (None, ""):
        return None
    ids = {p.pk for p in people_in_view(actor, mode)}
    try:
        number = int(pk)
    except (TypeError, ValueError):
        number = 0
    if number not in ids:
        raise NotFound("员工", "employee")
    return number


def records(actor: Actor, metric: str, *, person_id: int | None = None, mode: str | None = None):
    """The records behind one number of `today`: cases (or, for `revisits`, revisit tasks), in the
    reader's scope, of one person in view or of everyone in view."""
    mode = mode or mode_of(actor)
    if mode is None or metric not in METRICS:
        raise NotFound("今日看板", "today dashboard")
    now = clock.now()
    groups = routing_queries.team_groups(actor) if mode == TEAM else []
    people = [p.pk for p in people_in_view(actor, mode, groups)]
    ids = [person_id] if person_id is not None else people
    if metric == "revisits":
        return _revisits(actor, now).filter(assignee_id__in=ids).order_by("-ended_at", "-pk")
    if metric == "queued":
        return _queued(actor, _group_ids(mode, people, groups)).order_by("received_at", "pk")
    employee = access.employee_of(actor.principal)
    soon = due_soon_entry(employee.unit if employee else None).duration()
    condition = _case_conditions(now, _window(now), soon)[metric]
    found = case_queries.cases(actor).filter(condition, owner_id__in=ids)
    if metric in QUEUE_METRICS:
        return found.order_by("next_due_at", "pk")
    return found.order_by("-received_at", "-pk")
