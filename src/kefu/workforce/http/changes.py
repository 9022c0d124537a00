"""Shift change and swap requests under /api/v1/workforce/changes (WFM-1)."""

from ninja import Router, Status

from kefu.core.http_support import actor
from kefu.workforce.actions import changes as actions
from kefu.workforce.http.schemas import ChangeDecisionIn, ChangeIn, ChangeOut
from kefu.workforce.queries import rotas as queries

router = Router(tags=["workforce"])


@router.get("/changes", response=list[ChangeOut], summary="Change requests I made, received or decide")
def list_changes(request, pending: bool = False):
    return list(queries.changes(actor(request), pending_only=pending)[:200])


@router.post("/changes", response={201: ChangeOut}, summary="Ask to give or swap a shift (WFM-1)")
def request_change(request, payload: ChangeIn):
    me = actor(request)
    shift = queries.shift(me, payload.shift_id)
    colleague = queries.employee(me, payload.colleague_id)
    theirs = queries.shift(me, payload.their_shift_id) if payload.their_shift_id is not None else None
    return Status(201, actions.request(me, shift, colleague, reason=payload.reason, their_shift=theirs))


@router.post("/changes/{change_id}/decide", response=ChangeOut, summary="Approve or reject (排班管理员/组长)")
def decide(request, change_id: int, payload: ChangeDecisionIn):
    me = actor(request)
    return actions.decide(me, queries.change(me, change_id), approve=payload.approve)
