"""Complaint handling under /api/v1/cases (CASE-4, CASE-5, CASE-7, WF-4): parse, call a query or an
action, serialise. A case outside the caller's scope answers 404; a step the caller may not take 403;
a step the state does not allow 409."""

from datetime import date

from ninja import Router, Status

from kefu.cases.actions import complaints as actions_complaints
from kefu.cases.http.schemas.complaints import (
    ClosureReportIn,
    ClosureReportOut,
    CompensationIn,
    CompensationOut,
    RecurrencesOut,
    RootCauseIn,
    RootCauseOut,
    StaffCausedIn,
    StaffOut,
    VerifyIn,
)
from kefu.cases.queries import complaints as complaint_queries
from kefu.cases.queries import intake as queries
from kefu.core.http_support import actor

router = Router(tags=["cases"])


# ── CASE-4 closure report ──────────────────────────────────────────────────────────────────────
@router.post(
    "/{int:case_id}/closure-report", response=ClosureReportOut, summary="CASE-4 write or edit the 结案报告"
)
def write_report(request, case_id: int, payload: ClosureReportIn):
    current = actor(request)
    return actions_complaints.write_closure_report(
        current, queries.case(current, case_id), **payload.model_dump()
    )


@router.get("/{int:case_id}/closure-report", response=ClosureReportOut, summary="CASE-4 the 结案报告")
def get_report(request, case_id: int):
    return complaint_queries.written_closure_report(queries.case(actor(request), case_id))


# ── CASE-4 compensation (WF-4) ──────────────────────────────────────────────────────────────────
@router.post(
    "/{int:case_id}/compensations",
    response={201: CompensationOut},
    summary="CASE-4 request compensation; approval steps by amount (WF-4)",
)
def request_compensation(request, case_id: int, payload: CompensationIn):
    current = actor(request)
    case = queries.case(current, case_id)
    made = actions_complaints.request_compensation(current, case, payload.amount, payload.description)
    return Status(201, next(c for c in complaint_queries.compensations(case) if c.pk == made.pk))


@router.get(
    "/{int:case_id}/compensations",
    response=list[CompensationOut],
    summary="CASE-4 compensation and approvals",
)
def list_compensations(request, case_id: int):
    return complaint_queries.compensations(queries.case(actor(request), case_id))


# ── CASE-5 staff-caused complaints ─────────────────────────────────────────────────────────────
@router.post("/{int:case_id}/staff-caused", response=StaffOut, summary="CASE-5 mark a staff-caused complaint")
def staff_caused(request, case_id: int, payload: StaffCausedIn):
    current = actor(request)
    case = queries.case(current, case_id)
    responsible = complaint_queries.responsible(payload.responsible_id)
    return actions_complaints.mark_staff_caused(current, case, responsible, payload.cause)


@router.post(
    "/{int:case_id}/staff-caused/verify", response=StaffOut, summary="CASE-5 查实 by a supervisor or QA"
)
def verify(request, case_id: int, payload: VerifyIn):
    current = actor(request)
    case = queries.case(current, case_id)
    return actions_complaints.verify_staff_caused(current, case, payload.verified, payload.note)


# ── CASE-7 root cause and recurrence ───────────────────────────────────────────────────────────
@router.post(
    "/{int:case_id}/root-cause", response=RootCauseOut, summary="CASE-7 root cause and corrective action"
)
def root_cause(request, case_id: int, payload: RootCauseIn):
    current = actor(request)
    return actions_complaints.record_root_cause(
        current, queries.case(current, case_id), **payload.model_dump()
    )


@router.get(
    "/recurrences", response=RecurrencesOut, summary="CASE-7 repeated problems by category and product"
)
def recurrences(request, since: date | None = None, until: date | None = None):
    start = queries.day_start(since) if since else None
    end = queries.day_start(until, next_day=True) if until else None
    return complaint_queries.recurrences(actor(request), since=start, until=end)
