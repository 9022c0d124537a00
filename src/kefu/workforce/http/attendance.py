"""Attendance under /api/v1/workforce/attendance (ATT-1)."""

from datetime import date, datetime

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, actor
from kefu.org import access
from kefu.workforce.actions import attendance as actions
from kefu.workforce.queries import attendance as queries

router = Router(tags=["workforce"])


class AttendanceRecordOut(Schema):
    id: int
    employee_id: int
    day: date
    clock_in: datetime | None
    clock_out: datetime | None
    source: str  # web or import


class AttendanceFlagOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    day: date
    kind: str  # late, absent or missing
    minutes: int


class AttendanceFlagFilters(Schema):
    unit_id: int | None = None
    since: date | None = None


class AttendanceSheetRow(Schema):
    employee_id: int
    employee_name: str
    shifts: int
    present: int
    late: int
    late_minutes: int
    absent: int
    missing: int


@router.post(
    "/clock", response={201: AttendanceRecordOut}, summary="Clock in, or out on the second tap (ATT-1)"
)
def clock(request):
    return Status(201, actions.clock_tap(actor(request)))


@router.get("/mine", response=list[AttendanceRecordOut], summary="My attendance, the latest day first")
def mine(request):
    me = access.employee_of(actor(request).principal)
    return list(queries.my_records(me)) if me is not None else []


@router.get(
    "/flags", response=list[AttendanceFlagOut], summary="Late, absent and missing records in my scope"
)
@paginate(Pagination)
def flags(request, filters: Query[AttendanceFlagFilters]):
    me = actor(request)
    access.require(me, queries.VIEW)
    unit = queries.team(me, filters.unit_id) if filters.unit_id else None
    return queries.flags(me, unit=unit, since=filters.since)


@router.get(
    "/teams/{unit_id}/month",
    response=list[AttendanceSheetRow],
    summary="A team's monthly sheet for HR (ATT-1)",
)
def month(
    request, unit_id: int, year: int = Query(..., ge=2000, le=2100), month: int = Query(..., ge=1, le=12)
):
    me = actor(request)
    access.require(me, queries.VIEW)
    unit = queries.team(me, unit_id)
    return [
        {
            **{k: v for k, v in row.items() if k != "employee"},
            "employee_id": row["employee"].pk,
            "employee_name": row["employee"].name,
        }
        for row in queries.month_sheet(unit, year, month)
    ]
