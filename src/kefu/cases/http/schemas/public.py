"""Request and response bodies of the public intake API (CASE-2)."""

from datetime import datetime

from ninja import Field, Schema

from kefu.core.http_support import StrictSchema


class PublicContactIn(StrictSchema):
    name: str = Field(..., max_length=100)
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=254)


class PublicCaseIn(StrictSchema):
    kind: str = Field(..., description="consultation, complaint or suggestion", max_length=50)
    title: str = Field(..., max_length=200)
    description: str = Field("", max_length=5000)
    contact: PublicContactIn
    unit: str = Field(
        "",
        max_length=50,
        description="code of the subsidiary that should receive it; default KEFU_PUBLIC_DEFAULT_UNIT or the only one",
    )


class PublicLookupIn(StrictSchema):
    number: str = Field(..., max_length=30, description="the case number, e.g. KF-20260101-000001")
    phone: str = Field(..., max_length=30, description="the mobile phone given when reporting")


class PublicCaseCreated(Schema):
    number: str
    status_url: str = Field(..., description="the status page; shown once, keep it private")
    secret: str = Field(..., description="the status secret (GET /public/cases/{number}?secret=…)")


class PublicExpected(Schema):
    name: str
    label: str
    due_at: datetime
    paused: bool


class PublicMessage(Schema):
    at: datetime
    author: str = Field(..., description="“您 / you” or “客服专员” — never a staff member's name")
    from_customer: bool
    body: str


class PublicCaseStatus(Schema):
    number: str
    kind: str
    title: str
    state: str
    state_label: str
    received_at: datetime
    expected: list[PublicExpected]
    answer: str = Field(..., description="what the customer was told")
    messages: list[PublicMessage]
    satisfied: bool | None
    may_rate: bool


class PublicMessageIn(StrictSchema):
    secret: str = Field(..., max_length=200)
    body: str = Field(..., max_length=5000)


class PublicRatingIn(StrictSchema):
    secret: str = Field(..., max_length=200)
    satisfied: bool
    reason: str = Field("", max_length=5000)
