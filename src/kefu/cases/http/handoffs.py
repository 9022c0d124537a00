"""Cross-department 报备 under /api/v1/cases (CASE-8): parse, call a query or an action, serialise.
A case or handoff outside the caller's scope answers 404; a step the caller may not take 403; a step
the state does not allow 409."""

from typing import Literal

from django.utils import timezone
from ninja import Router, Status
from ninja.pagination import paginate

from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.http.schemas.handoffs import (
    ClarificationIn,
    DeferIn,
    Empty,
    HandoffIn,
    HandoffOut,
    HandoffReportIn,
    QuestionIn,
    SolutionIn,
)
from kefu.cases.http.schemas.intake import Id
from kefu.cases.models import HandoffState
from kefu.cases.queries import handoffs as handoff_queries
from kefu.cases.queries import intake as queries
from kefu.core import clock
from kefu.core.http_support import Pagination, actor

router = Router(tags=["cases"])
HandoffStateT = Literal["", *HandoffState.values]  # type: ignore[valid-type]


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
