"""Complaint-surge alerts under /api/v1/emergency/surges (EMG-5): the command centre's list, one surge
with the cases counted and the decision, and the acknowledgement that stops the reminders."""

from datetime import datetime
from decimal import Decimal

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from kefu.core import decisions
from kefu.core.http_support import Pagination, actor
from kefu.core.schemas import DecisionOut
from kefu.emergency.actions import surges as actions
from kefu.emergency.queries import surges as queries

router = Router(tags=["emergency"])


class SurgeOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    family: str  # complaint or repair
    window_start: datetime
    window_end: datetime
    window_minutes: int
    count: int
    peak: int
    baseline: Decimal
    baseline_days: int
    factor: Decimal
    threshold: int
    threshold_case_id: int | None
    detected_at: datetime
    ended_at: datetime | None
    alerts: int
    last_alert_at: datetime | None
    next_alert_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None


class SurgeCaseOut(Schema):
    id: int
    number: str
    title: str
    family: str
    unit_name: str = Field(validation_alias="unit.name")
    received_at: datetime


class SurgeDetailOut(SurgeOut):
    cases: list[SurgeCaseOut] = Field(validation_alias="case_rows")
    decisions: list[DecisionOut] = Field(validation_alias="decision_rows")


def _detail(surge):
    surge.case_rows = list(queries.counted_cases(surge))
    surge.decision_rows = decisions.rows(surge)
    return surge


@router.get("", response=list[SurgeOut], summary="Complaint-surge alerts in my scope, newest first (EMG-5)")
@paginate(Pagination)
def list_surges(request, open_only: bool = False):
    return queries.surges(actor(request), open_only=open_only)


@router.get(
    "/{surge_id}", response=SurgeDetailOut, summary="One surge with the cases counted and why (EMG-5)"
)
def get_surge(request, surge_id: int):
    return _detail(queries.surge(actor(request), surge_id))


@router.post(
    "/{surge_id}/acknowledge",
    response=SurgeDetailOut,
    summary="Acknowledge the alert: reminders stop (EMG-5)",
)
def acknowledge(request, surge_id: int):
    me = actor(request)
    actions.acknowledge(me, queries.surge(me, surge_id))
    return _detail(queries.surge(me, surge_id))
