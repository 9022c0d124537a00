"""Request and response models of 逾期报备 (HRD-1) — `http/hardship.py`."""

from datetime import date, datetime, time

from ninja import Schema
from pydantic import Field

from kefu.cases.http.schemas.intake import Id, Text
from kefu.core.http_support import StrictSchema


class HardshipIn(StrictSchema):
    unit_id: Id | None = Field(None, description="the receiving unit; default: the agent's own")
    phone: str = Field(max_length=30, description="the customer's own phone (stored encrypted)")
    name: str = Field("", max_length=50, description="the customer's name (optional)")
    overdue_on: date = Field(description="the date the customer falls overdue")
    hardship: Text = Field(description="the hardship the customer faces (说明你面临困难)")
    willingness: str = Field(description="willing_unable / partial / plan / unwilling")
    window_start: time = Field(description="the customer takes calls from (e.g. 12:00)")
    window_end: time = Field(description="… until (e.g. 14:00); after window_start")
    emergency_name: str = Field("", max_length=50, description="new emergency contact's name (encrypted)")
    emergency_phone: str = Field("", max_length=30, description="new emergency contact's phone (encrypted)")


class HardshipCallForm(Schema):
    target: str = Field(description="customer / emergency / other (other is always refused: 不要爆通讯录)")
    outcome: str = Field(description="reached / unreachable")
    at: datetime | None = Field(None, description="when the call was made; default now; Beijing time")
    phone: str = Field("", max_length=30, description="the number dialled, checked against the allowed ones")
    note: str = Field("", max_length=2000)


class HardshipCallOut(Schema):
    id: int
    at: datetime
    target: str
    outcome: str
    note: str
    recording_id: int | None
    by_id: int


class HardshipOut(Schema):
    case_id: int
    number: str = Field(alias="case.number")
    state: str = Field(alias="case.state")
    agent_id: int = Field(description="the agent who took the report (工号)")
    agent_number: str = Field(alias="agent.number", description="the agent's 工号")
    reported_on: date
    overdue_on: date
    hardship: str
    willingness: str
    window_start: time
    window_end: time
    emergency_contact_changed: bool
    recording_id: int | None
    owner_id: int | None = Field(alias="case.owner_id")

    @staticmethod
    def resolve_emergency_contact_changed(obj) -> bool:
        return bool(obj.emergency_phone_index)
