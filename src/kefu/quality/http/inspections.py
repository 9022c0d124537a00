"""Inspections under /api/v1/quality/inspections (QA-1): my tasks, the appeals I may rule, my results;
one inspection; score, publish, appeal, rule."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.quality.actions import appeals as appeal_actions
from kefu.quality.actions import inspections as actions
from kefu.quality.http.schemas import (
    AppealIn,
    AppealOut,
    InspectionDetailOut,
    InspectionFilters,
    InspectionOut,
    RuleIn,
    ScoreIn,
)
from kefu.quality.queries import inspections as queries

router = Router(tags=["quality"])


def _detail(found):
    found.score_rows = [
        {
            "item_id": r["item"].pk,
            "score": r["score"].score,
            "violated": r["score"].violated,
            "comment": r["score"].comment,
        }
        for r in queries.item_scores(found)
        if r["score"] is not None
    ]
    found.appeal_row = getattr(found, "appeal", None)
    found.appeal_until = queries.appeal_deadline(found)
    found.recording_rows = [
        {"attachment_id": f.pk, "name": f.name, "content_type": f.content_type, "playable": f.playable}
        for f in queries.attachments(found)
        if f.audio
    ]
    return found


@router.get("", response=list[InspectionOut], summary="My inspection tasks, appeals to rule, or my results")
@paginate(Pagination)
def list_inspections(request, filters: Query[InspectionFilters]):
    me = actor(request)
    if filters.view == "appeals":
        return queries.appeals_to_rule(me)
    if filters.view == "mine":
        return queries.my_results(me)
    return queries.my_tasks(me, state=filters.state)


@router.get("/{inspection_id}", response=InspectionDetailOut, summary="One inspection with its scores")
def get_inspection(request, inspection_id: int):
    return _detail(queries.inspection(actor(request), inspection_id))


@router.post("/{inspection_id}/score", response=InspectionDetailOut, summary="Score every item (QA-1)")
def score(request, inspection_id: int, payload: ScoreIn):
    me = actor(request)
    found = queries.inspection(me, inspection_id)
    scores = {
        s.item_id: {"score": s.score, "violated": s.violated, "comment": s.comment} for s in payload.scores
    }
    actions.score(me, found, scores=scores, comment=payload.comment)
    return _detail(queries.inspection(me, inspection_id))


@router.post("/{inspection_id}/publish", response=InspectionDetailOut, summary="Publish to the agent (QA-1)")
def publish(request, inspection_id: int):
    me = actor(request)
    actions.publish(me, queries.inspection(me, inspection_id))
    return _detail(queries.inspection(me, inspection_id))


@router.post("/{inspection_id}/appeal", response={201: AppealOut}, summary="Appeal my result (申诉, QA-1)")
def appeal(request, inspection_id: int, payload: AppealIn):
    me = actor(request)
    return Status(201, appeal_actions.file(me, queries.inspection(me, inspection_id), reason=payload.reason))


@router.post(
    "/{inspection_id}/rule", response=AppealOut, summary="Rule on an appeal (second inspector, QA-1)"
)
def rule(request, inspection_id: int, payload: RuleIn):
    me = actor(request)
    found = queries.inspection(me, inspection_id)
    return appeal_actions.rule(me, found, outcome=payload.outcome, ruling=payload.ruling, total=payload.total)
