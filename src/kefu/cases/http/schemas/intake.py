"""Request and response models of the case API (CASE-1…CASE-3, CASE-6, ROUTE-1, SLA-2): the intake,
list, detail and handling endpoints of `http/intake.py`. The responses read the records themselves
(resolvers below); what depends on the reader — the deadlines, the customer link they may see, the
contact as they may see it, the moves they may make — is put on the case by the router first
(`api_*` attributes). Closure reports and compensation have theirs in `complaints.py`, handoffs in
`handoffs.py`, the public form in `public.py`.
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field

from kefu.cases.models import Channel, Priority
from kefu.core import clock
from kefu.core.http_support import StrictSchema
from kefu.customers.queries.masks import masked_phone

ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
Text = Annotated[str, Field(max_length=20000)]
Short = Annotated[str, Field(max_length=500)]
ChannelT = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
PriorityT = Literal[tuple(Priority.values)]  # type: ignore[valid-type]


# ── requests ─────────────────────────────────────────────────────────────────────────────────────
class CaseContactIn(StrictSchema):
    """The person who contacts us; linked to the customer archive by phone when it matches."""

    name: Annotated[str, Field(max_length=100)] = ""
    phone: Annotated[str, Field(max_length=30)] = ""
    email: Annotated[str, Field(max_length=254)] = ""


class CaseIn(StrictSchema):
    kind: Annotated[str, Field(max_length=50, description="glossary code: consultation, complaint, repair …")]
    channel: ChannelT = Field(description="CASE-2: how the matter reached us")
    title: Annotated[str, Field(max_length=200)]
    description: Text = ""
    priority: PriorityT = "normal"
    customer: CaseContactIn | None = Field(None, description="the contact as given (or send customer_id)")
    customer_id: Id | None = Field(None, description="an archived customer in your scope")
    extra: dict = Field(default_factory=dict, description="values of the kind's own fields (GET /kinds)")
    major: bool = Field(False, description="major complaint / major problem (ESC-1)")
    identity_verified: bool = Field(False, description="CASE-2 先核实客户身份 done at intake")
    unit_id: Id | None = Field(None, description="receiving unit; default: your own")


class TransitionIn(StrictSchema):
    to: Annotated[str, Field(max_length=60, description="transition name, e.g. accept, propose, inform")]
    reason: Short = ""
    solution: Text | None = None
    customer_reply: Text | None = None
    satisfied: bool | None = Field(
        None, description="revisit/close: what the customer said (recorded as their answer, issue 13)"
    )
    satisfaction_source: Literal["revisit", "survey", "unreachable"] | None = Field(
        None,
        description="where the answer came from (default revisit); `unreachable`: the revisit reached "
        "nobody — lets a case close, never counted as satisfied",
    )
    priority: PriorityT | None = None
    category: Annotated[str, Field(max_length=100)] | None = None
    product: Annotated[str, Field(max_length=100)] | None = None
    root_cause: Text | None = None
    corrective_action: Text | None = None


class CaseAssignIn(StrictSchema):
    owner_id: Id | None = Field(None, description="omit for the least-loaded available member")


class TransferIn(StrictSchema):
    reason: Short
    to_owner_id: Id | None = None
    to_group_id: Id | None = None


class EscalateIn(StrictSchema):
    reason: Short
    emergency: bool = Field(False, description="skip levels; the skipped levels are told (WF-6)")
    to_level: Annotated[int, Field(ge=1, le=10)] | None = None
    trigger: str = Field(
        "",
        description="ESC-1 trigger, goes straight to its level: major_complaint, key_feedback, major_problem, "
        "competition, leak, major_error, out_of_remit",
    )


class CommentIn(StrictSchema):
    body: Text
    public: bool = Field(False, description="a reply the customer sees (restarts the next-update clock)")


class AvailabilityIn(StrictSchema):
    available: bool
    note: Annotated[str, Field(max_length=200)] = ""


# ── responses ────────────────────────────────────────────────────────────────────────────────────
def who(user) -> str | None:
    """A person as the API names them: the employee's name, else the account's username."""
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


class Ref(Schema):
    id: int
    name: str


class CaseDueOut(Schema):
    """Deadlines of the running clocks (SLA-2); null when that clock is not running."""

    first_response: datetime | None = None
    next_update: datetime | None = None
    resolution: datetime | None = None


class CaseOut(Schema):
    id: int
    number: str
    kind: str
    kind_name: str
    family: str
    channel: str
    priority: str
    state: str
    title: str
    unit: Ref
    owner: Ref | None
    skill_group: Ref | None
    customer_id: int | None
    contact_name: str
    identity_verified: bool
    major: bool
    received_at: datetime
    updated_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    next_due_at: datetime | None
    overdue: bool
    due: CaseDueOut
    transfer_count: int
    bounce_count: int
    reopen_count: int

    @staticmethod
    def resolve_kind(obj):
        return obj.kind.code

    @staticmethod
    def resolve_kind_name(obj):
        return obj.kind.name

    @staticmethod
    def resolve_customer_id(obj):
        """Only a linked customer the reader may see (issue 10: any other link is hidden)."""
        return obj.customer_id if obj.customer_id in obj.api_shown_customers else None

    @staticmethod
    def resolve_overdue(obj):
        return obj.next_due_at is not None and obj.next_due_at < clock.now()

    @staticmethod
    def resolve_due(obj):
        return obj.api_due


class CaseContactOut(Schema):
    name: str
    phone: str
    email: str
    masked: bool = Field(description="true unless you hold customer.view_full in scope (SEC-2)")


class CustomerSummary(Schema):
    id: int
    name: str
    phone: str = Field(description="always masked here")
    tier: str

    @staticmethod
    def resolve_phone(obj):
        return masked_phone(obj)


class ClockOut(Schema):
    name: str
    policy_key: str
    state: str = Field(description="running, paused, done, breached or cancelled")
    started: datetime
    due: datetime
    warned: datetime | None
    breached: datetime | None = Field(
        description="the deadline it missed, set from the first breach on (an escalating clock keeps running)"
    )
    paused: datetime | None
    stopped: datetime | None
    escalation_level: int

    @staticmethod
    def resolve_started(obj):
        return obj.started_at

    @staticmethod
    def resolve_due(obj):
        return obj.due_at

    @staticmethod
    def resolve_warned(obj):
        return obj.warned_at

    @staticmethod
    def resolve_breached(obj):
        return obj.breached_at

    @staticmethod
    def resolve_paused(obj):
        return obj.paused_at

    @staticmethod
    def resolve_stopped(obj):
        return obj.stopped_at


class EscalationOut(Schema):
    level: int
    level_name: str
    skipped: list[str]
    reason: str
    automatic: bool
    at: datetime
    by: str | None

    @staticmethod
    def resolve_skipped(obj):
        return obj.skipped or []

    @staticmethod
    def resolve_by(obj):
        return who(obj.actor)


class TransitionOut(Schema):
    name: str
    to: str
    label_zh: str
    label_en: str
    required: list[str]
    fields: list[str]
    endpoint: str = Field(description="where to make it (route: the assign endpoint)")


class CommentOut(Schema):
    id: int
    body: str
    public: bool
    from_customer: bool
    author: str | None
    at: datetime

    @staticmethod
    def resolve_author(obj):
        return who(obj.author)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_by: str | None
    at: datetime
    download: str

    @staticmethod
    def resolve_uploaded_by(obj):
        return who(obj.uploaded_by)

    @staticmethod
    def resolve_download(obj):
        return f"/api/v1/cases/{obj.case_id}/attachments/{obj.pk}/download"


class TransferOut(Schema):
    id: int
    from_owner: Ref | None
    to_owner: Ref | None
    from_unit: Ref
    to_unit: Ref
    reason: str
    bounce: bool
    at: datetime


class CaseDecisionOut(Schema):
    rule: str
    outcome: str
    inputs: dict
    clause: str
    source: str
    policy_version: int | None
    at: datetime

    @staticmethod
    def resolve_inputs(obj):
        return obj.inputs or {}

    @staticmethod
    def resolve_at(obj):
        return obj.made_at


class CaseDetail(CaseOut):
    description: str
    extra: dict
    category: str
    product: str
    solution: str
    customer_reply: str
    satisfied: bool | None
    satisfaction_source: str = Field(description="status_page, survey, revisit, unreachable or empty")
    satisfaction_at: datetime | None
    root_cause: str
    corrective_action: str
    contact: CaseContactOut
    customer: CustomerSummary | None
    clocks: list[ClockOut]
    escalations: list[EscalationOut]
    transitions: list[TransitionOut] = Field(description="the moves you may make now")
    comments: list[CommentOut]
    attachments: list[AttachmentOut]
    transfers: list[TransferOut]
    decisions: list[CaseDecisionOut] = Field(description="为什么: the recorded automated decisions")

    @staticmethod
    def resolve_extra(obj):
        return obj.extra or {}

    @staticmethod
    def resolve_contact(obj):
        return obj.api_contact

    @staticmethod
    def resolve_customer(obj):
        return obj.customer if obj.customer_id in obj.api_shown_customers else None

    @staticmethod
    def resolve_clocks(obj):
        return obj.api_clocks

    @staticmethod
    def resolve_escalations(obj):
        return obj.api_escalations

    @staticmethod
    def resolve_transitions(obj):
        return obj.api_transitions

    @staticmethod
    def resolve_comments(obj):
        return obj.api_comments

    @staticmethod
    def resolve_attachments(obj):
        return obj.api_attachments

    @staticmethod
    def resolve_transfers(obj):
        return obj.api_transfers

    @staticmethod
    def resolve_decisions(obj):
        return obj.api_decisions


class KindOut(Schema):
    code: str
    family: str
    name: str
    name_en: str
    fields: list[dict]
    own: bool = Field(description="defined by your subsidiary (else a shipped kind)")

    @staticmethod
    def resolve_fields(obj):
        return obj.fields or []

    @staticmethod
    def resolve_own(obj):
        return obj.unit_id is not None


class AvailabilityOut(Schema):
    employee_id: int
    available: bool
    note: str
    updated_at: datetime
