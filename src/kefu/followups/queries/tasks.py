"""Read paths of revisits (FUP-1), filtered by the caller's data scope: the tasks of the case records
the caller may see (`revisit.view` over the task's unit, or their own as assignee)."""

from django.db.models import F, Prefetch, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.engine.outbound import windows
from kefu.followups.models import RevisitAttempt, RevisitTask, TaskState
from kefu.knowledge import queries as knowledge
from kefu.org import access

VIEW = "revisit.view"
STATES = ("open", "ended", "all")


def tasks(actor: Actor, *, state: str = "open", mine: bool = False, overdue: bool = False, employee=None):
    """The revisit queue: open tasks by due time (the earliest first), or ended ones newest first."""
    found = access.scoped(RevisitTask.objects.all(), actor, VIEW, owner="assignee_id").select_related(
        "case", "case__customer", "customer", "assignee", "plan", "campaign"
    )
    if mine:
        found = found.filter(assignee=employee) if employee is not None else found.none()
    if state == "open":
        found = found.filter(state=TaskState.OPEN)
    elif state == "ended":
        found = found.exclude(state=TaskState.OPEN)
    if overdue:
        found = found.filter(state=TaskState.OPEN, due_at__lt=clock.now())
    if state == "ended":
        return found.order_by(F("ended_at").desc(nulls_last=True), "-pk")
    return found.order_by("due_at", "pk")


def task(actor: Actor, pk) -> RevisitTask:
    text = str(pk)
    # an id no database key holds (a 20-digit path) is simply not found, never an overflow
    found = (
        tasks(actor, state="all").filter(pk=int(text)).first()
        if text.isdecimal() and len(text) <= 18
        else None
    )
    if found is None:
        raise NotFound("回访任务", "revisit task")
    return found


def attempts(task: RevisitTask) -> list[RevisitAttempt]:
    return list(task.attempts.select_related("by"))


# Relevance of a proposed script (本系统默认值: tuning of the suggestion, not a policy number): the
# article's score from the case's own words (title and keywords count, the kind link does not) must
# reach SCRIPT_MIN_SCORE — a term in its title and its keywords — and lead the next article by
# SCRIPT_LEAD times; otherwise no script is proposed rather than a wrong one (a water-bill revisit
# once showed 电费账单解读: "账单" alone matched it, about as well as two other articles).
SCRIPT_MIN_SCORE = 10
SCRIPT_LEAD = 2


def script(actor: Actor, task: RevisitTask):
    """The knowledge-base article that clearly matches the revisit's case, or None."""
    if not task.case_id:
        return None
    found = knowledge.suggest(actor, text=task.case.title, limit=2)
    if not found or found[0].score < SCRIPT_MIN_SCORE:
        return None
    if len(found) > 1 and found[0].score < SCRIPT_LEAD * found[1].score:
        return None
    return found[0]


def customer_of(task: RevisitTask):
    return task.customer if task.customer_id else (task.case.customer if task.case_id else None)


def waiting_for(task: RevisitTask, now) -> str:
    """FUP-2: the customer's contact window when an open revisit must wait for it now ("" when it
    may call now, or the customer set no window)."""
    customer = customer_of(task)
    if task.state != TaskState.OPEN or customer is None or not customer.contact_window:
        return ""
    try:
        inside = windows.opens_at(customer.contact_window, now) == now
    except Invalid:
        return ""
    return "" if inside else customer.contact_window


def of_customer(actor: Actor, customer, *, limit: int = 50) -> list[RevisitTask]:
    """The revisits of `customer` the caller may see (its own, or of its cases), newest first, with
    their attempts prefetched: the customer timeline's revisits (CUS-9), a fixed number of queries."""
    found = (
        tasks(actor, state="all")
        .filter(Q(customer=customer) | Q(case__customer=customer))
        .prefetch_related(Prefetch("attempts", queryset=RevisitAttempt.objects.select_related("by")))
        .order_by("-created_at", "-pk")
    )
    return list(found[:limit])
