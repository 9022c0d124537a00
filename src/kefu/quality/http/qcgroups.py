"""QC groups under /api/v1/quality/qcgroups (QC-1)."""

from datetime import date, datetime
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.quality.actions import qcgroups as actions
from kefu.quality.queries import qcgroups as queries

router = Router(tags=["quality"])

StageName = Literal["plan", "do", "check", "act"]


class QcGroupOut(Schema):
    id: int
    name: str
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    leader_id: int
    leader_name: str = Field(validation_alias="leader.name")
    topic: str
    stage: str  # plan, do, check or act (PDCA)
    registration: str  # none, requested or registered (综合部)
    registration_number: str
    registered_at: datetime | None


class QcGroupListOut(QcGroupOut):
    activity_count: int
    last_day: date | None
    open_flags: int


class QcActivityOut(Schema):
    id: int
    day: date
    kind: str  # meeting, analysis, measure or review
    stage: str
    minutes: str
    result: str
    attendee_ids: list[int]


class QcFlagOut(Schema):
    id: int
    kind: str  # monthly (too few activities) or inactive (beyond the pack's limit)
    period: str
    raised_at: datetime
    explanation: str
    explained_at: datetime | None


class QcGroupDetailOut(QcGroupOut):
    member_ids: list[int]
    activities: list[QcActivityOut] = Field(validation_alias="activity_rows")
    flags: list[QcFlagOut] = Field(validation_alias="flag_rows")


class QcGroupIn(StrictSchema):
    name: str = Field(max_length=100)
    unit_id: int
    leader_id: int
    member_ids: list[int] = Field(default_factory=list, max_length=50)
    topic: str = Field(max_length=200)


class QcStageIn(StrictSchema):
    stage: StageName


class QcActivityIn(StrictSchema):
    day: date
    kind: Literal["meeting", "analysis", "measure", "review"]
    stage: StageName
    minutes: str = Field(max_length=4000)
    result: str = Field("", max_length=4000)
    attendee_ids: list[int] = Field(default_factory=list, max_length=50)


class QcExplanationIn(StrictSchema):
    explanation: str = Field(max_length=4000)


def _detail(group):
    group.member_ids = [m.pk for m in group.members.all()]
    group.activity_rows = queries.activities(group)
    for row in group.activity_rows:
        row.attendee_ids = [a.pk for a in row.attendees.all()]
    group.flag_rows = queries.flags(group)
    return group


@router.get("", response=list[QcGroupListOut], summary="QC groups I lead, belong to or oversee (QC-1)")
@paginate(Pagination)
def list_groups(request):
    return queries.groups(actor(request))


@router.get("/{group_id}", response=QcGroupDetailOut, summary="One QC group with its activities and flags")
def get_group(request, group_id: int):
    return _detail(queries.group(actor(request), group_id))


@router.post("", response={201: QcGroupDetailOut}, summary="Form a QC group (QC-1)")
def create_group(request, payload: QcGroupIn):
    me = actor(request)
    group = actions.create_group(
        me,
        name=payload.name,
        unit=queries.unit_named(payload.unit_id, "unit_id"),
        leader=queries.people_named([payload.leader_id], "leader_id")[0],
        members=queries.people_named(payload.member_ids, "member_ids"),
        topic=payload.topic,
    )
    return Status(201, _detail(queries.group(me, group.pk)))


@router.post(
    "/{group_id}/registration", response=QcGroupDetailOut, summary="Send the topic to 综合部 for registration"
)
def request_registration(request, group_id: int):
    me = actor(request)
    actions.request_registration(me, queries.group(me, group_id))
    return _detail(queries.group(me, group_id))


@router.post(
    "/{group_id}/registration/approve", response=QcGroupDetailOut, summary="Register the topic (综合部, QC-1)"
)
def register_topic(request, group_id: int):
    me = actor(request)
    actions.register_topic(me, queries.group(me, group_id))
    return _detail(queries.group(me, group_id))


@router.post("/{group_id}/stage", response=QcGroupDetailOut, summary="Move the group to a PDCA stage")
def set_stage(request, group_id: int, payload: QcStageIn):
    me = actor(request)
    actions.set_stage(me, queries.group(me, group_id), payload.stage)
    return _detail(queries.group(me, group_id))


@router.post("/{group_id}/activities", response={201: QcActivityOut}, summary="Record an activity (QC-1)")
def record_activity(request, group_id: int, payload: QcActivityIn):
    me = actor(request)
    group = queries.group(me, group_id)
    activity = actions.record_activity(
        me,
        group,
        day=payload.day,
        kind=payload.kind,
        stage=payload.stage,
        minutes=payload.minutes,
        result=payload.result,
        attendees=queries.people_named(payload.attendee_ids, "attendee_ids"),
    )
    activity.attendee_ids = [a.pk for a in activity.attendees.all()]
    return Status(201, activity)


@router.post(
    "/flags/{flag_id}/explanation", response=QcFlagOut, summary="The leader explains a flag (clears it, QC-1)"
)
def explain(request, flag_id: int, payload: QcExplanationIn):
    me = actor(request)
    return actions.explain(me, queries.flag(me, flag_id), payload.explanation)
