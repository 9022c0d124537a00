"""Emergency drills under /api/v1/emergency/drills (DRL-1): the drills of my scope, the plans still due a
drill this year, scheduling, rescheduling, cancelling, recording a drill held (participants, step timings),
its evaluation, corrective actions and their closing, and the annual execution summary."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.emergency.actions import drills as actions
from kefu.emergency.queries import drills as queries
from kefu.emergency.queries import plans as plan_queries

router = Router(tags=["emergency"])


class EmergencyDrillOut(Schema):
    id: int
    plan_id: int
    plan_title: str = Field(validation_alias="plan.title")
    version_number: int = Field(validation_alias="version.number")
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    scheduled_for: datetime
    scenario: str
    place: str
    organiser_id: int
    organiser_name: str = Field(validation_alias="organiser.name")
    status: str  # scheduled / held (待评估) / evaluated / cancelled
    cancel_reason: str
    held_at: datetime | None
    summary: str
    score: int | None
    grade: str
    evaluation: str
    evaluated_at: datetime | None


class DrillParticipantOut(Schema):
    employee_id: int
    name: str = Field(validation_alias="employee.name")
    attended: bool


class DrillStepOut(Schema):
    position: int
    text: str
    slot: str
    time_limit_minutes: int | None
    started_at: datetime | None
    finished_at: datetime | None
    duration_minutes: int | None
    result: str
    note: str


class DrillActionOut(Schema):
    id: int
    drill_id: int
    text: str
    owner_id: int
    owner_name: str = Field(validation_alias="owner.name")
    due_on: date
    revision_id: int | None
    closed_at: datetime | None
    closing_note: str


class EmergencyDrillDetailOut(EmergencyDrillOut):
    participants: list[DrillParticipantOut] = Field(validation_alias="participant_rows")
    steps: list[DrillStepOut] = Field(validation_alias="step_rows")
    actions: list[DrillActionOut] = Field(validation_alias="action_rows")


class DrillDuePlanOut(Schema):
    plan_id: int = Field(validation_alias="pk")
    title: str
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    required: int
    counted: int  # held or scheduled this year
    held: int
    missing: int


class DrillIn(StrictSchema):
    plan_id: int
    scheduled_for: datetime
    scenario: str = Field(max_length=300)
    place: str = Field(max_length=200)
    organiser_id: int


class DrillRescheduleIn(StrictSchema):
    scheduled_for: datetime
    place: str = Field("", max_length=200)


class DrillCancelIn(StrictSchema):
    reason: str = Field(max_length=300)


class DrillParticipantIn(StrictSchema):
    employee_id: int
    attended: bool = True


class DrillStepIn(StrictSchema):
    position: int = Field(ge=1, le=1000)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_minutes: int | None = Field(None, ge=0, le=24 * 60)
    result: str = Field("", max_length=10, description="ok / problem")
    note: str = Field("", max_length=500)


class DrillHeldIn(StrictSchema):
    held_at: datetime
    summary: str = Field(max_length=4000)
    participants: list[DrillParticipantIn] = Field(max_length=500)
    steps: list[DrillStepIn] = Field(default_factory=list, max_length=200)


class DrillEvaluationIn(StrictSchema):
    score: int = Field(ge=0, le=100)
    grade: str = Field(max_length=12, description="excellent / good / pass / fail")
    evaluation: str = Field(max_length=4000)


class DrillActionIn(StrictSchema):
    text: str = Field(max_length=500)
    owner_id: int
    due_on: date
    revise_plan: bool = False


class DrillActionCloseIn(StrictSchema):
    note: str = Field("", max_length=500)


class DrillSummaryPlanOut(Schema):
    plan_id: int = Field(validation_alias="pk")
    title: str
    unit_name: str = Field(validation_alias="unit.name")
    required: int
    held: int
    evaluated: int
    average: float | None


class DrillSummarySectionOut(Schema):
    title: str
    headers: list[str]
    rows: list[list]


class DrillSummaryOut(Schema):
    unit_id: int
    year: int
    plans: list[DrillSummaryPlanOut]
    due: int
    scheduled: int
    held: int
    evaluated: int
    average: float | None
    short: int
    actions_open: int
    actions_overdue: int
    actions_closed: int
    sections: list[DrillSummarySectionOut]


def _detail(me, pk: int):
    found = queries.drill(me, pk)
    more = queries.detail(found)
    found.participant_rows, found.step_rows, found.action_rows = (
        more["participants"],
        more["steps"],
        more["actions"],
    )
    return found


@router.get("", response=list[EmergencyDrillOut], summary="The drills of my scope, latest first (DRL-1)")
@paginate(Pagination)
def list_drills(request, status: str = ""):
    rows = queries.drills(actor(request))
    return rows.filter(status=status) if status else rows


@router.get("/due", response=list[DrillDuePlanOut], summary="Plans short of drills this year (DRL-1)")
def due(request):
    return queries.due_plans(actor(request))


@router.get("/summary", response=DrillSummaryOut, summary="The annual execution summary of a unit (DRL-1)")
def summary(request, unit_id: int | None = None, year: int | None = None):
    me = actor(request)
    found = queries.summary(queries.summary_unit(me, unit_id), queries.year_named(year))
    return {
        **{k: getattr(found, k) for k in DrillSummaryOut.model_fields if k not in ("unit_id", "sections")},
        "unit_id": found.unit.pk,
        "sections": [{"title": t, "headers": h, "rows": r} for t, h, r in found.sections],
    }


@router.post("", response={201: EmergencyDrillDetailOut}, summary="Schedule a drill of a plan (DRL-1)")
def create_drill(request, payload: DrillIn):
    me = actor(request)
    plan = plan_queries.plan(me, payload.plan_id)
    made = actions.schedule(
        me,
        plan,
        scheduled_for=payload.scheduled_for,
        scenario=payload.scenario,
        place=payload.place,
        organiser=plan_queries.employee_named(payload.organiser_id, "organiser_id"),
    )
    return Status(201, _detail(me, made.pk))


@router.get(
    "/{int:drill_id}",
    response=EmergencyDrillDetailOut,
    summary="One drill with its steps and actions (DRL-1)",
)
def get_drill(request, drill_id: int):
    return _detail(actor(request), drill_id)


@router.post(
    "/{int:drill_id}/reschedule", response=EmergencyDrillDetailOut, summary="Move a scheduled drill (DRL-1)"
)
def reschedule(request, drill_id: int, payload: DrillRescheduleIn):
    me = actor(request)
    actions.reschedule(
        me, queries.drill(me, drill_id), scheduled_for=payload.scheduled_for, place=payload.place
    )
    return _detail(me, drill_id)


@router.post(
    "/{int:drill_id}/cancel", response=EmergencyDrillDetailOut, summary="Cancel a scheduled drill (DRL-1)"
)
def cancel(request, drill_id: int, payload: DrillCancelIn):
    me = actor(request)
    actions.cancel(me, queries.drill(me, drill_id), reason=payload.reason)
    return _detail(me, drill_id)


@router.post(
    "/{int:drill_id}/held", response=EmergencyDrillDetailOut, summary="Record the drill held (DRL-1)"
)
def held(request, drill_id: int, payload: DrillHeldIn):
    me = actor(request)
    found = queries.drill(me, drill_id)
    actions.record_held(
        me,
        found,
        held_at=payload.held_at,
        summary=payload.summary,
        participants=[
            (plan_queries.employee_named(p.employee_id, "participants"), p.attended)
            for p in payload.participants
        ],
        steps=[actions.StepTiming(**s.model_dump()) for s in payload.steps],
    )
    return _detail(me, drill_id)


@router.post(
    "/{int:drill_id}/evaluation", response=EmergencyDrillDetailOut, summary="Evaluate a held drill (DRL-1)"
)
def evaluation(request, drill_id: int, payload: DrillEvaluationIn):
    me = actor(request)
    actions.evaluate(
        me,
        queries.drill(me, drill_id),
        score=payload.score,
        grade=payload.grade,
        evaluation=payload.evaluation,
    )
    return _detail(me, drill_id)


@router.post(
    "/{int:drill_id}/actions",
    response={201: DrillActionOut},
    summary="A corrective action of a drill (DRL-1)",
)
def add_action(request, drill_id: int, payload: DrillActionIn):
    me = actor(request)
    row = actions.add_action(
        me,
        queries.drill(me, drill_id),
        text=payload.text,
        owner=plan_queries.employee_named(payload.owner_id, "owner_id"),
        due_on=payload.due_on,
        revise_plan=payload.revise_plan,
    )
    return Status(201, row)


@router.post(
    "/actions/{int:action_id}/close", response=DrillActionOut, summary="Close a corrective action (DRL-1)"
)
def close_action(request, action_id: int, payload: DrillActionCloseIn):
    me = actor(request)
    return actions.close_action(me, queries.action(me, action_id), note=payload.note)
