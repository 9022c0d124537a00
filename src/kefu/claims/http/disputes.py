"""报备 API for 撞单 disputes (CLM-6) under /api/v1/claims: raised by the unregistered side (by
phone) or on a claim naming the colleague, read as the reader may see it, ruled by 行政部."""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.claims import actions
from kefu.claims.http.register import Text
from kefu.claims.queries import disputes as queries
from kefu.claims.queries import people
from kefu.claims.queries import register as claims
from kefu.core.crypto import blind_index
from kefu.core.errors import Invalid, NotFound
from kefu.core.http_support import StrictSchema, actor
from kefu.org.queries import employee_named

router = Router()  # tagged "claims" by the router it is added to (http/__init__.py)


class DisputeIn(StrictSchema):
    reason: Text
    evidence: Text = ""
    claimant_id: int | None = Field(None, description="owner / 行政部 naming the colleague")


class DisputeByPhoneIn(StrictSchema):
    phone: Annotated[str, Field(max_length=30)]
    reason: Text
    evidence: Text = ""


class DisputeOut(Schema):
    id: int
    claim_id: int
    open: bool
    outcome: str
    claimant_registered: bool
    raised_at: datetime
    ruled_at: datetime | None


class DisputeDetail(DisputeOut):
    """CLM-6 as the reader may see it: the challenger gets no owner until the ruling and never the
    customer (CLM-1, issue 10); the owner, 行政部 and managers in scope get both."""

    ruling: str
    reason: str
    protected_until: datetime
    owner: str | None = Field(description="the registered owner; null for the challenger until the ruling")
    customer_name: str | None = Field(description="null for the challenger")


class RulingIn(StrictSchema):
    outcome: Literal["owner_upheld", "claimant_wins", "false_registration"]
    ruling: Text


@router.post(
    "/disputes",
    response={201: DisputeOut},
    summary="CLM-6 a clash raised by the unregistered side",
    operation_id="kefu_claims_http_dispute_by_phone",
)
def dispute_by_phone(request, payload: DisputeByPhoneIn):
    current = actor(request)
    claim = claims.live_claim_by_index(blind_index(payload.phone))
    if claim is None:
        raise NotFound("报备", "claim")
    result = actions.raise_dispute(
        current, claim, claimant=None, reason=payload.reason, evidence=payload.evidence
    )
    return Status(201, result)


@router.get(
    "/disputes/{int:dispute_id}",
    response=DisputeDetail,
    summary="CLM-6 one dispute: state and ruling; the owner only to the owner, 行政部 and managers — to the "
    "challenger once ruled",
    operation_id="kefu_claims_http_get_dispute",
)
def get_dispute(request, dispute_id: int):
    current = actor(request)
    return queries.dispute_shown(current, queries.dispute(current, dispute_id))


@router.post(
    "/disputes/{int:dispute_id}/rule",
    response=DisputeOut,
    summary="CLM-6 ruling by 行政部",
    operation_id="kefu_claims_http_rule",
)
def rule(request, dispute_id: int, payload: RulingIn):
    current = actor(request)
    return actions.rule_dispute(
        current, queries.dispute(current, dispute_id), outcome=payload.outcome, ruling=payload.ruling
    )


@router.post(
    "/{int:claim_id}/dispute",
    response={201: DisputeOut},
    summary="CLM-6 open a 撞单 dispute on a claim",
    operation_id="kefu_claims_http_dispute",
)
def dispute(request, claim_id: int, payload: DisputeIn):
    current = actor(request)
    claim = claims.claim(current, claim_id)
    claimant = (
        employee_named(payload.claimant_id, "claimant_id", **people.NAMED) if payload.claimant_id else None
    )
    if claimant is None:
        raise Invalid(
            "claim_claimant",
            "请指明撞单的同事",
            "Name the colleague in the clash",
            {"claimant_id": "required"},
        )
    result = actions.raise_dispute(
        current, claim, claimant=claimant, reason=payload.reason, evidence=payload.evidence
    )
    return Status(201, result)
