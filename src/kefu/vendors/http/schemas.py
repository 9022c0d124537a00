"""The vendor filings' API schemas (VEN-1). Names carry the app's word: they are unique project-wide."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import StrictSchema
from kefu.core.schemas import DecisionOut


class VendorFilingListOut(Schema):
    id: int
    unit_id: int
    name: str
    credit_code: str
    registered_capital: Decimal
    status: str
    status_label: str = Field(description="the status in words")
    created_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_status_label(obj) -> str:
        return obj.get_status_display()


class VendorMaterialOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    at: datetime
    download: str = Field(description="GET: the file (scoped, audited)")

    @staticmethod
    def resolve_download(obj) -> str:
        return f"/api/v1/vendors/filings/{obj.filing_id}/materials/{obj.pk}"


class VendorSupplementOut(Schema):
    id: int
    reason: str
    kinds: list[str]
    due_at: datetime
    requested_at: datetime
    answered_at: datetime | None
    answer_note: str
    expired_at: datetime | None


class VendorCertificateOut(Schema):
    id: int
    number: str
    issued_at: datetime
    lapsed_at: datetime | None
    lapse_reason: str


class VendorReportDueOut(Schema):
    id: int
    seq: int
    period_start: date
    period_end: date
    due_on: date
    lapse_after: date
    submitted_at: datetime | None
    lapsed_at: datetime | None


class VendorReportOut(Schema):
    id: int
    due_id: int
    summary: str
    revenue: Decimal
    staff_count: int
    submitted_at: datetime
    review: str
    review_note: str


class VendorInspectionOut(Schema):
    id: int
    seq: int
    due_on: date
    done_at: datetime | None
    result: str
    note: str


class VendorFilingOut(VendorFilingListOut):
    reject_reason: str
    approved_on: date | None
    missing: list[str] = Field(
        validation_alias="missing_rows", description="required materials not yet attached"
    )
    materials: list[VendorMaterialOut] = Field(validation_alias="material_rows")
    supplements: list[VendorSupplementOut] = Field(validation_alias="supplement_rows")
    certificates: list[VendorCertificateOut] = Field(validation_alias="certificate_rows")
    dues: list[VendorReportDueOut] = Field(validation_alias="due_rows")
    reports: list[VendorReportOut] = Field(validation_alias="report_rows")
    inspections: list[VendorInspectionOut] = Field(validation_alias="inspection_rows")
    decisions: list[DecisionOut] = Field(validation_alias="decision_rows")


class VendorFilingIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary the vendor serves")
    name: str = Field(max_length=200)
    credit_code: str = Field(max_length=18, description="统一社会信用代码")
    registered_capital: Decimal = Field(ge=0, max_digits=16, decimal_places=2, description="元")
    contact_name: str = Field(max_length=50)
    contact_phone: str = Field(max_length=20)


class VendorSupplementIn(StrictSchema):
    reason: str = Field(max_length=1000)
    kinds: list[str] = Field(default_factory=list, max_length=6)


class VendorNoteIn(StrictSchema):
    note: str = Field("", max_length=1000)


class VendorReasonIn(StrictSchema):
    reason: str = Field(max_length=1000)


class VendorReportIn(StrictSchema):
    summary: str = Field(max_length=5000)
    revenue: Decimal = Field(ge=0, max_digits=16, decimal_places=2, description="元")
    staff_count: int = Field(ge=0, le=1_000_000)


class VendorReportDecisionIn(StrictSchema):
    reinstate: bool
    note: str = Field("", max_length=1000)


class VendorInspectionIn(StrictSchema):
    result: str = Field(description="passed / rectify / failed")
    note: str = Field("", max_length=1000)
