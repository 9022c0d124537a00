"""报备 API for signed deals (CLM-9) under /api/v1/claims/{id}/deal: the deal and its commission
split, agreed by the owner's supervisor, totalling 100%."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.claims import actions
from kefu.claims.queries import people
from kefu.claims.queries import register as claims
from kefu.core.http_support import StrictSchema, actor
from kefu.org.queries import employee_named

router = Router()  # tagged "claims" by the router it is added to (http/__init__.py)


class ShareIn(StrictSchema):
    employee_id: int
    percent: Decimal


class DealIn(StrictSchema):
    amount: Decimal
    agreed_by_id: int
    shares: list[ShareIn] = Field(max_length=20)
    note: Annotated[str, Field(max_length=500)] = ""


class ShareOut(Schema):
    employee_id: int
    percent: Decimal


class DealOut(Schema):
    id: int
    claim_id: int
    amount: Decimal
    signed_at: datetime
    agreed_by_id: int
    shares: list[ShareOut]

    @staticmethod
    def resolve_shares(obj):
        return list(obj.shares.all())


@router.post(
    "/{int:claim_id}/deal",
    response={201: DealOut},
    summary="CLM-9 record the signed deal and its split",
    operation_id="kefu_claims_http_deal",
)
def deal(request, claim_id: int, payload: DealIn):
    current = actor(request)
    claim = claims.claim(current, claim_id)
    shares = [(employee_named(s.employee_id, "shares", **people.NAMED), s.percent) for s in payload.shares]
    result = actions.record_deal(
        current,
        claim,
        amount=payload.amount,
        agreed_by=employee_named(payload.agreed_by_id, "agreed_by_id", **people.NAMED),
        shares=shares,
        note=payload.note,
    )
    return Status(201, result)
