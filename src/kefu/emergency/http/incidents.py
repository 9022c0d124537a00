"""Incidents under /api/v1/emergency/incidents (EMG-4, EMG-5): the list (open first), one incident with
its checklist, resources, changes, notices and timeline, and every step of the lifecycle — report,
raise from a case, triage, activate, level, checklist, resources, changes, notices, recovery, lift,
review, archive — and the acknowledgement of the alert."""

from datetime import date, datetime

from django.http import FileResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from kefu.cases.queries import intake as case_queries
from kefu.core import clock, decisions, sealed
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.core.schemas import DecisionOut
from kefu.emergency.actions import incidents as actions
from kefu.emergency.queries import incidents as queries
from kefu.emergency.queries import plans as plan_queries
from kefu.org.queries import employee_named

router = Router(tags=["emergency"])


class EmergencyIncidentOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    plan_type: str
    plan_id: int | None
    plan_version_id: int | None
    title: str
    place: str
    scope: str
    source: str
    case_id: int | None
    level: str
    level_name: str
    status: str
    occurred_at: datetime
    detected_at: datetime
    reported_at: datetime
    activate_by: datetime
    activated_at: datetime | None
    activated_late: bool
    breached_at: datetime | None
    recovered_at: datetime | None
    lifted_at: datetime | None
    reviewed_at: datetime | None
    archived_at: datetime | None
    next_alert_at: datetime | None
    acknowledged_at: datetime | None


class EmergencyIncidentTaskOut(Schema):
    id: int
    position: int
    text: str
    slot: str
    time_limit_minutes: int | None
    assignee_id: int | None
    done_at: datetime | None
    done_by_id: int | None
    note: str


class EmergencyIncidentEventOut(Schema):
    at: datetime
    by_id: int | None
    kind: str
    text: str


class EmergencyIncidentResourceOut(Schema):
    id: int
    resource_id: int
    resource_name: str = Field(validation_alias="resource.name")
    quantity: int
    note: str
    at: datetime


class EmergencyIncidentChangeOut(Schema):
    id: int
    kind: str
    text: str
    starts_at: datetime
    ends_at: datetime | None


class EmergencyIncidentNoticeOut(Schema):
    id: int
    audience: str
    text: str
    published_at: datetime
    published_by_id: int


class EmergencyIncidentPhotoOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    uploaded_by_id: int | None
    at: datetime
    download: str = Field(description="GET: the photo (scoped, audited)")

    @staticmethod
    def resolve_download(obj) -> str:
        return f"/api/v1/emergency/incidents/{obj.incident_id}/photos/{obj.pk}"


class EmergencyIncidentDetailOut(EmergencyIncidentOut):
    description: str
    recovery_report: str
    impact: str
    cause: str
    prevention: str
    lessons: str
    seconds_left: int = Field(description="until activate_by; negative when overdue")
    tasks: list[EmergencyIncidentTaskOut] = Field(validation_alias="task_rows")
    resources: list[EmergencyIncidentResourceOut] = Field(validation_alias="resource_rows")
    changes: list[EmergencyIncidentChangeOut] = Field(validation_alias="change_rows")
    notices: list[EmergencyIncidentNoticeOut] = Field(validation_alias="notice_rows")
    photos: list[EmergencyIncidentPhotoOut] = Field(validation_alias="photo_rows")
    decisions: list[DecisionOut] = Field(validation_alias="decision_rows")


class EmergencyIncidentIn(StrictSchema):
    unit_id: int
    plan_type: str = Field(max_length=30)
    title: str = Field(max_length=200)
    occurred_at: datetime
    detected_at: datetime | None = None
    place: str = Field("", max_length=200)
    scope: str = Field("", max_length=300)
    description: str = Field("", max_length=4000)


class EmergencyIncidentFromCaseIn(StrictSchema):
    case_id: int
    plan_type: str = Field(max_length=30)
    title: str = Field("", max_length=200)
    occurred_at: datetime | None = None
    place: str = Field("", max_length=200)
    scope: str = Field("", max_length=300)


class EmergencyIncidentTriageIn(StrictSchema):
    plan_type: str | None = Field(None, max_length=30)
    level: str = Field("", max_length=10)


class EmergencyIncidentLevelIn(StrictSchema):
    level: str = Field(max_length=10)


