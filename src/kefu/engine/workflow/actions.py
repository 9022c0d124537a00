"""The engine's state changes: `transition()` for every app's records (WF-1) and escalation (WF-6).

`transition()` does everything a move needs in one transaction: lock the record, check the move,
the actor's right to make it and the required fields, write the state, the history row and the
audit event, stop/start/pause timers and open an approval chain when declared.
"""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.engine.workflow import timers
from kefu.engine.workflow.declare import EscalationChain, Lifecycle, Transition, chain, lifecycle_for
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import Escalation, StateChange
from kefu.org import access
from kefu.org.models import RoleAssignment


def _lifecycle(obj) -> Lifecycle:
    lifecycle = lifecycle_for(type(obj))
    if lifecycle is None:
        raise Invalid(
            "WF-1.no_lifecycle", "该记录类型没有声明生命周期", f"{obj._meta.label} declares no lifecycle"
        )
    return lifecycle


def _unit(obj, lifecycle: Lifecycle):
    return getattr(obj, lifecycle.unit_field, None) if lifecycle.unit_field else None


def _authorise(actor: Actor, lifecycle: Lifecycle, move: Transition, obj) -> None:
    if actor.is_system:
        return
    if move.system:
        raise PermissionDenied(
            f"「{move.label_zh}」只能由系统自动执行（{move.rule}）",
            f"“{move.label_en}” is made by the system only ({move.rule})",
            code=f"{move.rule}.system",
        )
    principal = actor.principal
    if principal.is_superuser and actor.delegation_id is None:
        return
    if move.roles:
        employee = access.employee_of(principal)
        held = (
            set(
                RoleAssignment.objects.filter(employee=employee, role__supervisory_only=False).values_list(
                    "role__code", flat=True
                )
            )
            if employee
            else set()
        )
        if not held & set(move.roles):
            raise PermissionDenied(
                f"您的角色不能执行「{move.label_zh}」（{move.rule}）",
                f"Your roles may not “{move.label_en}” ({move.rule})",
                code=f"{move.rule}.role",
            )
    if move.permission:
        owner = getattr(obj, f"{lifecycle.owner_field}_id", None) if lifecycle.owner_field else None
        if not access.record_in_scope(actor, move.permission, unit=_unit(obj, lifecycle), owner_id=owner):
            raise PermissionDenied(
                f"您无权对该记录执行「{move.label_zh}」（{move.rule}）",
                f"You may not “{move.label_en}” this record ({move.rule})",
                code=f"{move.rule}.permission",
            )


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def transition(
    actor: Actor, obj, name: str, *, reason: str = "", data: dict | None = None, fresh: bool = False
):
    """Make the declared transition `name` on `obj`; returns the refreshed record.

    `fresh`: `obj` was created in the caller's transaction and is current in memory (issue 11) — it
    is not read and locked again, and its timers, all started in that transaction, have none paused
    to resume; the transition's save writes every field, those the caller set included."""
    lifecycle = _lifecycle(obj)
    data = dict(data or {})
    with transaction.atomic(savepoint=not fresh):  # a failure undoes the fresh record's creation too
        if not fresh:
            obj = type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)
        move = lifecycle.transition(name)
        current = getattr(obj, lifecycle.field)
        if move is None:
            raise Invalid(
                f"{lifecycle.rule}.unknown_transition",
                f"没有名为「{name}」的操作（{lifecycle.rule}）",
                f"No transition named “{name}” ({lifecycle.rule})",
            )
        if current not in move.source:
            state_zh, state_en = lifecycle.states.get(current, (current, current))
            raise Conflict(
                f"{move.rule}.illegal_transition",
                f"当前状态「{state_zh}」下不能执行「{move.label_zh}」（规则 {move.rule}）",
                f"Cannot “{move.label_en}” while the record is “{state_en}” (rule {move.rule})",
                state=current,
                transition=name,
            )
        _authorise(actor, lifecycle, move, obj)
        unknown = sorted(set(data) - set(move.required) - set(move.fields))
        if unknown:
            raise Invalid(
                f"{move.rule}.unknown_fields",
                f"此操作不接受这些字段：{', '.join(unknown)}",
                f"This transition does not take: {', '.join(unknown)}",
                {k: "unknown" for k in unknown},
            )
        before = {lifecycle.field: current, **{k: getattr(obj, k) for k in data}}
        for key, value in data.items():
            setattr(obj, key, value)
        missing = [f for f in move.required if _empty(getattr(obj, f, None))]
        if missing:
            raise Invalid(
                f"{move.rule}.required",
                f"「{move.label_zh}」需要填写：{', '.join(missing)}（{move.rule}）",
                f"“{move.label_en}” requires: {', '.join(missing)} ({move.rule})",
                {f: "required" for f in missing},
            )
        refusal = move.guard(obj, data) if move.guard else None
        if refusal:
            raise Invalid(f"{move.rule}.guard", refusal[0], refusal[1])
        setattr(obj, lifecycle.field, move.target)
        obj.save(force_insert=obj._state.adding)  # a fresh record with its key reserved: one INSERT
        content_type, object_id = target_of(obj)
        StateChange.objects.create(
            content_type=content_type,
            object_id=object_id,
            transition=name,
            from_state=current,
            to_state=move.target,
            at=clock.now(),
            actor=actor.user,
            on_behalf_of=actor.on_behalf_of,
            reason=reason[:500],
        )
        audit.record(
            actor,
            f"{obj._meta.label_lower}.{name}",
            obj,
            before=before,
            after={lifecycle.field: move.target, **{k: getattr(obj, k) for k in data}},
            reason=reason,
        )
        timers.stop(obj, move.stop_timers)
        if not fresh or any(move.target in spec.pause_in_states for spec in lifecycle.timers):
            timers.on_state_change(obj, lifecycle.timers, move.target)
        calendar = getattr(obj, lifecycle.calendar_field, "") if lifecycle.calendar_field else ""
        for timer_name in move.start_timers:
            timers.start(obj, lifecycle.timer(timer_name), unit=_unit(obj, lifecycle), calendar=calendar)
        if move.approval:
            from kefu.engine.workflow.approvals import start_approval
            from kefu.engine.workflow.declare import approval_chain

            start_approval(actor, obj, move.approval, inputs=approval_chain(move.approval).inputs(obj))
    return obj


# ---------------------------------------------------------------- escalation (WF-6)


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
    from kefu.engine.notifications.api import notify

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
