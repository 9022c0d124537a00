"""Read paths of plans (DOC-1): the plans of units documents.view / documents.manage reach, and those
with an item the person owns; one by id (404 outside); items with overdue marked (past due, not done —
from the clock) and their progress reports."""

from django.db.models import Count, Prefetch, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.documents.models import ItemStatus, PlanItem, ProgressUpdate, WorkPlan
from kefu.documents.queries.common import pk_of, reader_q
from kefu.org import access


def visible_q(actor: Actor) -> Q | None:
    condition = reader_q(actor, "unit__path")
    me = access.employee_of(actor.principal)
    if me is not None:
        mine = Q(pk__in=PlanItem.objects.filter(owner_id=me.pk).values("plan_id"))
        condition = mine if condition is None else condition | mine
    return condition


def plans(actor: Actor):
    condition = visible_q(actor)
    if condition is None:
        return WorkPlan.objects.none()
    today = clock.today()
    return (
        WorkPlan.objects.filter(condition)
        .select_related("unit")
        .annotate(
            item_count=Count("items", distinct=True),
            done_count=Count("items", filter=Q(items__status=ItemStatus.DONE), distinct=True),
            overdue_count=Count(
                "items", filter=Q(items__due_on__lt=today) & ~Q(items__status=ItemStatus.DONE), distinct=True
            ),
        )
        .order_by("-year", "unit__path", "pk")
    )


def plan(actor: Actor, pk) -> WorkPlan:
    found = plans(actor).filter(pk=pk_of(pk)).first() if pk_of(pk) else None
    if found is None:
        raise NotFound("工作计划", "plan")
    return found


def items(plan: WorkPlan) -> list[PlanItem]:
    """The plan's items with their owners and progress reports; `overdue` set on each."""
    today = clock.today()
    rows = list(
        plan.items.select_related("owner__unit").prefetch_related(
            Prefetch("updates", queryset=ProgressUpdate.objects.order_by("-at", "-pk"))
        )
    )
    for row in rows:
        row.overdue = row.status != ItemStatus.DONE and row.due_on < today
    return rows


def item(actor: Actor, pk) -> PlanItem:
    found = (
        PlanItem.objects.filter(pk=pk_of(pk)).select_related("plan__unit", "owner").first()
        if pk_of(pk)
        else None
    )
    if found is None:
        raise NotFound("计划事项", "plan item")
    plan(actor, found.plan_id)
    return found