class EmergencyIncidentTaskIn(StrictSchema):
    done: bool = True
    note: str = Field("", max_length=500)


class EmergencyIncidentAssignIn(StrictSchema):
    assignee_id: int


class EmergencyIncidentResourceIn(StrictSchema):
    resource_id: int
    quantity: int = Field(ge=1, le=1_000_000)
    note: str = Field("", max_length=300)


class EmergencyIncidentChangeIn(StrictSchema):
    kind: str = Field(max_length=10, description="staffing / channel")
    text: str = Field(max_length=500)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class EmergencyIncidentNoticeIn(StrictSchema):
    audience: str = Field(max_length=10, description="customers / public")
    text: str = Field(max_length=2000)


class EmergencyIncidentRecoveryIn(StrictSchema):
    recovery_report: str = Field(max_length=4000)
    impact: str = Field(max_length=4000)


class EmergencyIncidentReviewIn(StrictSchema):
    cause: str = Field(max_length=4000)
    prevention: str = Field(max_length=4000)
    lessons: str = Field(max_length=4000)


class EmergencyIncidentArchiveIn(StrictSchema):
    owner_id: int | None = None
    due_on: date | None = None
    revision: str = Field("", max_length=2000)


def _detail(incident):
    incident.task_rows = queries.tasks(incident)
    incident.resource_rows = queries.resources_used(incident)
    incident.change_rows = queries.changes(incident)
    incident.notice_rows = queries.notices(incident)
    incident.photo_rows = queries.photos(incident)
    incident.decision_rows = decisions.rows(incident)
    incident.seconds_left = int((incident.activate_by - clock.now()).total_seconds())
    return incident


def _again(request, incident_id: int):
    return _detail(queries.incident(actor(request), incident_id))


@router.get("", response=list[EmergencyIncidentOut], summary="Incidents in my scope, open first (EMG-4)")
@paginate(Pagination)
def list_incidents(request, open_only: bool = False):
    return queries.incidents(actor(request), open_only=open_only)


@router.post(
    "", response={201: EmergencyIncidentDetailOut}, summary="Report an incident (EMG-5 manual trigger)"
)
def report(request, payload: EmergencyIncidentIn):
    me = actor(request)
    made = actions.report(
        me,
        unit=plan_queries.unit_named(payload.unit_id, "unit_id"),
        plan_type=payload.plan_type,
        title=payload.title,
        occurred_at=payload.occurred_at,
        detected_at=payload.detected_at,
        place=payload.place,
        scope=payload.scope,
        description=payload.description,
    )
    return Status(201, _again(request, made.pk))


@router.post(
    "/from-case",
    response={201: EmergencyIncidentDetailOut},
    summary="Raise a case to an incident (EMG-5, 升级为突发事件)",
)
def from_case(request, payload: EmergencyIncidentFromCaseIn):
    me = actor(request)
    made = actions.raise_from_case(
        me,
        case_queries.case(me, payload.case_id),
        plan_type=payload.plan_type,
        title=payload.title,
        occurred_at=payload.occurred_at,
        place=payload.place,
        scope=payload.scope,
    )
    return Status(201, _again(request, made.pk))


@router.get(
    "/{incident_id}", response=EmergencyIncidentDetailOut, summary="One incident with its checklist (EMG-4)"
)
def get_incident(request, incident_id: int):
    return _again(request, incident_id)


@router.get(
    "/{incident_id}/timeline",
    response=list[EmergencyIncidentEventOut],
    summary="The incident's timeline, newest first",
)
def timeline(request, incident_id: int):
    return queries.timeline(queries.incident(actor(request), incident_id))


@router.post(
    "/{incident_id}/photos",
    response={201: EmergencyIncidentPhotoOut},
    summary="Add a photo of the scene (multipart `file`; JPEG, PNG, WebP, HEIC; at most 10) (EMG-4)",
)
def add_photo(request, incident_id: int, file: File[UploadedFile]):
    me = actor(request)
    return Status(201, actions.add_photo(me, queries.incident(me, incident_id), file))


