"""Pydantic response models of the policy API."""

from datetime import datetime

from ninja import Field, Schema


class SourceOut(Schema):
    seed: str
    document: str


class OverrideOut(Schema):
    unit_id: int
    unit_name: str
    group_value: int | float


class EntryOut(Schema):
    key: str
    module: str
    rule: str
    related_rules: list[str]
    name_zh: str
    name_en: str
    value: int | float
    unit: str
    display: str
    kind: str
    calendar: str
    stricter: str
    clause: str
    source: SourceOut
    default_not_from_seeds: bool
    default_note: str = Field(
        "", description="本系统默认值 (default, not from the policies) in the request's language, else empty"
    )
    version: int
    version_effective_from: datetime
    override: OverrideOut | None
