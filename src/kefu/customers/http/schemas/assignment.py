"""Request models of CUS-7 assignment and contact records."""

from typing import Annotated

from pydantic import Field

from kefu.core.http_support import StrictSchema


class AssignIn(StrictSchema):
    specialist_id: int | None = None


class ContactRecordIn(StrictSchema):
    note: Annotated[str, Field(min_length=1, max_length=4000)]
