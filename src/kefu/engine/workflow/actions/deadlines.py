"""The worker's timer sweep (WF-2, WF-3): a timer's warning point and deadline.

Guarantees: a timer fires at least once (a due row stays due until a sweep commits its effect);
never twice in effect (the sweep locks the row — `skip_locked` on PostgreSQL, SQLite's single
writer otherwise — and the effect, the timer's new state, its decision record and notification rows
commit in one transaction); a timer missed while everything was stopped fires on the next sweep.
At a deadline the declared effect is a notification, an escalation (`escalations`) or a transition
(`transitions`): this module sits above them.
"""

import logging
from datetime import datetime

from django.db import transaction

from kefu.core import clock, decisions
from kefu.core.actor import Actor
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.engine.workflow import durations
from kefu.engine.workflow.actions import approvals, escalations, timers, transitions
from kefu.engine.workflow.declare import TimerSpec, lifecycle_for
from kefu.engine.workflow.models import Timer, TimerState

log = logging.getLogger("kefu.timers")
SYSTEM = Actor.system("timer")
BREACH_ACTIONS = {"escalate": "逐级升级", "notify": "通知相关人员"}  # how "为什么" says what a breach did


def spec_for(timer: Timer) -> TimerSpec | None:
    if timer.name.startswith("approval:"):
        return approvals.step_timer_spec(timer)
    model = timer.content_type.model_class()
    lifecycle = lifecycle_for(model) if model is not None else None
    return lifecycle.timer(timer.name) if lifecycle else None


def _context(timer: Timer, spec: TimerSpec, obj, entry=None) -> dict:
    return {
        "object": obj,
        "timer": spec.label_zh or spec.name,
        "due_at": timer.due_at,
        "rule": timer.rule,
        "clause": entry.clause if entry is not None else "",
    }


def _warn(timer: Timer, spec: TimerSpec, obj, now: datetime) -> None:
    if spec.notify is not None:
        entry = policy.lookup(timer.policy_key, at=timer.started_at)
        notify(spec.notify(obj), "timer.warning", _context(timer, spec, obj, entry), obj=obj)
    timer.warned_at = now
    timer.next_check_at = timer.due_at


def _calendar_of(timer: Timer, obj) -> str:
    """The calendar a clock's next checks count on: its record's own (SLA-2 — a rescue line's 24×7),
    else the one the timer was started on; empty: each entry's own (issue 13: a 24×7 case re-escalated
    on office hours sat a holiday week at level 1)."""
    lifecycle = lifecycle_for(type(obj))
    field = lifecycle.calendar_field if lifecycle is not None else None
    return (getattr(obj, field, "") if field else "") or timer.calendar


def _breach(timer: Timer, spec: TimerSpec, obj, now: datetime) -> None:
    entry = policy.lookup(timer.policy_key, at=timer.started_at)
    # a clock is breached from its first breach on, at the deadline it missed — not at the time a
    # sweep noticed, nor only once it stops escalating (issue 13); it may keep running meanwhile
    timer.breached_at = timer.breached_at or timer.due_at
    inputs = {
        "started_at": timer.started_at,
        "due_at": timer.due_at,
        "checked_at": now,
        "breached_at": timer.breached_at,
        "policy_key": timer.policy_key,
        "value": str(entry.value),
        "unit": entry.unit,
        "calendar": timer.calendar,
        "escalation_level": timer.escalation_level,
    }
    action = spec.on_breach
    decisions.record_from_entry(
        obj,
        entry,
        outcome=f"{spec.label_zh or timer.name} 超时 → {BREACH_ACTIONS.get(action, action)}",
        inputs=inputs,
    )
    if spec.notify is not None:
        notify(spec.notify(obj), "timer.breach", _context(timer, spec, obj, entry), obj=obj)
    if action == "escalate":
        escalation_chain = escalations.escalation_chain(spec.chain)
        # the record may have gone up by other means meanwhile (a trigger, by hand): go on from there
        current = escalations.current_level(obj, spec.chain)
        level = max(timer.escalation_level, current) + 1
        if level <= len(escalation_chain.levels):
            escalations.escalate(
                SYSTEM,
                obj,
                spec.chain,
                to_level=level,
                reason=f"{spec.label_zh or timer.name} 超时 / overdue",
                automatic=True,
                rule=entry.rule,
                current=current,
            )
            timer.escalation_level = level
            if spec.reescalate_key and level < len(escalation_chain.levels):
                # `due_at` stays the deadline that was missed; only the next look moves on, counted
                # on the clock's own calendar (the record's: 24×7 for a rescue line), not the office's
                again = timers.on_calendar(
                    policy.lookup(spec.reescalate_key, at=now), _calendar_of(timer, obj)
                )
                timer.next_check_at = durations.deadline(again, now)
                return
    elif action.startswith("transition:"):
        transitions.transition(SYSTEM, obj, action.split(":", 1)[1], reason=f"{timer.name} 超时 / overdue")
    timer.state, timer.next_check_at = TimerState.BREACHED, None


def _fire(timer: Timer, now: datetime) -> None:
    spec = spec_for(timer)
    model = timer.content_type.model_class()
    lifecycle = lifecycle_for(model) if model is not None else None
    related = lifecycle.related if lifecycle is not None else ()
    obj = (
        model._default_manager.select_related(*related).filter(pk=timer.object_id).first()
        if spec and model
        else None
    )
    if spec is None or obj is None:
        log.warning("timer %s has no declaration any more; cancelled", timer.pk)
        timer.state, timer.next_check_at = TimerState.CANCELLED, None
    elif now >= timer.due_at:
        _breach(timer, spec, obj, now)
    else:
        _warn(timer, spec, obj, now)
    timer.save()


def sweep(now: datetime | None = None, *, batch: int = 200) -> int:
    """Fire every timer whose next check has come. Returns how many were handled.

    Each timer fires in its own short transaction (issue 11, no long write transactions): a batch of
    200 breaches in one transaction held SQLite's only write lock — and on PostgreSQL the rows it
    escalated — for seconds. The candidates are read without locks; each is then locked with
    SKIP LOCKED and checked again, so a timer another worker holds or has fired is left alone and
    every timer fires once."""
    now = now or clock.now()
    handled = 0
    passed: set[int] = set()  # failed (retried next sweep) or held by another worker
    while True:
        due = list(
            Timer.objects.filter(state=TimerState.RUNNING, next_check_at__lte=now)
            .exclude(pk__in=passed)
            .order_by("next_check_at")
            .values_list("pk", flat=True)[:batch]
        )
        for pk in due:
            try:
                with transaction.atomic():
                    timer = (
                        Timer.objects.select_for_update(skip_locked=True, of=("self",))
                        .select_related("content_type")
                        .filter(pk=pk, state=TimerState.RUNNING, next_check_at__lte=now)
                        .first()
                    )
                    if timer is not None:
                        _fire(timer, now)
            except Exception:
                # one broken record must not stop the others; it stays due and is retried next sweep
                log.exception("timer %s failed; will retry", pk)
                passed.add(pk)
                continue
            if timer is None:
                passed.add(pk)
            else:
                handled += 1
        if len(due) < batch:
            return handled
