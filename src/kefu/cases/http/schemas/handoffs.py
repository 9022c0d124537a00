"""Request and response models of cross-department 报备 (CASE-8) — `http/handoffs.py`."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from kefu.cases.http.schemas.intake import Id, Text
from kefu.core.http_support import StrictSchema


# ── requests ─────────────────────────────────────────────────────────────────────────────────────
class HandoffIn(StrictSchema):
    unit_id: Id = Field(description="the receiving department")
    request: Text


class QuestionIn(StrictSchema):
    question: Text


class ClarificationIn(StrictSchema):
    clarification: Text


class SolutionIn(StrictSchema):
    solution: Text


class DeferIn(StrictSchema):
    reason: Text
    expected_at: datetime = Field(
        description="when it is expected to be solved; without a zone, Beijing time"
    )


class HandoffReportIn(StrictSchema):
    report: Text


class Empty(StrictSchema):
    pass


# ── responses ────────────────────────────────────────────────────────────────────────────────────
class HandoffOut(Schema):
    id: int
    case_id: int
    case_number: str
    from_unit: str
    unit_id: int
    unit: str
    state: str
    request: str
    question: str
    clarification: str
    solution: str
    reason: str
    expected_at: datetime | None
    report: str
    owner: str | None = None
    sent_at: datetime

    @staticmethod
    def resolve_case_number(obj):
        return obj.case.number

    @staticmethod
    def resolve_from_unit(obj):
        return obj.from_unit.name

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name if obj.owner_id else None
