"""Appraisal under /api/v1/quality/appraisals (APR-1, DIS-1): schemes, rounds (open, score, publish),
my results and coaching plans."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.errors import NotFound
from kefu.core.http_support import StrictSchema, actor
from kefu.org.models import Unit
from kefu.quality.actions import appraisals as actions
from kefu.quality.models import CoachingPlan
from kefu.quality.queries import appraisals as queries

router = Router(tags=["quality"])


class SchemeItemIn(StrictSchema):
    kind: Literal["kpi", "qa", "manual"]
    kpi_code: str = Field("", max_length=40, description="kind kpi: a KPI code (GET /insights/kpis)")
    name: str = Field("", max_length=100)
    weight: int = Field(ge=1, le=100, description="the weights of a scheme total 100")
    description: str = Field("", max_length=1000)


class SchemeIn(StrictSchema):
    unit_id: int | None = Field(None, description="the subsidiary; empty: the group default")
    period_kind: Literal["month", "quarter"]
    name: str = Field(min_length=1, max_length=100)
    items: list[SchemeItemIn] = Field(min_length=1, max_length=20)
    note: str = Field("", max_length=300)


class SchemeItemOut(Schema):
    id: int
    kind: str
    kpi_code: str
    name: str
    weight: int
    description: str


class SchemeOut(Schema):
    id: int
    unit_id: int | None
    period_kind: str
    name: str
    version: int
    active: bool
    system_default: bool
    items: list[SchemeItemOut] = Field(validation_alias="item_rows")


class RoundIn(StrictSchema):
    unit_id: int
    period_kind: Literal["month", "quarter"] = "month"
    day: date | None = Field(None, description="a day of the period; empty: the last finished period")


class AppraisalScoreOut(Schema):
    item_id: int
    kind: str
    name: str
    weight: int
    value: Decimal | None
    target: Decimal | None
    points: Decimal | None
    excluded: bool
    rule: str
    clause: str
    note: str


class ResultOut(Schema):
    id: int
    round_id: int
    employee_id: int
    employee_name: str
    total: Decimal | None
    rank: int | None
    tied: bool
    outstanding: bool
    below: bool
    scores: list[AppraisalScoreOut] = Field(validation_alias="score_rows")


class RoundOut(Schema):
    id: int
    unit_id: int
    unit_name: str
    scheme_id: int
    period_kind: str
    period_start: date
    period_end: date
    state: str
    published_at: datetime | None
    threshold: Decimal | None
    outstanding_count: int | None


class RoundDetailOut(RoundOut):
    results: list[ResultOut] = Field(validation_alias="result_rows")


class ManualScoreIn(StrictSchema):
    result_id: int
    item_id: int
    points: Decimal = Field(ge=0, le=100)
    note: str = Field("", max_length=300)


class NoteIn(StrictSchema):
    text: str = Field(min_length=1, max_length=2000)


class CoachingPlanOut(Schema):
    id: int
    employee_id: int
    coach_id: int | None
    goal: str
    threshold: Decimal
    state: str
    opened_round_id: int
    rounds_missed: int
    closed_round_id: int | None
    penalty_proposed: bool


class NoteOut(Schema):
    id: int
    plan_id: int
    text: str
    at: datetime


def _scheme(scheme):
    scheme.item_rows = list(scheme.items.all())
    return scheme


def _score(row):
    return {
        "item_id": row.item_id,
        "kind": row.item.kind,
        "name": row.item.name,
        "weight": row.item.weight,
        "value": row.value,
        "target": row.target,
        "points": row.points,
        "excluded": row.excluded,
        "rule": row.rule,
        "clause": row.clause,
        "note": row.note,
    }


def _result(result):
    result.employee_name = result.employee.name
    result.score_rows = [_score(s) for s in result.scores.all()]
    return result


def _round(round_, *, detail=False):
    round_.unit_name = round_.unit.name
    if detail:
        round_.result_rows = [_result(r) for r in queries.results(round_)]
    return round_


def _unit(unit_id: int | None, *, subsidiary=False):
    if unit_id is None:
        return None
    found = Unit.objects.filter(pk=unit_id, **({"kind": "subsidiary"} if subsidiary else {})).first()
    if found is None:
        raise NotFound("单位", "unit")
    return found


@router.get("/schemes", response=list[SchemeOut], summary="Appraisal scheme versions I manage")
def list_schemes(request):
    return [_scheme(s) for s in queries.schemes(actor(request))[:100]]


@router.post("/schemes", response={201: SchemeOut}, summary="Save a new version of an appraisal scheme")
def save_scheme(request, payload: SchemeIn):
    scheme = actions.save_scheme(
        actor(request),
        unit=_unit(payload.unit_id, subsidiary=True),
        period_kind=payload.period_kind,
        name=payload.name,
        items=[i.model_dump() for i in payload.items],
        note=payload.note,
    )
    return Status(201, _scheme(scheme))


@router.get("/rounds", response=list[RoundOut], summary="Appraisal rounds of the units I see")
def list_rounds(request):
    return [_round(r) for r in queries.rounds(actor(request)).order_by("-period_start", "-pk")[:200]]


@router.post("/rounds", response={201: RoundDetailOut}, summary="Open the appraisal round of a unit")
def open_round(request, payload: RoundIn):
    unit = _unit(payload.unit_id)
    made = actions.open_round(actor(request), unit=unit, period_kind=payload.period_kind, day=payload.day)
    return Status(201, _round(made, detail=True))


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="One round with its score sheet")
def get_round(request, round_id: int):
    return _round(queries.round_(actor(request), round_id), detail=True)


@router.post("/rounds/{round_id}/scores", response=ResultOut, summary="Score a manual item of one member")
def score(request, round_id: int, payload: ManualScoreIn):
    me = actor(request)
    found = queries.round_(me, round_id)
    result = actions.score(
        me,
        found,
        result_id=payload.result_id,
        item_id=payload.item_id,
        points=payload.points,
        note=payload.note,
    )
    return _result(result)


@router.post("/rounds/{round_id}/publish", response=RoundDetailOut, summary="Publish a round (once)")
def publish(request, round_id: int):
    me = actor(request)
    return _round(actions.publish(me, queries.round_(me, round_id)), detail=True)


@router.get("/mine", response=list[ResultOut], summary="My published appraisal results")
def mine(request):
    return [_result(r) for r in queries.my_results(actor(request))[:100]]


@router.get("/coaching", response=list[CoachingPlanOut], summary="Coaching plans I see")
def list_plans(request, state: Literal["", "open", "met"] = ""):
    return list(queries.plans(actor(request), state=state)[:200])


@router.post("/coaching/{plan_id}/notes", response={201: NoteOut}, summary="Record a coaching action or note")
def add_note(request, plan_id: int, payload: NoteIn):
    made = actions.note(actor(request), CoachingPlan(pk=plan_id), text=payload.text)
    return Status(201, made)
