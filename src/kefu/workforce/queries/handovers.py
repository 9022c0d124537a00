"""Read paths of handovers (HO-1): what a leaver has open right now (cases, revisit tasks, running
clocks), the handovers a person takes part in or may oversee, one handover by id (404 outside)."""

from django.db.models import Q

from kefu.cases.models import OPEN_STATES, Case
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow
from kefu.followups.models import RevisitTask, TaskState
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus
from kefu.workforce.models import Handover, HandoverState, ItemKind, RotaShift, RotaState

OVERSEE = "attendance.view"


def open_work(leaver: Employee) -> list[dict]:
    """HO-1: the leaver's open cases, open revisit tasks and the running clocks of those cases, as
    handover items (kind, object_id, label, due_at) — three reads, whatever their number."""
    cases = list(Case.objects.filter(owner=leaver, state__in=OPEN_STATES).only("pk", "number").order_by("pk"))
    items = [{"kind": ItemKind.CASE, "object_id": c.pk, "label": c.number, "due_at": None} for c in cases]
    tasks = (
        RevisitTask.objects.filter(assignee=leaver, state=TaskState.OPEN).only("pk", "due_at").order_by("pk")
    )
    items += [
        {"kind": ItemKind.REVISIT, "object_id": t.pk, "label": f"回访任务 {t.pk}", "due_at": t.due_at}
        for t in tasks
    ]
    if cases:
        numbers = {c.pk: c.number for c in cases}
        for timer in workflow.clocks(cases, states=[workflow.TimerState.RUNNING]):
            label = f"{numbers.get(int(timer.object_id), '')} 时限"
            items.append(
                {"kind": ItemKind.CLOCK, "object_id": timer.pk, "label": label, "due_at": timer.due_at}
            )
    return items


def visible(actor: Actor):
    """Handovers the actor gives or takes, and those of the units their attendance.view covers."""
    me = access.employee_of(actor.principal)
    mine = Q(leaver=me) | Q(receiver=me) if me is not None else Q(pk__in=[])
    scoped = access.scoped(Handover.objects.all(), actor, OVERSEE).values("pk")
    return (
        Handover.objects.filter(mine | Q(pk__in=scoped))
        .select_related("leaver", "receiver", "unit")
        .order_by("-leaves_at", "-pk")
    )


def handovers(actor: Actor, *, state: str | None = None):
    found = visible(actor)
    return found.filter(state=state) if state else found


def handover(actor: Actor, pk: int) -> Handover:
    found = visible(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("交接", "handover")
    return found


def items(handover: Handover):
    return handover.items.order_by("kind", "pk")


def liabilities(handover: Handover):
    return handover.liabilities.select_related("employee").order_by("pk")


def due_rest_shifts(now, before):
    """Published shifts whose rest handover should be open by `now` (ends_at − `before` ≤ now < ends_at)
    and is not yet."""
    return (
        RotaShift.objects.filter(
            rota__state=RotaState.PUBLISHED, ends_at__gt=now, ends_at__lte=now + before, handover__isnull=True
        )
        .select_related("employee__user", "employee__unit")
        .order_by("ends_at", "pk")
    )


def open_overdue(now):
    return Handover.objects.filter(state=HandoverState.OPEN, leaves_at__lte=now).select_related(
        "leaver__user", "receiver__user"
    )


def colleague(pk: int | None) -> Employee | None:
    """The receiver named by id (whether they may receive is the action's question)."""
    if not pk:
        return None
    found = Employee.objects.select_related("unit").filter(pk=pk).first()
    if found is None:
        raise Invalid(
            "handover_receiver_unknown",
            "接班人不存在或已离职",
            "No such active colleague",
            {"receiver": "unknown"},
        )
    return found


def colleagues(me):
    """Who may receive: the active colleagues of the leaver's subsidiary (HO-1)."""
    if me is None:
        return Employee.objects.none()
    subsidiary = policy.subsidiary_of(me.unit)
    path = subsidiary.path if subsidiary is not None else me.unit.path
    return (
        Employee.objects.filter(unit__path__startswith=path, status=EmploymentStatus.ACTIVE)
        .exclude(pk=me.pk)
        .order_by("number")
    )
