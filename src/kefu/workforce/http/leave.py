"""Rest and leave under /api/v1/workforce/leave (LV-1…LV-5)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.errors import NotFound
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.org import access
from kefu.workforce.actions import leave as actions
from kefu.workforce.queries import leave as queries

router = Router(tags=["workforce"])


class LeaveOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    kind: str  # rest (paid rest, LV-4 quota) or leave
    starts_at: datetime
    ends_at: datetime
    days: Decimal
    paid_days: Decimal
    reason: str
    arrangement: str
    substitute_id: int | None
    state: str  # pending, approved, rejected, returned
    requested_at: datetime
    handed_over_at: datetime | None


class LeaveIn(StrictSchema):
    kind: Literal["rest", "leave"] = "rest"
    starts_on: date
    ends_on: date
    half_day: bool = Field(False, description="the last day is half a day")
    reason: str = Field(max_length=500)
    arrangement: str = Field(max_length=500, description="how the work is covered (LV-1)")
    substitute_id: int | None = None


class QuotaOut(Schema):
    year: int
    quarter: int
    per_quarter: Decimal
    per_year: Decimal
    left_quarter: Decimal
    left_year: Decimal


class LeaveDecisionIn(StrictSchema):
    decision: Literal["approve", "reject", "return"]
    reason: str = Field("", max_length=500)


@router.get("", response=list[LeaveOut], summary="My rest and leave requests (LV-1)")
@paginate(Pagination)
def mine(request):
    return list(queries.mine(actor(request)))


@router.post("", response={201: LeaveOut}, summary="Request rest or leave in advance (LV-1, LV-3, LV-4)")
def create(request, payload: LeaveIn):
    return Status(
        201,
        actions.request(
            actor(request),
            kind=payload.kind,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            half_day=payload.half_day,
            reason=payload.reason,
            arrangement=payload.arrangement,
            substitute=payload.substitute_id,
        ),
    )


@router.get("/quota", response=QuotaOut, summary="What remains of my paid rest this quarter and year (LV-4)")
def quota(request, day: date | None = None):
    me = access.employee_of(actor(request).principal)
    if me is None:
        raise NotFound("员工", "employee")
    return queries.quota(me, day)


@router.get("/team", response=list[LeaveOut], summary="The team leave calendar (case.manage scope)")
def team(request, start: date, days: int = 14):
    return queries.team_calendar(actor(request), start, max(1, min(days, 62)))


@router.get(
    "/{leave_id}", response=LeaveOut, summary="One request (its requester, an approver, a supervisor)"
)
def one(request, leave_id: int):
    return queries.request(actor(request), leave_id)


@router.post("/{leave_id}/decision", response=LeaveOut, summary="Decide my approval step (LV-2, LV-3)")
def decide(request, leave_id: int, payload: LeaveDecisionIn):
    me = actor(request)
    return actions.decide(me, queries.request(me, leave_id), payload.decision, reason=payload.reason)
