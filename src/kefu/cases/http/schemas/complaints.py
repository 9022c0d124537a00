"""Request and response models of complaint handling (CASE-4, CASE-5, CASE-7, WF-4) —
`http/complaints.py`."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from kefu.cases.http.schemas.intake import Id, Short, Text
from kefu.cases.models import Satisfaction, SolutionType
from kefu.core.http_support import StrictSchema

SolutionTypeT = Literal[tuple(SolutionType.values)]  # type: ignore[valid-type]
SatisfactionT = Literal[tuple(Satisfaction.values)]  # type: ignore[valid-type]
Label = Annotated[str, Field(max_length=100)]


# ── requests ─────────────────────────────────────────────────────────────────────────────────────
class ClosureReportIn(StrictSchema):
    """CASE-4 结案报告: every field is required except the resources and the satisfaction — what the
    customer said of the solution, omitted until they were asked (never assumed, issue 13)."""

    solution_type: SolutionTypeT = Field(
        description="更换产品 replace / 赔偿 compensate / 改进流程 improve / 道歉 apologise / 解释 explain"
    )
    solution: Text
    time_spent_minutes: Annotated[int, Field(ge=1, le=1_000_000)]
    resources: Text = ""
    preventive_measures: Text
    satisfaction: SatisfactionT | Literal[""] = ""


class CompensationIn(StrictSchema):
    amount: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2, description="yuan")]
    description: Short


class StaffCausedIn(StrictSchema):
    responsible_id: Id
    cause: Literal["attitude", "skill"] = Field(description="服务态度 attitude / 服务技能 skill")


class VerifyIn(StrictSchema):
    verified: bool = Field(description="查实 true, not verified false")
    note: Text


class RootCauseIn(StrictSchema):
    root_cause: Text
    corrective_action: Text
    category: Label = ""
    product: Label = ""


# ── responses ────────────────────────────────────────────────────────────────────────────────────
class ClosureReportOut(Schema):
    case_id: int
    solution_type: str
    solution: str
    time_spent_minutes: int
    resources: str
    preventive_measures: str
    satisfaction: str
    written_by: str | None = None
    written_at: datetime

    @staticmethod
    def resolve_written_by(obj):
        return obj.written_by.username if obj.written_by_id else None


class CompensationStepOut(Schema):
    name: str
    label_zh: str
    label_en: str
    status: str
    decided_by: str | None = None
    decided_at: datetime | None = None
    reason: str

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.username if obj.decided_by_id else None


class CompensationOut(Schema):
    id: int
    case_id: int
    amount: Decimal
    description: str
    state: str
    requested_at: datetime
    approval_status: str | None = None
    steps: list[CompensationStepOut] = []

    @staticmethod
    def resolve_approval_status(obj):
        approval = getattr(obj, "approval", None)
        return approval.status if approval else None

    @staticmethod
    def resolve_steps(obj):
        approval = getattr(obj, "approval", None)
        return list(approval.steps.all()) if approval else []


class StaffOut(Schema):
    case_id: int
    staff_caused: bool
    responsible_id: int | None
    staff_cause: str
    staff_verified: bool | None

    @staticmethod
    def resolve_case_id(obj):
        return obj.pk


class RootCauseOut(Schema):
    case_id: int
    root_cause: str
    corrective_action: str
    category: str
    product: str
    recurrence_of: str | None = None

    @staticmethod
    def resolve_case_id(obj):
        return obj.pk

    @staticmethod
    def resolve_recurrence_of(obj):
        return obj.recurrence_of.number if obj.recurrence_of_id else None


class RecurrenceGroupOut(Schema):
    category: str
    product: str
    count: int


class RecurrenceCaseOut(Schema):
    id: int
    number: str
    title: str
    category: str
    product: str
    received_at: datetime
    recurrence_of: str

    @staticmethod
    def resolve_recurrence_of(obj):
        return obj.recurrence_of.number


class RecurrencesOut(Schema):
    groups: list[RecurrenceGroupOut]
    cases: list[RecurrenceCaseOut]
