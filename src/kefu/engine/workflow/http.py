"""Approvals API (WF-4): what waits for me, and deciding a step."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.engine.workflow import queries
from kefu.engine.workflow.actions import verdicts

router = Router(tags=["approvals"])


class StepOut(Schema):
    id: int
    request_id: int
    chain: str
    name: str
    label_zh: str
    label_en: str
    status: str
    record_type: str
    record_id: str
    requester: str
    inputs: dict
    created_at: datetime

    @staticmethod
    def resolve_chain(step):
        return step.request.chain

    @staticmethod
    def resolve_record_type(step):
        return step.request.content_type.model

    @staticmethod
    def resolve_record_id(step):
        return step.request.object_id

    @staticmethod
    def resolve_requester(step):
        return step.request.requester.get_username()

    @staticmethod
    def resolve_inputs(step):
        return step.request.inputs

    @staticmethod
    def resolve_created_at(step):
        return step.request.created_at


class DecisionIn(StrictSchema):
    decision: str
    reason: str = ""


@router.get("/pending", response=list[StepOut], summary="Approval steps waiting for my decision")
@paginate(Pagination)
def pending(request):
    return queries.pending_steps(actor(request))


@router.post("/steps/{step_id}/decide", response=StepOut, summary="Approve, reject or return a step (WF-4)")
def decide(request, step_id: int, payload: DecisionIn):
    return verdicts.decide(actor(request), step_id, payload.decision, reason=payload.reason)
