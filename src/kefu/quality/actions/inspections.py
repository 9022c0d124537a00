"""Inspections (QA-1): the only code that scores, publishes and finalises them.

Only the assigned inspector scores (every item of the scorecard version the task carries, a comment
per item; a violated fatal item makes the total 0). Publishing shows the result to the agent and opens
the appeal window (quality.appeal_within from publication); a result not appealed within the window
becomes final (`finalize_due`, a worker sweep) and only then counts in `queries.inspections.scores`.
Calibration inspections are scored the same way and never published.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.quality.models import Inspection, InspectionScore, InspectionState
from kefu.quality.queries import inspections as queries
from kefu.quality.queries import scorecards as card_queries

INSPECT = "quality.inspect"


def _locked(found: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit", "agent__user", "inspector", "case")
        .get(pk=found.pk)
    )


def _as_inspector(actor: Actor, found: Inspection):
    """The caller must hold quality.inspect over the inspection's unit (else 404) and be its inspector."""
    access.require(actor, INSPECT)
    if not access.record_in_scope(actor, INSPECT, unit=found.unit, owner_id=None):
        raise NotFound("质检记录", "inspection")
    me = access.employee_of(actor.principal)
    if me is None or me.pk != found.inspector_id:
        raise PermissionDenied(
            "只有被指派的质检员可以评分", "Only the assigned inspector scores", code="quality_not_inspector"
        )
    return me


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value if value not in (None, "") else "x"))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise Invalid("quality_score_invalid", "请填写分数", "Enter a score", {field: "required"})
    return number


def score(actor: Actor, found: Inspection, *, scores: dict, comment: str = "") -> Inspection:
    """QA-1: the inspector scores every item (`scores`: item id → {"score", "violated", "comment"});
    the total is the weighted share out of 100, 0 when a fatal item is violated."""
    with transaction.atomic():
        found = _locked(found)
        _as_inspector(actor, found)
        if found.state not in (InspectionState.ASSIGNED, InspectionState.SCORED):
            raise Invalid("quality_already_published", "结果已发布，不能再改分", "The result is published")
        items = card_queries.items(found.scorecard)
        rows, given = [], []
        for item in items:
            raw = scores.get(item.pk) or scores.get(str(item.pk)) or {}
            field = f"item_{item.pk}"
            violated = bool(raw.get("violated")) if item.fatal else False
            value = Decimal(0) if item.fatal else _number(raw.get("score"), field)
            if not item.fatal and not 0 <= value <= item.max_score:
                raise Invalid(
                    "quality_score_range",
                    f"“{item.name}”的分数须在 0–{item.max_score} 之间",
                    f"{item.name}: 0–{item.max_score}",
                    {field: "out_of_range"},
                )
            note = str(raw.get("comment") or "").strip()[:2000]
            rows.append(
                InspectionScore(inspection=found, item=item, score=value, violated=violated, comment=note)
            )
            given.append((item, value, violated))
        total, fatal = card_queries.total(given)
        InspectionScore.objects.filter(inspection=found).delete()
        InspectionScore.objects.bulk_create(rows)
        before = {"state": found.state, "total": found.total}
        found.total, found.fatal, found.comment = total, fatal, (comment or "").strip()[:4000]
        found.state, found.scored_at = InspectionState.SCORED, clock.now()
        found.save(update_fields=["total", "fatal", "comment", "state", "scored_at"])
        audit.record(
            actor,
            "quality.inspection.score",
            found,
            before=before,
            after={"total": total, "fatal": fatal, "items": {r.item_id: [r.score, r.violated] for r in rows}},
        )
    return found


def publish(actor: Actor, found: Inspection) -> Inspection:
    """QA-1: the agent sees the result and may appeal within the pack's window from now."""
    with transaction.atomic():
        found = _locked(found)
        _as_inspector(actor, found)
        if found.calibration_id is not None:
            raise Invalid(
                "quality_calibration_unpublished", "校准评分不发布", "Calibration scores are not published"
            )
        if found.state != InspectionState.SCORED:
            raise Invalid("quality_not_scored", "请先评分再发布", "Score before publishing")
        now = clock.now()
        found.state, found.published_at = InspectionState.PUBLISHED, now
        found.save(update_fields=["state", "published_at"])
        entry = policy.lookup(queries.APPEAL_WITHIN, at=now, unit=found.unit)
        until = now + entry.duration()
        decisions.record_from_entry(
            found,
            entry,
            outcome=f"质检结果已发布，{found.agent.name}可于 {clock.local(until):%Y-%m-%d %H:%M} 前申诉",
            inputs={"appeal_until": until},
            actor=actor,
        )
        audit.record(actor, "quality.inspection.publish", found, after={"total": found.total})
        if found.agent.user_id:
            notify(
                [found.agent.user],
                "quality.result_published",
                {"case": found.case.number, "total": found.total, "until": clock.local(until)},
                obj=found,
                link=reverse("quality:inspection", args=[found.pk]),
                channels=("inbox",),
            )
    return found


def finalize_due(now=None) -> int:
    """The worker's sweep: published results whose appeal window has passed become final (QA-1)."""
    now = now or clock.now()
    system = Actor.system("quality")
    done = 0
    for found in Inspection.objects.filter(state=InspectionState.PUBLISHED).select_related("unit"):
        if queries.appeal_deadline(found) > now:
            continue
        with transaction.atomic():
            locked = Inspection.objects.select_for_update(of=("self",)).get(pk=found.pk)
            if locked.state != InspectionState.PUBLISHED:
                continue
            locked.state, locked.final_at = InspectionState.FINAL, now
            locked.save(update_fields=["state", "final_at"])
            entry = policy.lookup(queries.APPEAL_WITHIN, at=found.published_at, unit=found.unit)
            decisions.record_from_entry(locked, entry, outcome="申诉期已过，质检结果生效", inputs={})
            audit.record(system, "quality.inspection.final", locked, after={"total": locked.total})
            done += 1
    return done
