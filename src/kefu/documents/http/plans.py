"""Annual and work plans under /api/v1/documents/plans (DOC-1)."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import StrictSchema, actor
from kefu.documents.actions import plans as actions
from kefu.documents.queries import common
from kefu.documents.queries import plans as queries

router = Router(tags=["documents"])


class WorkPlanOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    kind: str  # annual (年度计划) or work (工作计划)
    year: int
    title: str
    item_count: int = 0
    done_count: int = 0
    overdue_count: int = 0


class PlanItemOut(Schema):
    id: int
    position: int
    text: str
    owner_id: int
    owner_name: str = Field(validation_alias="owner.name")
    due_on: date
    percent: int
    status: str  # not_started, in_progress, blocked, done
    done_on: date | None
    overdue: bool = False
    updated_at: datetime


class WorkPlanDetailOut(WorkPlanOut):
    items: list[PlanItemOut] = Field(default_factory=list, validation_alias="item_rows")


class PlanItemIn(StrictSchema):
    text: str = Field(max_length=500)
    owner_id: int
    due_on: date


class WorkPlanIn(StrictSchema):
    unit_id: int
    kind: str
    year: int
    title: str = Field(max_length=200)
    items: list[PlanItemIn] = Field(default_factory=list, max_length=100)


class ProgressIn(StrictSchema):
    percent: int = Field(ge=0, le=100)
    status: str
    note: str = Field("", max_length=500)


def _items(items):
    return [actions.ItemIn(i.text, common.employee_named(i.owner_id, "owner_id"), i.due_on) for i in items]


def _detail(me, plan):
    row = queries.plan(me, plan.pk)
    row.item_rows = queries.items(row)
    return row


@router.get("", response=list[WorkPlanOut], summary="Plans I may see, with done and overdue counts")
def list_plans(request):
    return list(queries.plans(actor(request))[:200])


@router.post("", response={201: WorkPlanDetailOut}, summary="Draw up an annual or work plan (DOC-1)")
def create_plan(request, payload: WorkPlanIn):
    me = actor(request)
    plan = actions.create_plan(
        me,
        unit=common.unit_named(payload.unit_id, "unit_id"),
        kind=payload.kind,
        year=payload.year,
        title=payload.title,
        items=_items(payload.items),
    )
    return Status(201, _detail(me, plan))


@router.get("/{plan_id}", response=WorkPlanDetailOut, summary="One plan with its items (overdue marked)")
def get_plan(request, plan_id: int):
    me = actor(request)
    return _detail(me, queries.plan(me, plan_id))


@router.post("/{plan_id}/items", response={201: PlanItemOut}, summary="Add an item to a plan (DOC-1)")
def add_item(request, plan_id: int, payload: PlanItemIn):
    me = actor(request)
    plan = queries.plan(me, plan_id)
    made = actions.add_item(me, plan, _items([payload])[0])
    made.overdue = False
    return Status(201, made)


@router.post("/items/{item_id}/progress", response=PlanItemOut, summary="Report an item's progress (DOC-1)")
def report_progress(request, item_id: int, payload: ProgressIn):
    me = actor(request)
    item = queries.item(me, item_id)
    done = actions.report_progress(
        me, item, percent=payload.percent, status=payload.status, note=payload.note
    )
    return next(i for i in queries.items(done.plan) if i.pk == done.pk)