@router.get(
    "/{incident_id}/photos/{photo_id}",
    summary="A photo of the scene (scoped; audited)",
    description="Answers the photo with its sniffed image content type.",
)
def photo(request, incident_id: int, photo_id: int):
    me = actor(request)
    item = queries.photo(queries.incident(me, incident_id), photo_id)
    actions.photo_viewed(me, item)
    response = FileResponse(sealed.open_stored(item.file), as_attachment=False, filename=item.name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _step(name: str, summary: str, schema=None):
    """A POST /{incident_id}/<name> route calling `run(me, incident, payload)`."""

    def register(run):
        if schema is None:

            def view(request, incident_id: int):
                me = actor(request)
                run(me, queries.incident(me, incident_id), None)
                return _again(request, incident_id)

        else:

            def view(request, incident_id: int, payload: schema):
                me = actor(request)
                run(me, queries.incident(me, incident_id), payload)
                return _again(request, incident_id)

        view.__name__ = f"incident_{name.replace('-', '_')}"
        router.post(f"/{{incident_id}}/{name}", response=EmergencyIncidentDetailOut, summary=summary)(view)
        return run

    return register


@_step(
    "triage", "Triage: type, plan in force, level with the set_level power (EMG-4)", EmergencyIncidentTriageIn
)
def _triage(me, incident, p):
    actions.triage(me, incident, plan_type=p.plan_type, level=p.level)


@_step("activate", "Activate the response: the plan's activate power; the checklist is copied (EMG-4)")
def _activate(me, incident, p):
    actions.activate(me, incident)


@_step("level", "Set the response level: the plan's set_level power (EMG-3)", EmergencyIncidentLevelIn)
def _level(me, incident, p):
    actions.set_level(me, incident, p.level)


@_step("resources", "Record an emergency resource used (RES-1)", EmergencyIncidentResourceIn)
def _resource(me, incident, p):
    actions.use_resource(me, incident, queries.resource_for(incident, p.resource_id), p.quantity, p.note)


@_step("changes", "Record a staffing or channel change (EMG-4)", EmergencyIncidentChangeIn)
def _change(me, incident, p):
    actions.record_change(me, incident, kind=p.kind, text=p.text, starts_at=p.starts_at, ends_at=p.ends_at)


@_step(
    "notices",
    "Publish a notice to customers or the public: the plan's publish power (EMG-3)",
    EmergencyIncidentNoticeIn,
)
def _notice(me, incident, p):
    actions.publish(me, incident, audience=p.audience, text=p.text)


@_step("recovery", "Report the recovery and its impact (EMG-4)", EmergencyIncidentRecoveryIn)
def _recover(me, incident, p):
    actions.recover(me, incident, report=p.recovery_report, impact=p.impact)


@_step("lift", "Lift the emergency: the plan's lift power (EMG-4)")
def _lift(me, incident, p):
    actions.lift(me, incident)


@_step("review", "The review: cause, prevention, lessons (EMG-4)", EmergencyIncidentReviewIn)
def _review(me, incident, p):
    actions.review(me, incident, cause=p.cause, prevention=p.prevention, lessons=p.lessons)


@_step(
    "archive",
    "Archive; a plan-revision task (reason: incident) is created (EMG-4)",
    EmergencyIncidentArchiveIn,
)
def _archive(me, incident, p):
    owner = employee_named(p.owner_id, "owner_id") if p.owner_id else None
    actions.archive(me, incident, owner=owner, due_on=p.due_on, revision=p.revision)


@_step("acknowledge", "Acknowledge the alert: the reminders stop (EMG-4)")
def _acknowledge(me, incident, p):
    actions.acknowledge(me, incident)


@router.post(
    "/tasks/{task_id}", response=EmergencyIncidentDetailOut, summary="Tick or untick a checklist item"
)
def tick(request, task_id: int, payload: EmergencyIncidentTaskIn):
    me = actor(request)
    found = queries.task_of(me, task_id)
    actions.task_done(me, found, done=payload.done, note=payload.note)
    return _again(request, found.incident_id)


@router.post(
    "/tasks/{task_id}/assign", response=EmergencyIncidentDetailOut, summary="Assign a checklist item"
)
def assign(request, task_id: int, payload: EmergencyIncidentAssignIn):
    me = actor(request)
    found = queries.task_of(me, task_id)
    actions.task_assign(me, found, employee_named(payload.assignee_id, "assignee_id"))
    return _again(request, found.incident_id)
