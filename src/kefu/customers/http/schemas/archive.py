"""Request and response models of the customer archive's API (CUS-1…CUS-3, CUS-7, SEC-2, SEC-5)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import PatchSchema, StrictSchema

Text = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=4000)]
Phone = Annotated[str, Field(max_length=30, pattern=r"^[0-9+\- ()]*$")]
MaskedPhone = Annotated[str, Field(max_length=30, pattern=r"^[0-9+\- ()*]*$")]  # as read masked (SEC-2)
Kind = Literal["person", "organisation"]
TierT = Literal["strategic", "key", "normal"]
AudienceT = Literal["A", "B", "C", "D"]
NoveltyT = Literal["new", "important"]
StageT = Literal["expansion", "maintenance", "recovery", "value"]
LevelT = Literal["none", "secret", "confidential", "top_secret"]


class Ref(Schema):
    id: int
    name: str


class CustomerOut(Schema):
    """Personal data masked (SEC-2)."""

    id: int
    kind: str
    name: str
    phone: str = Field(description="Masked (SEC-2) unless `full` is true")
    unit: Ref
    owner: Ref | None
    specialist: Ref | None
    tier: str
    audience: str
    novelty: str
    grade: str
    stage: str
    at_risk: bool
    confidentiality: str
    completeness: int = Field(description="CUS-3: percentage of the basic archive filled in")
    updated_at: datetime


class FirstContactOut(Schema):
    """CUS-7: the first-contact timer of the latest assignment."""

    state: str = Field(description="running, done (contacted in time), breached or cancelled")
    started_at: datetime
    due_at: datetime
    warn_at: datetime | None = Field(description="when the specialist is reminded")
    warned_at: datetime | None
    breached_at: datetime | None


class CustomerDetail(CustomerOut):
    full: bool = Field(description="true: holder of customer.view_full; this read was audited (SEC-5)")
    id_number: str
    address: str
    emergency_contact: str
    gender: str
    birthday: date | None
    position: str
    company: str
    region: str
    industry: str
    size: str
    assets: str
    founded_on: date | None
    first_trade_on: date | None
    qualifications: str
    needs: str
    source: str
    contact_window: str
    no_third_party_contact: bool
    consent_external: bool
    consent_marketing: bool
    family_of: Ref | None
    credit_class: int | None
    annual_amount: Decimal | None
    confidential_until: date | None
    assignment_state: str
    first_contact: FirstContactOut | None
    archived_complete_at: datetime | None
    missing: list[str]
    created_at: datetime


class _Archive(StrictSchema):
    """The archive fields a person may set (CUS-1, CUS-2, SEC-3) — listed once, for create and edit."""

    name: Annotated[str, Field(min_length=1, max_length=200)] = ""
    phone: Phone = ""
    address: Text = ""
    gender: Annotated[str, Field(max_length=10)] = ""
    birthday: date | None = None
    id_number: Annotated[str, Field(max_length=40)] = ""
    emergency_contact: Text = ""
    position: Text = ""
    company: Text = ""
    region: Text = ""
    industry: Text = ""
    size: Annotated[str, Field(max_length=50)] = ""
    assets: Text = ""
    founded_on: date | None = None
    first_trade_on: date | None = None
    qualifications: LongText = ""
    needs: LongText = ""
    source: Text = ""
    contact_window: Annotated[str, Field(max_length=50)] = ""
    no_third_party_contact: bool = False
    consent_external: bool = False
    consent_marketing: bool = False
    owner_id: int | None = None
    family_id: int | None = None
    tier: TierT = "normal"
    audience: AudienceT = "A"
    novelty: NoveltyT = "new"
    credit_class: int | None = Field(None, ge=1)
    stage: StageT = "expansion"
    at_risk: bool = False
    annual_amount: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    confidentiality: LevelT | None = Field(None, description="omit for the SEC-3 default")
    confidential_until: date | None = Field(None, description="omit for the default period (SEC-3)")


class CustomerIn(_Archive):
    kind: Kind = "person"
    name: Annotated[str, Field(min_length=1, max_length=200)]
    unit_id: int | None = None


class CustomerPatch(_Archive, PatchSchema):
    """Only the fields sent change. Sales and marketing get a change request instead (202, CUS-4).

    Personal data read masked may be sent back as it was read (138****1234): it means "unchanged"
    and never overwrites the stored value (SEC-2); "" clears the field.
    """

    nullable = frozenset(
        {
            "birthday",
            "founded_on",
            "first_trade_on",
            "owner_id",
            "family_id",
            "credit_class",
            "annual_amount",
            "confidential_until",
        }
    )
    phone: MaskedPhone = ""
    reason: Text = Field("", description="why (kept with a change request)")
