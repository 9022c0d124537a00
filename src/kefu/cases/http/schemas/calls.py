"""Request and response models of calls (SLA-1) and the major-quality notice (SLA-1) — `http/calls.py`."""

from datetime import datetime

from ninja import Schema
from pydantic import Field

from kefu.cases.http.schemas.intake import Text
from kefu.core.http_support import StrictSchema


class LoggedCallIn(StrictSchema):
    case_number: str = Field(max_length=30, description="the case the call belongs to")
    call_id: str = Field(max_length=100, description="the telephony system's id of the call")
    rang_at: datetime = Field(description="when it started ringing; without a zone, Beijing time")
    answered_at: datetime | None = Field(None, description="when it was answered; empty: not answered")
    rings: int = Field(ge=0, le=32767, description="rings before it was answered (or before it ended)")
    agent_number: str = Field("", max_length=30, description="the answering agent's staff number")


class CallLogIn(StrictSchema):
    calls: list[LoggedCallIn] = Field(max_length=1000)


class CallLogOut(Schema):
    imported: int
    skipped: int
    breaches: int


class RingsIn(StrictSchema):
    rings: int = Field(ge=0, le=32767, description="rings before the agent answered")
    answered: bool = True


class CallOut(Schema):
    id: int
    source: str
    call_id: str
    rang_at: datetime
    answered_at: datetime | None
    rings: int
    within: bool
    policy_version: int


class CallSummaryOut(Schema):
    calls: int
    within: int
    breaches: int


class QualityNoticeIn(StrictSchema):
    note: Text = ""


class QualityNoticeOut(Schema):
    notified: list[str]
