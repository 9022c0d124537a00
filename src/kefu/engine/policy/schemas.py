"""Pydantic response models of the policy API."""

from datetime import datetime

from ninja import Schema


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
    version: int
    version_effective_from: datetime
    override: OverrideOut | None
