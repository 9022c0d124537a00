"""Request and response models of the revisit API (FUP-1, FUP-2)."""

from datetime import datetime
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
    trigger: Literal["resolution", "complaint", "periodic"]
    kinds: list[str] = Field(default_factory=list, max_length=50)
    tier: Literal["", "strategic", "key", "normal"] = ""
    active: bool = True


class TaskFilters(Schema):
    state: Literal["open", "ended", "all"] = "open"
    mine: bool = False
    overdue: bool = False


class TaskOut(Schema):
    id: int
    plan_id: int
    trigger: str = Field(validation_alias="plan.trigger")
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
