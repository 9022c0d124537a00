"""Request and response models of the workforce shifts API (WFM-1)."""

from datetime import date, datetime, time
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import StrictSchema


class TemplateOut(Schema):
    id: int
    unit_id: int
    code: str
    name: str
    starts: time
    ends: time
    crosses_midnight: bool
    active: bool


class TemplateIn(StrictSchema):
    unit_id: int
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=50)
    starts: time
    ends: time = Field(description="at or before `starts`: the shift ends the next day")
    active: bool = True


class CoverageOut(Schema):
    id: int
    template_id: int
    day_kind: str  # weekday, weekend, holiday
    min_staff: int
    skill_group_id: int | None
    min_skilled: int


class CoverageIn(StrictSchema):
    template_id: int
    day_kind: Literal["weekday", "weekend", "holiday"]
    min_staff: int = Field(ge=0, le=500)
    skill_group_id: int | None = None
    min_skilled: int = Field(default=0, ge=0, le=500)


class GapOut(Schema):
    day: date
    template: str
    missing: int
    skill: str  # "" = headcount, else the skill group id short of people


class RotaOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    starts_on: date
    ends_on: date
    state: str  # draft, feedback, final, published
    published_at: datetime | None
    gaps: list[GapOut]


class ShiftOut(Schema):
    id: int
    rota_id: int
    employee_id: int
    employee_name: str
    template_code: str | None
    starts_at: datetime
    ends_at: datetime
    called_in: bool


class RotaDetailOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    starts_on: date
    ends_on: date
    state: str  # draft, feedback, final, published
    published_at: datetime | None
    gaps: list[GapOut]
    shifts: list[ShiftOut]


class DraftIn(StrictSchema):
    unit_id: int
    starts_on: date
    ends_on: date
    unavailable: dict[int, list[date]] = Field(
        default_factory=dict, description="employee id → days off (approved leave)"
    )


class AdvanceIn(StrictSchema):
    confirm_gaps: bool = Field(default=False, description="publish although the rota has gaps")


class RotaCommentIn(StrictSchema):
    text: str = Field(min_length=1, max_length=1000)


class RotaCommentOut(Schema):
    id: int
    employee_id: int
    employee_name: str = Field(validation_alias="employee.name")
    text: str
    created_at: datetime


class CallInIn(StrictSchema):
    employee_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str = Field(min_length=1, max_length=300)


class FeedOut(Schema):
    url: str = Field(description="the personal .ics feed; shown once, the token is stored hashed")


class ChangeIn(StrictSchema):
    shift_id: int
    colleague_id: int
    their_shift_id: int | None = None
    reason: str = Field(min_length=1, max_length=300)


class ChangeOut(Schema):
    id: int
    kind: str  # swap, handoff
    state: str  # pending, approved, rejected
    shift_id: int
    their_shift_id: int | None
    requester_id: int
    colleague_id: int
    reason: str
    created_at: datetime
    decided_at: datetime | None


class ChangeDecisionIn(StrictSchema):
    approve: bool
