"""Request and response models of the cases configuration API (CASE-1, ROUTE-1) and of the
supervisor's overview (ROUTE-1, SLA-2, CASE-6)."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

from kefu.cases.models import Family, Office
from kefu.core.http_support import PatchSchema, StrictSchema

Name = Annotated[str, Field(min_length=1, max_length=100)]
Code = Annotated[str, Field(min_length=1, max_length=50)]
FieldSpecs = Annotated[
    list[Any],
    Field(
        max_length=100,
        description='[{"name": "account_no", "label": "户号", "type": "text|number|date|choice", '
        '"required": true, "choices": ["…"] (choice only)}]',
    ),
]


class GroupUnitRef(Schema):
    id: int
    name: str


class KindConfigOut(Schema):
    id: int
    unit: GroupUnitRef | None = Field(None, description="null: shipped for every subsidiary")
    code: str
    family: str
    name: str
    name_en: str
    fields: list[dict]
    active: bool
    ordering: int


class KindIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary")
    code: Code = Field(description="a shipped kind's code replaces that kind for this subsidiary")
    family: Family
    name: Name
    name_en: Annotated[str, Field(max_length=100)] = ""
    fields: FieldSpecs = []
    ordering: int = 100
    active: bool = True


class KindPatch(PatchSchema):
    family: Family | None = None
    name: Name | None = None
    name_en: Annotated[str, Field(max_length=100)] | None = None
    fields: FieldSpecs | None = None
    ordering: int | None = None
    active: bool | None = Field(None, description="false retires the kind; its cases stay")


class MemberOut(Schema):
    id: int
    name: str


class GroupOut(Schema):
    id: int
    unit: GroupUnitRef
    code: str
    name: str
    office: str
    families: list[str]
    members: list[MemberOut]
    active: bool

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class GroupIn(StrictSchema):
    unit_id: int
    code: Code
    name: Name
    office: Office = Office.FRONT
    families: list[Family] = []
    members: list[int] = Field([], description="employee ids: active, inside the group's subsidiary")


class GroupPatch(PatchSchema):
    name: Name | None = None
    office: Office | None = None
    families: list[Family] | None = None
    members: list[int] | None = None
    active: bool | None = None


class GroupCounts(Schema):
    id: int
    code: str
    name: str
    office: str
    unit: GroupUnitRef
    open: int
    queued: int = Field(description="unassigned cases waiting in the group's queue")
    overdue: int
    near_breach: int = Field(description="open cases past a clock's warning time, not yet overdue")
    members: list[int]

    @staticmethod
    def resolve_open(obj):
        return obj.counts["open"]

    @staticmethod
    def resolve_queued(obj):
        return obj.counts["queued"]

    @staticmethod
    def resolve_overdue(obj):
        return obj.counts["overdue"]

    @staticmethod
    def resolve_near_breach(obj):
        return obj.counts["near"]

    @staticmethod
    def resolve_members(obj):
        return [person.pk for person in obj.people]


class AgentOut(Schema):
    id: int
    name: str
    unit: GroupUnitRef
    load: int = Field(description="open cases owned")
    overdue: int
    available: bool
    note: str
    groups: list[int]

    @staticmethod
    def resolve_available(obj):
        return obj.is_available

    @staticmethod
    def resolve_note(obj):
        return obj.availability_note

    @staticmethod
    def resolve_groups(obj):
        return [group.pk for group in obj.groups]


class OverdueOut(Schema):
    id: int
    number: str
    title: str
    owner: MemberOut | None
    next_due_at: datetime
    overdue_minutes: int
    escalation_level: int


class QueuedOut(Schema):
    id: int
    number: str
    title: str
    group_id: int | None
    received_at: datetime

    @staticmethod
    def resolve_group_id(obj):
        return obj.skill_group_id


class BounceOut(Schema):
    unit_id: int
    unit: str
    transfers: int
    bounces: int

    @staticmethod
    def resolve_unit_id(obj):
        return obj["from_unit_id"]

    @staticmethod
    def resolve_unit(obj):
        return obj["from_unit__name"]


class BouncedCaseOut(Schema):
    id: int
    number: str
    title: str
    bounce_count: int
    transfer_count: int


class TeamOut(Schema):
    totals: dict[str, int]
    groups: list[GroupCounts]
    agents: list[AgentOut]
    queue: list[QueuedOut]
    overdue: list[OverdueOut]
    bounces: list[BounceOut]
    top_bounced: list[BouncedCaseOut]

    @staticmethod
    def resolve_totals(obj):
        return obj.totals or {"open": 0, "queued": 0, "overdue": 0}
