"""Request and response models of the quality API (QA-1)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import StrictSchema


class ItemOut(Schema):
    id: int
    name: str
    weight: int
    max_score: int
    fatal: bool
    description: str


class ScorecardOut(Schema):
    id: int
    unit_id: int | None
    name: str
    version: int
    active: bool
    items: list[ItemOut] = Field(validation_alias="item_rows")


class ItemIn(StrictSchema):
    name: str = Field(min_length=1, max_length=100)
    weight: int = Field(0, ge=0, le=1000)
    max_score: int = Field(10, ge=0, le=100)
    fatal: bool = False
    description: str = Field("", max_length=2000)


class ScorecardIn(StrictSchema):
    unit_id: int | None = Field(None, description="the subsidiary; empty: the group default")
    name: str = Field(min_length=1, max_length=100)
    items: list[ItemIn] = Field(min_length=1, max_length=30)
    note: str = Field("", max_length=300)


class SamplingPlanIn(StrictSchema):
    unit_id: int | None = Field(None, description="the subsidiary; empty: the group default")
    risk_weights: dict[Literal["complaint", "reopened", "breached", "long_handling", "low_csat"], int]


class SamplingPlanOut(Schema):
    id: int
    unit_id: int | None
    risk_weights: dict


class SampleOut(Schema):
    made: int


class ScoreOut(Schema):
    item_id: int
    score: Decimal
    violated: bool
    comment: str


class AppealOut(Schema):
    reason: str
    filed_at: datetime
    ruler_id: int | None
    outcome: str  # "", upheld or adjusted
    original_total: Decimal | None
    ruling: str
    ruled_at: datetime | None


class InspectionOut(Schema):
    id: int
    case_id: int
    case_number: str = Field(validation_alias="case.number")
    agent_id: int
    agent_name: str = Field(validation_alias="agent.name")
    inspector_id: int
    inspector_name: str = Field(validation_alias="inspector.name")
    scorecard_id: int
    calibration_id: int | None
    origin: str  # random, risk, manual or calibration
    risk: list[str]
    week: str | None = Field(None, description="Monday of the sampled week")
    state: str  # assigned, scored, published, appealed, ruled, final
    total: Decimal | None
    fatal: bool
    comment: str
    assigned_at: datetime
    scored_at: datetime | None
    published_at: datetime | None
    final_at: datetime | None

    @staticmethod
    def resolve_week(obj) -> str | None:
        return obj.week.isoformat() if obj.week else None


class InspectionDetailOut(InspectionOut):
    scores: list[ScoreOut] = Field(validation_alias="score_rows")
    appeal: AppealOut | None = Field(None, validation_alias="appeal_row")
    appeal_until: datetime | None = Field(None, validation_alias="appeal_until")
    recordings: list[dict] = Field(validation_alias="recording_rows")


class ItemScoreIn(StrictSchema):
    item_id: int
    score: Decimal | None = Field(None, ge=0, le=100)
    violated: bool = False
    comment: str = Field("", max_length=2000)


class ScoreIn(StrictSchema):
    scores: list[ItemScoreIn]
    comment: str = Field("", max_length=4000)


class AppealIn(StrictSchema):
    reason: str = Field(min_length=1, max_length=4000)


class RuleIn(StrictSchema):
    outcome: Literal["upheld", "adjusted"]
    ruling: str = Field(min_length=1, max_length=4000)
    total: Decimal | None = Field(None, ge=0, le=100, description="the new total when adjusted")


class InspectionFilters(Schema):
    view: Literal["tasks", "appeals", "mine"] = "tasks"
    state: Literal["", "assigned", "scored", "published", "appealed", "ruled", "final"] = ""


class CalibrationIn(StrictSchema):
    case_id: int
    inspector_ids: list[int] = Field(min_length=2, max_length=20)
    title: str = Field("", max_length=200)


class SpreadItemOut(Schema):
    item_id: int
    name: str
    scores: list[Decimal | None]
    spread: Decimal | None


class CalibrationOut(Schema):
    id: int
    case_id: int
    title: str
    scorecard_id: int
    created_at: datetime
    inspection_ids: list[int] = Field(validation_alias="inspection_ids")
    inspectors: list[str] = Field(validation_alias="inspector_names")
    items: list[SpreadItemOut] = Field(validation_alias="spread_items")
    totals: list[Decimal | None] = Field(validation_alias="spread_totals")
    total_spread: Decimal | None = Field(None, validation_alias="spread_total")
