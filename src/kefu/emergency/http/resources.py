"""Emergency resources under /api/v1/emergency/resources (RES-1): the register (filters 已过期 expired /
即将到期 soon), an item with its inspections and movements, registering, inspections and stock movements."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.emergency.actions import resources as actions
from kefu.emergency.queries import resources as queries
from kefu.org.queries import employee_named

router = Router(tags=["emergency"])


class ResourceOut(Schema):
    id: int
    kind: str
    name: str
    location: str
    quantity: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    custodian_id: int
    custodian_name: str = Field(validation_alias="custodian.name")
    inspect_every_days: int
    next_inspection: date
    expires_on: date | None


class ResourceIn(StrictSchema):
    unit_id: int
    kind: str = Field(
        max_length=20, description="phone / first_aid / extinguisher / lighting / spare / stock"
    )
    name: str = Field(max_length=100)
    location: str = Field(max_length=200)
    quantity: int = Field(ge=0, le=1_000_000)
    custodian_id: int
    inspect_every_days: int = Field(ge=1, le=3660)
    next_inspection: date | None = None
    expires_on: date | None = None


class InspectionIn(StrictSchema):
    result: str = Field(max_length=10, description="ok / fixed / faulty")
    inspected_on: date | None = None
    note: str = Field("", max_length=500)


class ResourceInspectionOut(Schema):
    id: int
    inspected_by_id: int
    inspected_on: date
    result: str
    note: str
    next_due: date


class MovementIn(StrictSchema):
    kind: str = Field(max_length=10, description="issue / restock")
    amount: int = Field(ge=1, le=1_000_000)
    note: str = Field("", max_length=200)


class MovementOut(Schema):
    id: int
    kind: str
    amount: int
    balance: int
    note: str
    at: datetime


@router.get("", response=list[ResourceOut], summary="The emergency resources register of my scope (RES-1)")
@paginate(Pagination)
def list_resources(request, state: str = "", kind: str = "", q: str = ""):
    return queries.filtered(actor(request), state=state, kind=kind, q=q[:100])


@router.post("", response={201: ResourceOut}, summary="Register an emergency resource (RES-1)")
def create_resource(request, payload: ResourceIn):
    me = actor(request)
    item = actions.register_item(
        me,
        unit=queries.unit_named(payload.unit_id, "unit_id"),
        kind=payload.kind,
        name=payload.name,
        location=payload.location,
        quantity=payload.quantity,
        custodian=employee_named(payload.custodian_id, "custodian_id"),
        inspect_every_days=payload.inspect_every_days,
        next_inspection=payload.next_inspection,
        expires_on=payload.expires_on,
    )
    return Status(201, queries.resource(me, item.pk))


@router.get("/{int:resource_id}", response=ResourceOut, summary="One emergency resource (RES-1)")
def get_resource(request, resource_id: int):
    return queries.resource(actor(request), resource_id)


@router.get("/{int:resource_id}/inspections", response=list[ResourceInspectionOut], summary="Its inspections")
def list_inspections(request, resource_id: int):
    return queries.history(queries.resource(actor(request), resource_id))["inspections"]


@router.post(
    "/{int:resource_id}/inspections",
    response={201: ResourceInspectionOut},
    summary="Record an inspection; the next due date moves (RES-1)",
)
def inspect(request, resource_id: int, payload: InspectionIn):
    me = actor(request)
    row = actions.record_inspection(
        me,
        queries.resource(me, resource_id),
        result=payload.result,
        inspected_on=payload.inspected_on,
        note=payload.note,
    )
    return Status(201, row)


@router.get("/{int:resource_id}/movements", response=list[MovementOut], summary="Its stock movements")
def list_movements(request, resource_id: int):
    return queries.history(queries.resource(actor(request), resource_id))["movements"]


@router.post(
    "/{int:resource_id}/movements",
    response={201: MovementOut},
    summary="Issue or restock; an issue beyond the quantity is refused (RES-1)",
)
def move(request, resource_id: int, payload: MovementIn):
    me = actor(request)
    row = actions.move(
        me, queries.resource(me, resource_id), kind=payload.kind, amount=payload.amount, note=payload.note
    )
    return Status(201, row)
