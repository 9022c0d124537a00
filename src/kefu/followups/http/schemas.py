"""Request and response models of the revisit API (FUP-1, FUP-2)."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import StrictSchema


class PlanOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    trigger: str  # resolution, complaint or periodic
    kinds: list[str]  # case kind codes (resolution)
    tier: str  # customer tier (periodic)
    active: bool


class PlanIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary (or a unit inside it)")
    trigger: Literal["resolution", "complaint", "periodic", "arrival"]
    kinds: list[str] = Field(default_factory=list, max_length=50)
    tier: Literal["", "strategic", "key", "normal"] = ""
    active: bool = True


class TaskFilters(Schema):
    state: Literal["open", "ended", "all"] = "open"
    mine: bool = False
    overdue: bool = False


class TaskOut(Schema):
    id: int
    plan_id: int | None
    campaign_id: int | None
    trigger: str  # resolution, complaint, periodic, arrival — or campaign
    case_id: int | None
    case_number: str | None = None
    customer_id: int | None
    unit_id: int
    assignee_id: int | None
    state: str  # open, done, unreached
    outcome: str  # satisfied, unsatisfied, unreachable or empty
    due_at: datetime
    unreachable_count: int
    next_try_at: datetime | None
    follow_up_case_id: int | None
    created_at: datetime
    ended_at: datetime | None

    @staticmethod
    def resolve_trigger(task) -> str:
        return task.plan.trigger if task.plan_id else "campaign"

    @staticmethod
    def resolve_case_number(task) -> str | None:
        return task.case.number if task.case_id else None


class AttemptOut(Schema):
    id: int
    at: datetime
    method: str
    third_party: bool
    outcome: str
    words: str
    by_id: int
    recorded_at: datetime


class TaskDetailOut(TaskOut):
    attempts: list[AttemptOut]

    @staticmethod
    def resolve_attempts(task) -> list:
        return list(task.attempts.all())


class AttemptIn(StrictSchema):
    outcome: Literal["satisfied", "unsatisfied", "unreachable"]
    at: datetime | None = Field(None, description="when the call was made; now when omitted")
    method: Literal["phone", "email", "text", "visit"] = "phone"
    third_party: bool = False
    words: str = Field("", max_length=2000, description="the customer's words (required when unsatisfied)")
    follow_up: Literal["reopen", "new_case"] = "reopen"


class RevisitCampaignIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary (or a unit inside it)")
    name: str = Field(max_length=100)
    starts_on: date
    ends_on: date
    rule: dict = Field(
        default_factory=dict,
        description="audience rule: tiers, audiences, kinds, closed_within_days, sample_percent",
    )
    every_months: int | None = Field(None, description="repeat every 1, 3, 6 or 12 months (none: once)")


class RevisitCampaignOut(Schema):
    id: int
    unit_id: int
    name: str
    starts_on: date
    ends_on: date
    rule: dict
    state: str  # planned, launching, launched
    opened: int
    launched_at: datetime | None
    every_months: int | None
    previous_id: int | None


class RevisitLaunchOut(Schema):
    opened: int


class RevisitCountsOut(Schema):
    total: int
    reached: int
    unreached: int
    open: int
    satisfied: int
    unsatisfied: int
    reach_rate: float | None
    satisfied_rate: float | None


class RevisitOfficerCountsOut(RevisitCountsOut):
    officer: str


class RevisitUnsatisfiedOut(Schema):
    at: datetime
    case: str
    customer: str  # masked
    officer: str
    words: str  # phone numbers and e-mail addresses masked


class RevisitReportOut(Schema):
    title: str
    subtitle: str
    totals: RevisitCountsOut
    officers: list[RevisitOfficerCountsOut]
    unsatisfied: list[RevisitUnsatisfiedOut]

    @staticmethod
    def resolve_officers(report) -> list:
        return [{"officer": name, **_counts(c)} for name, c in report.officers]


def _counts(c) -> dict:
    return {
        "total": c.total,
        "reached": c.reached,
        "unreached": c.unreached,
        "open": c.open,
        "satisfied": c.satisfied,
        "unsatisfied": c.unsatisfied,
        "reach_rate": c.reach_rate,
        "satisfied_rate": c.satisfied_rate,
    }


class RevisitShipmentIn(StrictSchema):
    customer_id: int
    shipped_at: datetime = Field(description="when the goods left (with a time zone)")
    reference: str = Field(min_length=1, max_length=100, description="the shipment (delivery note) number")
    carrier: str = Field("", max_length=50)


class RevisitShipmentOut(Schema):
    opened: bool = Field(description="false when the subsidiary has no active arrival plan")
    task: TaskOut | None = None
