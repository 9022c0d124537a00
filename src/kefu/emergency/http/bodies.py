"""Emergency bodies and levels under /api/v1/emergency/bodies and /levels (EMG-2, EMG-3)."""

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import StrictSchema, actor
from kefu.emergency.actions import bodies as actions
from kefu.emergency.actions import levels as level_actions
from kefu.emergency.queries import bodies as queries
from kefu.emergency.queries import levels as level_queries
from kefu.emergency.queries.plans import employee_named, unit_named

router = Router(tags=["emergency"])


class SlotOut(Schema):
    id: int
    key: str
    title: str
    post_hint: str
    holder_id: int | None
    deputy_id: int | None
    acting_id: int | None = None  # who fills it now (deputy while the holder is on leave, or the delegate)
    acting_reason: str = ""  # holder, deputy_leave, delegate, absent or vacant


class BodyOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    kind: str
    name: str
    slots: list[SlotOut] = Field(validation_alias="slot_rows")


class BodyIn(StrictSchema):
    unit_id: int
    kind: str


class BindIn(StrictSchema):
    holder_id: int | None = None
    deputy_id: int | None = None


class LevelOut(Schema):
    code: str
    name: str
    description: str
    is_default: bool  # the system's default (本系统默认值, not from the seeds)


class LevelIn(StrictSchema):
    code: str = Field(max_length=10)
    name: str = Field(max_length=50)
    description: str = Field("", max_length=300)


class LevelsIn(StrictSchema):
    unit_id: int
    levels: list[LevelIn] = Field(max_length=10)


def _rows(body):
    body.slot_rows = []
    for slot in body.slots.all():
        now = queries.holder_now(slot)
        slot.acting_id = getattr(now.employee, "pk", None)
        slot.acting_reason = now.reason
        body.slot_rows.append(slot)
    return body


@router.get(
    "/bodies", response=list[BodyOut], summary="Emergency bodies I may see, with who fills each slot now"
)
def list_bodies(request):
    return [_rows(b) for b in queries.bodies(actor(request))[:200]]


@router.get("/bodies/{body_id}", response=BodyOut, summary="One emergency body")
def get_body(request, body_id: int):
    return _rows(queries.body(actor(request), body_id))


@router.post("/bodies", response={201: BodyOut}, summary="Form a body from its template (EMG-2)")
def create_body(request, payload: BodyIn):
    me = actor(request)
    body = actions.create_body(me, unit=unit_named(payload.unit_id, "unit_id"), kind=payload.kind)
    return Status(201, _rows(queries.body(me, body.pk)))


@router.put("/slots/{slot_id}", response=BodyOut, summary="Bind a slot's holder and deputy (EMG-2)")
def bind_slot(request, slot_id: int, payload: BindIn):
    me = actor(request)
    slot = queries.slot(me, slot_id)
    actions.bind_slot(
        me,
        slot,
        holder=employee_named(payload.holder_id, "holder_id") if payload.holder_id else None,
        deputy=employee_named(payload.deputy_id, "deputy_id") if payload.deputy_id else None,
    )
    return _rows(queries.body(me, slot.body_id))


@router.get(
    "/levels/{unit_id}", response=list[LevelOut], summary="The response levels of a unit's subsidiary (EMG-3)"
)
def levels(request, unit_id: int):
    return level_queries.visible(actor(request), unit_named(unit_id, "unit_id"))


@router.put("/levels", response=list[LevelOut], summary="Set a subsidiary's response levels (EMG-3)")
def set_levels(request, payload: LevelsIn):
    me = actor(request)
    unit = unit_named(payload.unit_id, "unit_id")
    level_actions.set_levels(me, unit, [row.model_dump() for row in payload.levels])
    return level_queries.levels_for(unit)
