"""Response models of the caller's history (issue 13, `http/callers.py`): what the new-case page shows
below the phone — the customer as the reader may see it (masked phone), their cases in the reader's
scope and the 报备 status as CLM-1's pre-check answers it (the owner only where `may_see_owner`)."""

from datetime import datetime

from ninja import Schema


class CallerCustomerOut(Schema):
    id: int
    name: str
    masked_phone: str
    tier: str
    unit: str


class CallerCaseOut(Schema):
    id: int
    number: str
    title: str
    state: str
    received_at: datetime


class CallerClaimOut(Schema):
    protected: bool
    until: datetime | None = None
    owner: str | None = None  # only for the claim's owner and the registers' keepers (CLM-1)


class CallerOut(Schema):
    masked_phone: str
    customer: CallerCustomerOut | None = None
    open_cases: list[CallerCaseOut]
    recent_cases: list[CallerCaseOut]
    claim: CallerClaimOut
