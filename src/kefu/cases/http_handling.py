"""Complaint handling and cross-department 报备 under /api/v1/cases (CASE-4, CASE-5, CASE-7, CASE-8,
WF-4): parse, call a query or an action, serialise. A case or handoff outside the caller's scope
answers 404; a step the caller may not take 403; a step the state does not allow 409."""

from datetime import date
from typing import Literal

from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from kefu.cases.actions import complaints as actions_complaints
from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.models import HandoffState
from kefu.cases.queries import complaints as complaint_queries
from kefu.cases.queries import handoffs as handoff_queries
from kefu.cases.queries import intake as queries
from kefu.cases.schemas import Id
from kefu.cases.schemas_handling import (
    ClarificationIn,
    ClosureReportIn,
    ClosureReportOut,
    CompensationIn,
    CompensationOut,
    DeferIn,
    Empty,
    HandoffIn,
    HandoffOut,
    HandoffReportIn,
    QuestionIn,
    RecurrencesOut,
    RootCauseIn,
    RootCauseOut,
    SolutionIn,
    StaffCausedIn,
    StaffOut,
    VerifyIn,
)
from kefu.core import clock
from kefu.core.http_support import Pagination, actor

router = Router(tags=["cases"])
HandoffStateT = Literal["", *HandoffState.values]  # type: ignore[valid-type]


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


# ── CASE-8 cross-department 报备 ────────────────────────────────────────────────────────────────
@router.post(
    "/{int:case_id}/handoffs", response={201: HandoffOut}, summary="CASE-8 report the case to a department"
)
def send_handoff(request, case_id: int, payload: HandoffIn):
    current = actor(request)
    case = queries.case(current, case_id)
    unit = handoff_queries.unit_named(payload.unit_id)
    made = actions_handoffs.send(current, case, unit, payload.request)
    return Status(201, handoff_queries.handoff(current, made.pk))


@router.get("/{int:case_id}/handoffs", response=list[HandoffOut], summary="CASE-8 the case's handoffs")
def case_handoffs(request, case_id: int):
    return list(handoff_queries.case_handoffs(queries.case(actor(request), case_id)))


@router.get("/handoffs", response=list[HandoffOut], summary="CASE-8 the receiving department's inbox")
@paginate(Pagination)
def inbox(request, unit: Id | None = None, state: HandoffStateT = "", open: bool = False):
    return handoff_queries.inbox(actor(request), unit_id=unit, state=state, open_only=open)


@router.get("/handoffs/{int:handoff_id}", response=HandoffOut, summary="CASE-8 one handoff")
def get_handoff(request, handoff_id: int):
    return handoff_queries.handoff(actor(request), handoff_id)


def _step(request, handoff_id: int, run):
    current = actor(request)
    run(current, handoff_queries.handoff(current, handoff_id))
    return handoff_queries.handoff(current, handoff_id)


@router.post("/handoffs/{int:handoff_id}/acknowledge", response=HandoffOut, summary="CASE-8 确认收到")
def acknowledge(request, handoff_id: int, payload: Empty | None = None):
    return _step(request, handoff_id, actions_handoffs.acknowledge)


@router.post(
    "/handoffs/{int:handoff_id}/clarify", response=HandoffOut, summary="CASE-8 ask for clarification"
)
def clarify(request, handoff_id: int, payload: QuestionIn):
    return _step(request, handoff_id, lambda a, h: actions_handoffs.ask_clarification(a, h, payload.question))


@router.post(
    "/handoffs/{int:handoff_id}/answer-clarification",
    response=HandoffOut,
    summary="CASE-8 the sender answers",
)
def answer(request, handoff_id: int, payload: ClarificationIn):
    return _step(
        request, handoff_id, lambda a, h: actions_handoffs.answer_clarification(a, h, payload.clarification)
    )


@router.post("/handoffs/{int:handoff_id}/solve", response=HandoffOut, summary="CASE-8 give a solution")
def solve(request, handoff_id: int, payload: SolutionIn):
    return _step(request, handoff_id, lambda a, h: actions_handoffs.solve(a, h, payload.solution))


@router.post(
    "/handoffs/{int:handoff_id}/defer",
    response=HandoffOut,
    summary="CASE-8 the reason and an expected time; the customer is told",
)
def defer(request, handoff_id: int, payload: DeferIn):
    expected = payload.expected_at
    if timezone.is_naive(expected):
        expected = expected.replace(tzinfo=clock.zone())
    return _step(request, handoff_id, lambda a, h: actions_handoffs.defer(a, h, payload.reason, expected))


@router.post(
    "/handoffs/{int:handoff_id}/close", response=HandoffOut, summary="CASE-8 close with a closure report"
)
def close(request, handoff_id: int, payload: HandoffReportIn):
    return _step(request, handoff_id, lambda a, h: actions_handoffs.close(a, h, payload.report))
