"""Request and response models of the 报备 API (CLM-1…CLM-9)."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.api_support import StrictSchema

Text = Annotated[str, Field(max_length=2000)]


class CheckOut(Schema):
    """CLM-1: yes/no and until when. `owner` is present only for claim.view_owner holders in scope."""

    protected: bool
    until: datetime | None
    owner: str | None = Field(None, description="present only for claim.view_owner holders in scope")


class CustomerIn(StrictSchema):
    name: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=30)]
    address: Annotated[str, Field(max_length=500)]
    kind: Literal["person", "organisation"] = "person"
    company: Annotated[str, Field(max_length=200)] = ""
    needs: Text = ""
    source: Annotated[str, Field(max_length=100)] = ""


class RegisterIn(StrictSchema):
    customer: CustomerIn
    kind: Literal["walk_in", "deposit"] = "walk_in"
    note: Annotated[str, Field(max_length=500)] = ""


class ClaimOut(Schema):
    id: int
    customer_id: int
    customer_name: str
    owner: str
    unit: str
    kind: str
    state: str
    registered_at: datetime
    protected_until: datetime
    deposit_at: datetime | None
    policy_version: int | None

    @staticmethod
    def resolve_customer_name(obj):
        return obj.customer.name

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name


class ReasonIn(StrictSchema):
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    release: bool = False


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


class RulingIn(StrictSchema):
    outcome: Literal["owner_upheld", "claimant_wins", "false_registration"]
    ruling: Text


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


class ChoiceIn(StrictSchema):
    """CLM-5: the customer's own choice of salesperson, recorded by 行政部 with the evidence."""

    chosen_id: int
    evidence: Annotated[str, Field(min_length=1, max_length=2000)]


class ChoiceOut(Schema):
    id: int
    customer_id: int
    chosen_id: int
    chosen: str
    evidence: str
    recorded_at: datetime
    used_by_id: int | None = Field(None, description="the claim the choice was used for, once registered")

    @staticmethod
    def resolve_chosen(obj):
        return obj.chosen.name
