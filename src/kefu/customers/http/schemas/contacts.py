"""Request and response models of a customer's contacts (CUS-1; phones masked, SEC-2)."""

from typing import Annotated

from ninja import Schema
from pydantic import Field

from kefu.core.http_support import StrictSchema
from kefu.customers.http.schemas.archive import LongText, Phone, Text


class ContactIn(StrictSchema):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    position: Text = ""
    phone: Phone = ""
    email: Annotated[str, Field(max_length=254)] = ""
    is_key_person: bool = True
    notes: LongText = ""


class ContactOut(Schema):
    id: int
    name: str
    position: str
    phone: str = Field(description="Masked (SEC-2) unless the caller holds customer.view_full")
    email: str
    is_key_person: bool
    notes: str
