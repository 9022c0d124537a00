"""Handovers under /api/v1/workforce/handovers (HO-1)."""

from datetime import datetime
from typing import Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.workforce.actions import handovers as actions
from kefu.workforce.queries import handovers as queries

router = Router(tags=["workforce"])


class HandoverItemOut(Schema):
    kind: str  # case, revisit or clock
    object_id: int
    label: str
    due_at: datetime | None
    carried: bool


class HandoverLiabilityOut(Schema):
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    kind: str  # omission, takeover or uncovered
    note: str
    recorded_at: datetime


class HandoverOut(Schema):
    id: int
    kind: str  # rest or temporary
    state: str  # open, done or uncovered
    leaver_id: int
    leaver_name: str = Field(validation_alias="leaver.name")
    receiver_id: int | None
    leaves_at: datetime
    opened_at: datetime
    leaver_confirmed_at: datetime | None
    receiver_confirmed_at: datetime | None
    done_at: datetime | None


class HandoverDetailOut(HandoverOut):
    items: list[HandoverItemOut] = Field(validation_alias="item_rows")
    liabilities: list[HandoverLiabilityOut] = Field(validation_alias="liability_rows")


class HandoverFilters(Schema):
    state: Literal["", "open", "done", "uncovered"] = ""


class HandoverTemporaryIn(StrictSchema):
    leaves_at: datetime = Field(description="when you leave the post: 10–30 minutes from now (HO-1, pack)")
    receiver_id: int | None = None
    note: str = Field("", max_length=1000)


class HandoverConfirmIn(StrictSchema):
    receiver_id: int | None = Field(None, description="the leaver may name the receiver of a rest handover")


class HandoverLiabilityIn(StrictSchema):
    kind: Literal["omission", "takeover"]
    note: str = Field(max_length=1000)


def _detail(handover):
    handover.item_rows = list(queries.items(handover))
    handover.liability_rows = list(queries.liabilities(handover))
    return handover


@router.get("", response=list[HandoverOut], summary="Handovers I give or take, and those I oversee")
@paginate(Pagination)
def list_handovers(request, filters: Query[HandoverFilters]):
    return queries.handovers(actor(request), state=filters.state or None)


@router.get("/{handover_id}", response=HandoverDetailOut, summary="One handover with its items and liability")
def get_handover(request, handover_id: int):
    return _detail(queries.handover(actor(request), handover_id))


@router.post("", response={201: HandoverDetailOut}, summary="Open a temporary handover (HO-1)")
def open_temporary(request, payload: HandoverTemporaryIn):
    me = actor(request)
    receiver = queries.colleague(payload.receiver_id)
    handover = actions.open_temporary(me, leaves_at=payload.leaves_at, receiver=receiver, note=payload.note)
    return Status(201, _detail(handover))


@router.post(
    "/{handover_id}/confirm", response=HandoverDetailOut, summary="Confirm as leaver or receiver (HO-1)"
)
def confirm(request, handover_id: int, payload: HandoverConfirmIn):
    me = actor(request)
    handover = queries.handover(me, handover_id)
    return _detail(actions.confirm(me, handover, receiver=queries.colleague(payload.receiver_id)))


@router.post(
    "/{handover_id}/liabilities",
    response={201: HandoverLiabilityOut},
    summary="Record liability (supervisor, HO-1)",
)
def record_liability(request, handover_id: int, payload: HandoverLiabilityIn):
    me = actor(request)
    handover = queries.handover(me, handover_id)
    return Status(201, actions.record_liability(me, handover, kind=payload.kind, note=payload.note))
