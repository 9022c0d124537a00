"""Policy documents under /api/v1/documents/policies (DOC-1)."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import StrictSchema, actor
from kefu.documents.actions import policies as actions
from kefu.documents.queries import common
from kefu.documents.queries import policies as queries

router = Router(tags=["documents"])


class PolicyVersionOut(Schema):
    id: int
    number: int
    effective_on: date
    note: str
    created_at: datetime


class PolicyOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    title: str
    current_number: int | None = None
    sent: int = 0
    acknowledged: int = 0
    to_acknowledge: bool = False


class PolicyDetailOut(PolicyOut):
    current: PolicyVersionOut | None = Field(None, validation_alias="current_version")
    body: str = ""
    my_acknowledged_at: datetime | None = None
    superseded: list[PolicyVersionOut] = Field(default_factory=list, validation_alias="older")


class PolicyReaderOut(Schema):
    employee_id: int
    name: str = Field(validation_alias="employee.name")
    unit_name: str = Field(validation_alias="employee.unit.name")
    acknowledged_at: datetime | None
    reminders: int


class PolicyAckOut(Schema):
    version_id: int
    acknowledged_at: datetime | None


class PolicyIn(StrictSchema):
    unit_id: int
    title: str = Field(max_length=200)
    body: str = Field(max_length=200000)
    effective_on: date
    note: str = Field("", max_length=300)


class PolicyVersionIn(StrictSchema):
    effective_on: date
    body: str | None = Field(None, max_length=200000)
    note: str = Field("", max_length=300)


def _detail(me, policy):
    row = queries.with_counts([queries.policies(me).get(pk=policy.pk)], me)[0]
    version = queries.current(row)
    row.current_version = version
    row.body = version.body if version else ""
    mine = queries.my_reading(me, version) if version else None
    row.my_acknowledged_at = mine.acknowledged_at if mine else None
    row.older = [v for v in queries.versions(row) if version is None or v.pk != version.pk]
    return row


@router.get(
    "", response=list[PolicyOut], summary="Policies I may see, with the current version's acknowledgements"
)
def list_policies(request):
    me = actor(request)
    return queries.with_counts(list(queries.policies(me)[:500]), me)


@router.post("", response={201: PolicyDetailOut}, summary="Issue a policy (version 1, distributed) (DOC-1)")
def issue(request, payload: PolicyIn):
    me = actor(request)
    policy = actions.issue(
        me,
        unit=common.unit_named(payload.unit_id, "unit_id"),
        title=payload.title,
        body=payload.body,
        effective_on=payload.effective_on,
        note=payload.note,
    )
    return Status(201, _detail(me, policy))


@router.get("/{policy_id}", response=PolicyDetailOut, summary="One policy: the version in force and its text")
def get_policy(request, policy_id: int):
    me = actor(request)
    return _detail(me, queries.policy(me, policy_id))


@router.post(
    "/{policy_id}/versions",
    response={201: PolicyDetailOut},
    summary="Issue a new version: it supersedes the last and is acknowledged anew (DOC-1)",
)
def new_version(request, policy_id: int, payload: PolicyVersionIn):
    me = actor(request)
    policy = queries.policy(me, policy_id)
    actions.new_version(me, policy, effective_on=payload.effective_on, body=payload.body, note=payload.note)
    return Status(201, _detail(me, policy))


@router.get(
    "/versions/{version_id}/readers",
    response=list[PolicyReaderOut],
    summary="Who has read version N: each person read or unread (the people my grants reach) (DOC-1)",
)
def readers(request, version_id: int):
    me = actor(request)
    return queries.readers(me, queries.version(me, version_id))


@router.post(
    "/versions/{version_id}/acknowledge",
    response=PolicyAckOut,
    summary="Acknowledge the version in force (DOC-1)",
)
def acknowledge(request, version_id: int):
    me = actor(request)
    row = actions.acknowledge(me, queries.version(me, version_id))
    return {"version_id": row.version_id, "acknowledged_at": row.acknowledged_at}
