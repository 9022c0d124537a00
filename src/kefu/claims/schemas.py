"""Request and response models of the 报备 API (CLM-1…CLM-9)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import StrictSchema

Text = Annotated[str, Field(max_length=2000)]


class CheckOut(Schema):
    """CLM-1: yes/no and until when. `owner` is present only for claim.view_owner holders in scope."""

    protected: bool
    until: datetime | None
    owner: str | None = Field(None, description="present only for claim.view_owner holders in scope")


class ClaimCustomerIn(StrictSchema):
    name: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=30)]
    address: Annotated[str, Field(max_length=500)]
    kind: Literal["person", "organisation"] = "person"
    company: Annotated[str, Field(max_length=200)] = ""
    needs: Text = ""
    source: Annotated[str, Field(max_length=100)] = ""


class RegisterIn(StrictSchema):
    customer: ClaimCustomerIn
    kind: Literal["walk_in", "deposit"] = "walk_in"
    note: Annotated[str, Field(max_length=500)] = ""


class ClaimOut(Schema):
    id: int
    customer_id: int | None = Field(
        description="the archive's customer; null when you may not see it (then the name is as registered)"
    )
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
    def resolve_customer_id(obj):
        return obj.shown_customer_id  # claims.queries.with_customer_shown (issue 10)

    @staticmethod
    def resolve_customer_name(obj):
        return obj.shown_customer_name

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


# ---------------------------------------------------------------- CLM-11 customer-process reports


class ReportIn(StrictSchema):
    customer_name: Annotated[str, Field(max_length=200)]
    contact: Annotated[str, Field(max_length=200)]
    needs: Text


class ReportRowOut(Schema):
    id: int
    unit: str
    owner_id: int
    owner: str
    customer_name: str
    state: str
    assignee_id: int | None
    assignee: str | None
    created_at: datetime

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name

    @staticmethod
    def resolve_assignee(obj):
        return obj.assignee.name if obj.assignee_id else None


class ProcessReportStepOut(Schema):
    label: str
    at: datetime
    who: str
    note: str


class ReportOut(ReportRowOut):
    contact: str
    needs: str
    review_note: str
    feedback: str
    history: list[ProcessReportStepOut] = Field(
        description="submission and every state change: what, who, when"
    )

    @staticmethod
    def resolve_history(obj):
        from kefu.claims.queries_more import report_story

        return report_story(obj)


class ReviewIn(StrictSchema):
    genuine: bool
    note: Text = Field("", description="required when not genuine")


class ProcessReportAssignIn(StrictSchema):
    employee_id: int


class FeedbackIn(StrictSchema):
    text: Annotated[str, Field(min_length=1, max_length=2000)]


# ---------------------------------------------------------------- CLM-12 daily submissions


class DailyCustomerIn(StrictSchema):
    name: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=30)] = ""


class DailyIn(StrictSchema):
    unit_id: int
    day: date | None = Field(None, description="the working day reported; today (Beijing time) if omitted")
    none_today: bool = Field(False, description="explicitly: no new customers that day")
    customers: list[DailyCustomerIn] = Field(default_factory=list, max_length=500)


class DailyOut(Schema):
    id: int
    unit_id: int
    day: date
    none_today: bool
    customers: list[dict] = Field(description="name and masked phone of each new customer")
    submitted_at: datetime


class DayCellOut(Schema):
    day: date
    status: Literal["submitted", "none_today", "missing", "pending"]
    count: int
    flagged: bool = Field(description="the daily check has flagged the day as missing")


class UnitDaysOut(Schema):
    unit_id: int
    unit: str
    missing: int
    days: list[DayCellOut]

    @staticmethod
    def resolve_unit_id(obj):
        return obj.unit.pk

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name

    @staticmethod
    def resolve_missing(obj):
        return obj.missing_count

    @staticmethod
    def resolve_days(obj):
        return obj.cells


class DailyOverviewOut(Schema):
    days: list[date]
    units: list[UnitDaysOut]
