"""Appeals (申诉, QA-1): the agent appeals a published result within quality.appeal_within from its
publication; a second inspector — holding quality.inspect over the case, and neither the first
inspector nor the agent — upholds or adjusts the score with a reason. The ruling is final."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.org import access
from kefu.quality.models import Appeal, AppealOutcome, Inspection, InspectionState
from kefu.quality.queries import inspections as queries

INSPECT = "quality.inspect"


def _locked(found: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update(of=("self",))
        .select_related("unit", "agent__user", "inspector__user", "case")
        .get(pk=found.pk)
    )


def file(actor: Actor, found: Inspection, *, reason: str) -> Appeal:
    """QA-1: the agent appeals their own published result, inside the window."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("quality_appeal_reason", "请填写申诉理由", "Give the reason", {"reason": "required"})
    me = access.employee_of(actor.principal)
    with transaction.atomic():
        found = _locked(found)
        if me is None or me.pk != found.agent_id:
            raise PermissionDenied(
                "只有被质检的客服本人可以申诉", "Only the agent appeals", code="quality_appeal_forbidden"
            )
        if found.state != InspectionState.PUBLISHED:
            raise Invalid(
                "quality_appeal_state", "该结果不能申诉（未发布或已生效）", "This result cannot be appealed"
            )
        until = queries.appeal_deadline(found)
        now = clock.now()
        if now > until:
            raise Invalid(
                "quality_appeal_late",
                f"申诉期已于 {clock.local(until):%Y-%m-%d %H:%M} 结束（QA-1）",
                "The appeal window has closed (QA-1)",
                {"reason": "late"},
            )
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(inspection=found, reason=reason[:4000], filed_at=now)
        except IntegrityError:
            raise Invalid("quality_appeal_twice", "已申诉过", "Already appealed") from None
        found.state = InspectionState.APPEALED
        found.save(update_fields=["state"])
        audit.record(actor, "quality.appeal.file", found, after={"reason": appeal.reason})
        if found.inspector.user_id:
            notify(
                [found.inspector.user],
                "quality.appeal_filed",
                {"agent": found.agent.name, "case": found.case.number},
                obj=found,
                link=reverse("quality:inspection", args=[found.pk]),
                channels=("inbox",),
            )
    return appeal


def rule(actor: Actor, found: Inspection, *, outcome: str, ruling: str, total=None) -> Appeal:
    """QA-1: a second inspector rules: upheld (score stays) or adjusted (new total 0–100), with a reason."""
    access.require(actor, INSPECT)
    ruling = (ruling or "").strip()
    if outcome not in AppealOutcome.values:
        raise Invalid(
            "quality_ruling_outcome", "请选择维持或调整", "Uphold or adjust", {"outcome": "required"}
        )
    if not ruling:
        raise Invalid("quality_ruling_reason", "请填写裁定理由", "Give the reason", {"ruling": "required"})
    new_total = None
    if outcome == AppealOutcome.ADJUSTED:
        try:
            new_total = Decimal(str(total)).quantize(Decimal("0.1"))
        except (InvalidOperation, TypeError, ValueError):
            new_total = None
        if new_total is None or not Decimal(0) <= new_total <= Decimal(100):
            raise Invalid(
                "quality_ruling_total",
                "调整后的总分须在 0–100 之间",
                "The new total is 0–100",
                {"total": "invalid"},
            )
    me = access.employee_of(actor.principal)
    with transaction.atomic():
        found = _locked(found)
        if not access.record_in_scope(actor, INSPECT, unit=found.unit, owner_id=None):
            raise NotFound("质检记录", "inspection")
        if me is None or me.pk in (found.inspector_id, found.agent_id):
            raise PermissionDenied(
                "申诉须由原质检员以外的第二名质检员裁定（QA-1）",
                "A second inspector, not the first, rules on the appeal (QA-1)",
                code="quality_second_inspector",
            )
        if found.state != InspectionState.APPEALED:
            raise Invalid("quality_ruling_state", "该质检没有待裁定的申诉", "No appeal to rule on")
        appeal = Appeal.objects.select_for_update(of=("self",)).get(inspection=found)
        now = clock.now()
        appeal.ruler, appeal.outcome, appeal.ruling, appeal.ruled_at = me, outcome, ruling[:4000], now
        appeal.original_total = found.total
        appeal.save(update_fields=["ruler", "outcome", "ruling", "ruled_at", "original_total"])
        if new_total is not None:
            found.total = new_total
        found.state, found.final_at = InspectionState.RULED, now
        found.save(update_fields=["total", "state", "final_at"])
        audit.record(
            actor,
            "quality.appeal.rule",
            found,
            before={"total": appeal.original_total},
            after={"outcome": outcome, "total": found.total, "ruling": appeal.ruling},
        )
        if found.agent.user_id:
            notify(
                [found.agent.user],
                "quality.appeal_ruled",
                {"case": found.case.number, "total": found.total},
                obj=found,
                link=reverse("quality:inspection", args=[found.pk]),
                channels=("inbox",),
            )
    return appeal
