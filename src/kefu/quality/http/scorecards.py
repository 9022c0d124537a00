"""Scorecards and sampling under /api/v1/quality/scorecards and /sampling (QA-1)."""

from ninja import Router, Status

from kefu.core.errors import NotFound
from kefu.core.http_support import actor
from kefu.org.models import Unit
from kefu.quality.actions import sampling as sampling_actions
from kefu.quality.actions import scorecards as actions
from kefu.quality.http.schemas import SampleOut, SamplingPlanIn, SamplingPlanOut, ScorecardIn, ScorecardOut
from kefu.quality.queries import scorecards as queries

router = Router(tags=["quality"])


def _card(card):
    card.item_rows = queries.items(card)
    return card


def _unit(unit_id: int | None):
    if unit_id is None:
        return None
    found = Unit.objects.filter(pk=unit_id, kind="subsidiary").first()
    if found is None:
        raise NotFound("公司", "subsidiary")
    return found


@router.get("/scorecards", response=list[ScorecardOut], summary="Scorecard versions I configure")
def list_scorecards(request):
    return [_card(c) for c in queries.visible(actor(request))[:100]]


@router.get("/scorecards/{scorecard_id}", response=ScorecardOut, summary="One scorecard version")
def get_scorecard(request, scorecard_id: int):
    return _card(queries.scorecard(actor(request), scorecard_id))


@router.post(
    "/scorecards",
    response={201: ScorecardOut},
    summary="Save a new version of a subsidiary's scorecard (unit_id empty: the group default)",
)
def save_scorecard(request, payload: ScorecardIn):
    card = actions.save_version(
        actor(request),
        unit=_unit(payload.unit_id),
        name=payload.name,
        items=[i.model_dump() for i in payload.items],
        note=payload.note,
    )
    return Status(201, _card(card))


@router.put("/sampling/plan", response=SamplingPlanOut, summary="Set the risk weights of a sampling plan")
def save_plan(request, payload: SamplingPlanIn):
    return actions.save_plan(
        actor(request), unit=_unit(payload.unit_id), risk_weights=dict(payload.risk_weights)
    )


@router.post("/sampling/run", response=SampleOut, summary="Draw this week's sample now (idempotent)")
def run_sampling(request):
    return {"made": sampling_actions.run_now(actor(request))}
