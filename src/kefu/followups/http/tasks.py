"""Revisit tasks and their attempts under /api/v1/followups/tasks (FUP-1, FUP-2)."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.followups.actions import attempts as actions
from kefu.followups.http.schemas import AttemptIn, AttemptOut, TaskDetailOut, TaskFilters, TaskOut
from kefu.followups.queries import tasks as queries
from kefu.org import access

router = Router(tags=["followups"])


@router.get("", response=list[TaskOut], summary="Revisit tasks in my scope, the earliest due first")
@paginate(Pagination)
def list_tasks(request, filters: Query[TaskFilters]):
    me = actor(request)
    access.require(me, "revisit.view")
    return queries.tasks(me, employee=access.employee_of(me.principal), **filters.model_dump())


@router.get("/{task_id}", response=TaskDetailOut, summary="One revisit task with its attempts")
def get_task(request, task_id: int):
    return queries.task(actor(request), task_id)


@router.post(
    "/{task_id}/attempts",
    response={201: AttemptOut},
    summary="Record an attempt (FUP-1); refused outside the contact window or to a third party (FUP-2)",
)
def record_attempt(request, task_id: int, payload: AttemptIn):
    me = actor(request)
    task = queries.task(me, task_id)
    return Status(201, actions.record(me, task, **payload.model_dump()))
