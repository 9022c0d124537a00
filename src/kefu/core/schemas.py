"""Response models shared by every app's HTTP layer."""

from datetime import datetime

from ninja import Schema


# one decision record (POL-3) as the API answers it: the rows of `kefu.core.decisions.rows(obj)`
class DecisionOut(Schema):
    rule: str
    outcome: str
    inputs: dict
    policy_version: int | None
    clause: str
    made_at: datetime


__all__ = ["DecisionOut"]
