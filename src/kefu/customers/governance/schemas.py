"""Request and response models of the archive-care API (SEC-4…SEC-9, CUS-6, CUS-8)."""

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from kefu.core.http_support import StrictSchema
from kefu.core.schemas import DecisionOut

Text = Field(min_length=1, max_length=500)


class BorrowIn(StrictSchema):
    customer_id: int
    purpose: str = Text
    due_at: AwareDatetime


class BorrowingOut(Schema):
    id: int
    customer_id: int
    borrower_id: int
    purpose: str
    borrowed_at: datetime
    due_at: datetime
    returned_at: datetime | None


class AccessIn(StrictSchema):
    kind: Literal["statistics", "archive"]
    purpose: str = Text
    customer_id: int | None = None


class AccessOut(Schema):
    id: int
    requester_id: int
    kind: str
    purpose: str
    state: str
    created_at: datetime


class ExportIn(StrictSchema):
    """What to export and why (SEC-5); the customer list's filters narrow it (all optional)."""

    purpose: str = Text
    external: bool = False
    q: str = ""
    tier: Literal["", "strategic", "key", "normal"] = ""
    audience: Literal["", "A", "B", "C", "D"] = ""
    stage: Literal["", "expansion", "maintenance", "recovery", "value"] = ""
    kind: Literal["", "person", "organisation"] = ""
    owner_id: int | None = None
    at_risk: bool | None = None


class ImportJobOut(Schema):
    id: int
    filename: str
    unit_id: int
    status: str
    total_rows: int
    processed_rows: int
    error_rows: int
    duplicate_rows: int
    created_rows: int  # rows committed so far: the job's high-water mark while importing (issue 11)
    existing: str  # skip / update: what the job does with rows already in the archive (issue 13)
    new_rows: int  # of the committed rows: new customers, customers updated, rows skipped
    updated_rows: int
    skipped_rows: int
    committed_percent: int
    message: str
    ignored_columns: list[str]
    has_error_report: bool
    created_at: datetime
    finished_at: datetime | None
    purged_at: datetime | None  # workbook and error report deleted after the retention (SEC-1)

    @staticmethod
    def resolve_has_error_report(obj) -> bool:
        known = getattr(obj, "has_report", None)  # lists: annotated, the sealed report is not read
        return bool(obj.error_report) if known is None else known


class DestructionIn(StrictSchema):
    customer_id: int
    reason: str = Text


class DestructionOut(Schema):
    id: int
    customer_id: int
    reason: str
    state: str
    created_at: datetime


class DestructionLogOut(Schema):
    id: int
    request_id: int
    customer_ref: str
    fields: list[str]
    approvals: list[dict]
    requested_by: str
    destroyed_at: datetime


class IncidentIn(StrictSchema):
    kind: Literal["leak", "loss", "violation"]
    occurred_at: AwareDatetime
    description: str = Field(min_length=1, max_length=5000)
    person_id: int
    customer_ids: list[int] = Field(default_factory=list, max_length=100)


class IncidentOut(Schema):
    id: int
    kind: str
    occurred_at: datetime
    description: str
    person_id: int
    superior_ids: list[int]
    customer_ids: list[int]
    created_at: datetime

    @staticmethod
    def resolve_superior_ids(obj) -> list[int]:
        return [s.pk for s in obj.superiors.all()]

    @staticmethod
    def resolve_customer_ids(obj) -> list[int]:
        return [c.pk for c in obj.customers.all()]


class MergeIn(StrictSchema):
    survivor_id: int
    duplicate_id: int
    reason: str = Text


class MergeOut(Schema):
    id: int
    survivor_id: int
    duplicate_id: int
    reason: str
    state: str
    created_at: datetime


class DecideIn(StrictSchema):
    decision: Literal["approve", "reject", "return"]
    reason: str = Field("", max_length=500)


# ---- request details: approval steps, state changes and decisions ("为什么") -------------------------


class ApprovalStepOut(Schema):
    name: str
    label_zh: str
    label_en: str
    status: str
    approvers: list[str]
    decided_by: str | None
    on_behalf_of: str | None
    decided_at: datetime | None
    reason: str


class StateChangeOut(Schema):
    transition: str
    from_state: str
    to_state: str
    at: datetime
    by: str | None
    reason: str


class RecordTrail(Schema):
    """What every request's detail answers besides the request itself."""

    steps: list[ApprovalStepOut]
    history: list[StateChangeOut]
    decisions: list[DecisionOut]


class MergeDetailOut(MergeOut, RecordTrail):
    pass


class DestructionDetailOut(DestructionOut, RecordTrail):
    pass


class AccessDetailOut(AccessOut, RecordTrail):
    pass


class BorrowingDetailOut(BorrowingOut, RecordTrail):
    pass


# ---- CUS-6 claim history kept through merges ------------------------------------------------------


class HistoryClaimOut(Schema):
    id: int
    customer_id: int
    merged: bool
    owner: str
    kind: str
    state: str
    registered_at: datetime
    protected_until: datetime


class ClaimHistoryOut(Schema):
    customer_id: int
    merged_customer_ids: list[int]
    claims: list[HistoryClaimOut]
