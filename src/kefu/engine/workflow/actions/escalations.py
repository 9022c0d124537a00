"""Escalation (WF-6): a record goes one level up its declared chain — level by level, skipping
levels only in an emergency (and then every skipped level is told)."""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.engine.notifications.api import notify
from kefu.engine.workflow.declare import EscalationChain, chain
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import Escalation


def escalation_chain(name: str) -> EscalationChain:
    return chain(name)


def current_level(obj, chain_name: str) -> int:
    content_type, object_id = target_of(obj)
    last = (
        Escalation.objects.filter(content_type=content_type, object_id=object_id, chain=chain_name)
        .order_by("-level")
        .first()
    )
    return last.level if last else 0


def escalate(
    actor: Actor,
    obj,
    chain_name: str,
    *,
    to_level: int | None = None,
    reason: str,
    emergency: bool = False,
    automatic: bool = False,
    rule: str = "WF-6",
    current: int | None = None,
) -> Escalation:
    """Raise `obj` one level up `chain_name`, or — in an emergency — straight to `to_level`.

    Escalation is level by level; skipping levels needs `emergency`, and every skipped level is
    told automatically afterwards ("逐级进行,遇有紧急情况可越级进行,但事后应向领导汇报").
    `current`: the record's level as the caller just read it in this transaction (not read again).
    """
    escalation_chain_ = escalation_chain(chain_name)
    with transaction.atomic():
        if current is None:
            current = current_level(obj, chain_name)
        target = to_level if to_level is not None else current + 1
        if not current < target <= len(escalation_chain_.levels):
            raise Invalid("WF-6.level", "升级目标层级无效", "Invalid escalation level", {"to_level": target})
        skipped = list(range(current + 1, target))
        if skipped and not (emergency or automatic):
            raise Invalid(
                "WF-6.level_by_level",
                "升级须逐级进行；越级仅限紧急情况（WF-6）",
                "Escalation goes level by level; skipping needs an emergency (WF-6)",
                {"to_level": target},
            )
        if not (reason or "").strip():
            raise Invalid("WF-6.reason", "请填写升级原因", "A reason is required", {"reason": "required"})
        level = escalation_chain_.level(target)
        content_type, object_id = target_of(obj)
        escalation = Escalation.objects.create(
            content_type=content_type,
            object_id=object_id,
            chain=chain_name,
            level=target,
            level_name=level.name,
            skipped=[escalation_chain_.level(i).name for i in skipped],
            reason=reason[:500],
            automatic=automatic,
            at=clock.now(),
            actor=actor.user,
        )
        context = {"object": obj, "level": level, "reason": reason, "escalation": escalation}
        notify(level.recipients(obj), "escalation.raised", context, obj=obj)
        for index in skipped:
            notify(
                escalation_chain_.level(index).recipients(obj),
                "escalation.skipped_level",
                {**context, "skipped_level": escalation_chain_.level(index)},
                obj=obj,
            )
        audit.record(
            actor,
            "workflow.escalate",
            obj,
            reason=reason,
            after={
                "chain": chain_name,
                "level": target,
                "level_name": level.name,
                "skipped": escalation.skipped,
                "emergency": emergency,
                "rule": rule,
            },
        )
    return escalation
