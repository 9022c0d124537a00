"""Request models of CUS-7 assignment and contact records."""

from typing import Annotated

from pydantic import Field

from kefu.core.http_support import StrictSchema


class AssignIn(StrictSchema):
    specialist_id: int | None = None


class ContactRecordIn(StrictSchema):
    note: Annotated[str, Field(min_length=1, max_length=4000)]


class SpecialistSkillsIn(StrictSchema):
    """CUS-7: the industries (所属行业) the specialist knows; replaces the list."""

    industries: Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)]


class SpecialistSkillsOut(StrictSchema):
    employee_id: int
    industries: list[str]
