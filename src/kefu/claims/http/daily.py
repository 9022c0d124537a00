"""报备 API for the group's daily registration submissions (CLM-12) under /api/v1/claims/daily: the
overview of the last working days per reporting unit, and a unit's day submitted once."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Query, Router, Schema, Status
from pydantic import Field

from kefu.claims import actions
from kefu.claims.queries import daily as queries
from kefu.claims.queries.daily import OVERVIEW_DAYS, OVERVIEW_DAYS_MAX
from kefu.core import clock
from kefu.core.http_support import StrictSchema, actor

router = Router(tags=["claims"])


class DailyCustomerIn(StrictSchema):
    name: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=30)] = ""


class DailyIn(StrictSchema):
    unit_id: int
    day: date | None = Field(None, description="the working day reported; today (Beijing time) if omitted")
    none_today: bool = Field(False, description="explicitly: no new customers that day")
    customers: list[DailyCustomerIn] = Field(default_factory=list, max_length=500)


class DailyOut(Schema):
    id: int
    unit_id: int
    day: date
    none_today: bool
    customers: list[dict] = Field(description="name and masked phone of each new customer")
    submitted_at: datetime


class DayCellOut(Schema):
    day: date
    status: Literal["submitted", "none_today", "missing", "pending"]
    count: int
    flagged: bool = Field(description="the daily check has flagged the day as missing")


class UnitDaysOut(Schema):
    unit_id: int
    unit: str
    missing: int
    days: list[DayCellOut]

    @staticmethod
    def resolve_unit_id(obj):
        return obj.unit.pk

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_missing(obj):
        return obj.missing_count

    @staticmethod
    def resolve_days(obj):
        return obj.cells


class DailyOverviewOut(Schema):
    days: list[date]
    units: list[UnitDaysOut]


@router.get(
    "",
    response=DailyOverviewOut,
    summary="CLM-12 the last working days per reporting unit, missing days flagged",
    operation_id="kefu_claims_http_reports_daily_overview",
)
def daily_overview(request, days: int = Query(OVERVIEW_DAYS, ge=1, le=OVERVIEW_DAYS_MAX)):
    dates, rows = queries.daily_overview(actor(request), days)
    return {"days": dates, "units": rows}


@router.post(
    "",
    response={201: DailyOut},
    summary="CLM-12 submit a unit's day: its new customers, or explicitly none (once per day; 409 after)",
    operation_id="kefu_claims_http_reports_daily_submit",
)
def daily_submit(request, payload: DailyIn):
    current = actor(request)
    submission = actions.submit_daily(
        current,
        unit=queries.reporting_unit(payload.unit_id),
        day=payload.day or clock.today(),
        customers=[c.model_dump() for c in payload.customers],
        none_today=payload.none_today,
    )
    return Status(201, submission)
