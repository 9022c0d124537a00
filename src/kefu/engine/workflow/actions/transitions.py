"""The engine's state change: `transition()` for every app's records (WF-1).

`transition()` does everything a move needs in one transaction: lock the record, check the move,
the actor's right to make it and the required fields, write the state, the history row and the
audit event, stop/start/pause timers and open an approval chain when declared.
"""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.engine.workflow.actions import approvals, timers
from kefu.engine.workflow.declare import Lifecycle, Transition, approval_chain, lifecycle_for
from kefu.engine.workflow.history import target_of
from kefu.engine.workflow.models import StateChange
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
            names = [lifecycle.labels.get(f, (f, f)) for f in missing]
            raise Invalid(
                f"{move.rule}.required",
                f"「{move.label_zh}」需要填写：{'、'.join(zh for zh, _ in names)}（{move.rule}）",
                f"“{move.label_en}” requires: {', '.join(en for _, en in names)} ({move.rule})",
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
            approvals.start_approval(
                actor, obj, move.approval, inputs=approval_chain(move.approval).inputs(obj)
            )
    return obj
