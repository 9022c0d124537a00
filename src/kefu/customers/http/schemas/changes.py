"""Request and response models of CUS-4 change requests."""

from datetime import datetime
from typing import Literal

from ninja import Schema

from kefu.core.http_support import StrictSchema
from kefu.customers.http.schemas.archive import LongText, Ref


class ChangeRequestOut(Schema):
    id: int
    customer: Ref
    fields: list[str]
    reason: str
    state: str
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_requested_by(obj) -> str:
        return obj.requested_by.get_username()

    @staticmethod
    def resolve_decided_by(obj) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by else None


class ChangeRequestDecideIn(StrictSchema):
    decision: Literal["approve", "reject"]
    reason: LongText = ""
