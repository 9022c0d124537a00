"""Calls and the major-quality notice under /api/v1/cases (SLA-1): parse, call a query or an action,
serialise. A case outside the caller's scope answers 404; a step the caller may not take 403."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone
from ninja import Router, Status

from kefu.cases.actions import calls as actions_calls
from kefu.cases.actions import notices as actions_notices
from kefu.cases.http.schemas.calls import (
    CallLogIn,
    CallLogOut,
    CallOut,
    CallSummaryOut,
    QualityNoticeIn,
    QualityNoticeOut,
    RingsIn,
)
from kefu.cases.queries import calls as call_queries
from kefu.cases.queries import intake as queries
from kefu.core import clock
from kefu.core.http_support import actor

router = Router(tags=["cases"])


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return value.replace(tzinfo=clock.zone())
    return value


# ── SLA-1 phone answered within rings ─────────────────────────────────────────────────────────────
@router.post("/calls/import", response=CallLogOut, summary="SLA-1 import calls from the telephony log")
def import_calls(request, payload: CallLogIn):
    current = actor(request)
    agents = call_queries.agents_by_number([c.agent_number for c in payload.calls])
    rows = [
        {
            "case": call_queries.case_by_number(current, c.case_number),
            "call_id": c.call_id,
            "rang_at": _aware(c.rang_at),
            "answered_at": _aware(c.answered_at),
            "rings": c.rings,
            "agent": agents.get(c.agent_number),
        }
        for c in payload.calls
    ]
    return actions_calls.import_log(current, rows)


@router.get("/calls/summary", response=CallSummaryOut, summary="SLA-1 calls and ring breaches of a period")
def call_summary(request, start: date, end: date):
    since = datetime.combine(start, time.min, tzinfo=clock.zone())
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=clock.zone())
    return call_queries.summary(actor(request), since, until)


@router.post(
    "/{int:case_id}/rings",
    response={201: CallOut},
    summary="SLA-1 the agent records the call's rings at the first response (no telephony log)",
)
def record_rings(request, case_id: int, payload: RingsIn):
    current = actor(request)
    made = actions_calls.record_rings(
        current, queries.case(current, case_id), payload.rings, answered=payload.answered
    )
    return Status(201, made)


@router.get("/{int:case_id}/calls", response=list[CallOut], summary="SLA-1 the case's calls")
def case_calls(request, case_id: int):
    return call_queries.calls_of(queries.case(actor(request), case_id))


# ── SLA-1 major quality problem → the office supervisor told in time ──────────────────────────────
@router.post(
    "/{int:case_id}/quality-notice",
    response=QualityNoticeOut,
    summary="SLA-1 tell the office supervisor of a major quality problem (stops its clock)",
)
def quality_notice(request, case_id: int, payload: QualityNoticeIn):
    current = actor(request)
    people = actions_notices.notify_office(current, queries.case(current, case_id), payload.note)
    return {"notified": [u.employee.name for u in people]}
