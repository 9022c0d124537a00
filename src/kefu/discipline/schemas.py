"""Request and response models of the discipline API (DIS-1)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from kefu.core import decisions
from kefu.core.http_support import StrictSchema
from kefu.core.schemas import DecisionOut


class OffenceOut(Schema):
    code: str
    name_zh: str
    name_en: str
    rule: str
    ladder: bool  # measure and amount follow the policy pack's ladder
    per_customer: bool  # the quantity (customers concerned) multiplies the fine
    measures: list[str]  # the measures HR may choose (offences without a ladder)


class LedgerFilters(Schema):
    """Query parameters of the ledger list; empty ones are ignored."""

    status: str = ""
    offence: str = ""
    employee_id: int | None = None
    rule: str = ""
    since: date | None = None
    until: date | None = None


class ProposalIn(StrictSchema):
    employee_id: int
    offence: str = Field(min_length=1, max_length=40)
    evidence: str = Field(min_length=1, max_length=5000)
    quantity: int = Field(1, ge=1, le=1000)
    measure: str = Field("", max_length=20)


class ProposalOut(Schema):
    id: int
    employee_id: int
    employee: str
    unit_id: int
    offence: str
    occurrence: int
    quantity: int
    measure: str
    amount: Decimal | None
    evidence: str
    rule: str
    clause: str
    policy_version: int | None
    status: str
    proposed_by: str | None
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_employee(obj) -> str:
        return obj.employee.name

    @staticmethod
    def resolve_proposed_by(obj) -> str | None:
        return obj.proposed_by.get_username() if obj.proposed_by else None

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None


class ProposalDetailOut(ProposalOut):
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_decisions(obj) -> list[dict]:
        return decisions.rows(obj)


class ProposalReasonIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=500)
