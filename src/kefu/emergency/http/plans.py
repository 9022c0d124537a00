"""Emergency plans under /api/v1/emergency/plans (EMG-1, EMG-3, EMG-6)."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import StrictSchema, actor
from kefu.emergency import presets
from kefu.emergency.actions import plans as actions
from kefu.emergency.models import PlanType
from kefu.emergency.queries import plans as queries

router = Router(tags=["emergency"])


class PlanStepOut(Schema):
    position: int
    text: str
    slot: str  # a role slot key, e.g. "command.director"
    time_limit_minutes: int | None
    source: str  # the seed clause quoted; empty: a default of this system


class VersionOut(Schema):
    id: int
    number: int
    effective_on: date
    confidentiality: str  # internal, secret or confidential (密级)
    reader_roles: list[str]
    runbook: str
    powers: dict[str, list[str]]  # activate / set_level / publish / lift → role slot keys (EMG-3)
    note: str
    created_at: datetime


class EmergencyPlanOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    plan_type: str
    title: str
    current_number: int | None = None
    sent: int = 0
    acknowledged: int = 0


class PlanDetailOut(EmergencyPlanOut):
    current: VersionOut | None = Field(None, validation_alias="current_version")
    steps: list[PlanStepOut] = Field(default_factory=list, validation_alias="step_rows")
    may_read_full_text: bool = False
    my_acknowledged_at: datetime | None = None


class FullTextOut(Schema):
    version_id: int
    number: int
    full_text: str


class AckOut(Schema):
    version_id: int
    acknowledged_at: datetime | None


class PlanTemplateOut(Schema):
    plan_type: str
    type_name: str
    title: str
    runbook: str
    steps: list[PlanStepOut]


class StepIn(StrictSchema):
    text: str = Field(max_length=4000)
    slot: str = Field("", max_length=60)
    time_limit_minutes: int | None = Field(None, ge=1, le=43200)
    source: str = Field("", max_length=300)


class EmergencyPlanIn(StrictSchema):
    unit_id: int
    plan_type: str
    title: str = Field(max_length=200)
    effective_on: date
    confidentiality: str
    full_text: str = Field(max_length=20000)
    reader_roles: list[str] = Field(max_length=20)
    runbook: str = Field(max_length=4000)
    steps: list[StepIn] = Field(max_length=60)
    powers: dict[str, list[str]] = Field(default_factory=dict)
    note: str = Field("", max_length=300)


class FromTemplateIn(StrictSchema):
    unit_id: int
    plan_type: str
    effective_on: date | None = None


class VersionIn(StrictSchema):
    effective_on: date
    confidentiality: str | None = None
    full_text: str | None = Field(None, max_length=20000)
    reader_roles: list[str] | None = Field(None, max_length=20)
    runbook: str | None = Field(None, max_length=4000)
    steps: list[StepIn] | None = Field(None, max_length=60)
    powers: dict[str, list[str]] | None = None
    note: str = Field("", max_length=300)
    revision_id: int | None = None


class RevisionIn(StrictSchema):
    description: str = Field(max_length=4000)
    owner_id: int
    due_on: date
    reason: str = "on_demand"


class RevisionOut(Schema):
    id: int
    plan_id: int
    reason: str
    description: str
    owner_id: int
    due_on: date
    done_at: datetime | None


def _detail(me, plan):
    plan = queries.with_counts([queries.plans(me).get(pk=plan.pk)])[0]
    version = queries.current(plan)
    plan.current_version = version
    plan.step_rows = list(version.steps.all()) if version else []
    plan.may_read_full_text = bool(version) and queries.may_read_full(me, version)
    mine = queries.my_distribution(me, version) if version else None
    plan.my_acknowledged_at = mine.acknowledged_at if mine else None
    return plan


def _steps(steps):
    return None if steps is None else [actions.StepIn(**s.model_dump()) for s in steps]


@router.get(
    "/templates", response=list[PlanTemplateOut], summary="The shipped plan templates of every EMG-6 type"
)
def templates(request):
    actor(request)
    return [
        {
            "plan_type": key,
            "type_name": PlanType(key).label,
            "title": title,
            "runbook": runbook,
            "steps": [
                {"position": i, "text": t, "slot": s, "time_limit_minutes": m, "source": src}
                for i, (t, s, m, src) in enumerate(steps, 1)
            ],
        }
        for key, (title, runbook, steps) in presets.PLAN_TEMPLATES.items()
    ]


@router.get(
    "",
    response=list[EmergencyPlanOut],
    summary="Plans I may see, with the current version's acknowledgements",
)
def list_plans(request):
    return queries.with_counts(list(queries.plans(actor(request))[:500]))


@router.post("", response={201: PlanDetailOut}, summary="Write a plan (version 1, distributed) (EMG-1)")
def create_plan(request, payload: EmergencyPlanIn):
    me = actor(request)
    plan = actions.create_plan(
        me,
        unit=queries.unit_named(payload.unit_id, "unit_id"),
        plan_type=payload.plan_type,
        title=payload.title,
        effective_on=payload.effective_on,
        confidentiality=payload.confidentiality,
        full_text=payload.full_text,
        reader_roles=payload.reader_roles,
        runbook=payload.runbook,
        steps=_steps(payload.steps),
        powers=payload.powers,
        note=payload.note,
    )
    return Status(201, _detail(me, plan))


@router.post("/from-template", response={201: PlanDetailOut}, summary="A new plan from a template (EMG-6)")
def create_from_template(request, payload: FromTemplateIn):
    me = actor(request)
    plan = actions.create_from_template(
        me,
        unit=queries.unit_named(payload.unit_id, "unit_id"),
        plan_type=payload.plan_type,
        effective_on=payload.effective_on,
    )
    return Status(201, _detail(me, plan))


@router.get("/{plan_id}", response=PlanDetailOut, summary="One plan: current version, runbook card and steps")
def get_plan(request, plan_id: int):
    me = actor(request)
    return _detail(me, queries.plan(me, plan_id))


@router.post("/{plan_id}/versions", response={201: PlanDetailOut}, summary="Issue a new version (EMG-1)")
def new_version(request, plan_id: int, payload: VersionIn):
    me = actor(request)
    plan = queries.plan(me, plan_id)
    revision = queries.revision(me, payload.revision_id) if payload.revision_id else None
    actions.new_version(
        me,
        plan,
        effective_on=payload.effective_on,
        confidentiality=payload.confidentiality,
        full_text=payload.full_text,
        reader_roles=payload.reader_roles,
        runbook=payload.runbook,
        steps=_steps(payload.steps),
        powers=payload.powers,
        note=payload.note,
        revision=revision,
    )
    return Status(201, _detail(me, plan))


@router.get(
    "/versions/{version_id}/full-text",
    response=FullTextOut,
    summary="The confidential full text (the roles the plan names; each read audited)",
)
def full_text(request, version_id: int):
    me = actor(request)
    version = queries.version(me, version_id)
    text = queries.full_text(me, version, purpose="接口：应急预案全文 / api plan full text")
    return {"version_id": version.pk, "number": version.number, "full_text": text}


@router.post("/versions/{version_id}/acknowledge", response=AckOut, summary="Acknowledge a version (EMG-1)")
def acknowledge(request, version_id: int):
    me = actor(request)
    row = actions.acknowledge(me, queries.version(me, version_id))
    return {"version_id": row.version_id, "acknowledged_at": row.acknowledged_at}


@router.post("/{plan_id}/revisions", response={201: RevisionOut}, summary="Open a revision task (EMG-1)")
def create_revision(request, plan_id: int, payload: RevisionIn):
    me = actor(request)
    task = actions.create_revision(
        me,
        queries.plan(me, plan_id),
        description=payload.description,
        owner=queries.employee_named(payload.owner_id, "owner_id"),
        due_on=payload.due_on,
        reason=payload.reason,
    )
    return Status(201, task)
