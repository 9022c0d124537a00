"""Durable timers (WF-2, WF-3): started and stopped by transitions, fired by the worker's sweep.

Guarantees: a timer fires at least once (a due row stays due until a sweep commits its effect);
never twice in effect (the sweep locks the row — `skip_locked` on PostgreSQL, SQLite's single
writer otherwise — and the effect, the timer's new state, its decision record and notification rows
commit in one transaction); a timer missed while everything was stopped fires on the next sweep.
"""

import logging
from dataclasses import replace
from datetime import datetime

from django.db import transaction

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.engine.policy import api as policy
from kefu.engine.workflow import durations
from kefu.engine.workflow.declare import TimerSpec, lifecycle_for
from kefu.engine.workflow.history import paused_intervals, target_of
from kefu.engine.workflow.models import Timer, TimerState

log = logging.getLogger("kefu.timers")
SYSTEM = Actor.system("timer")
LIVE = (TimerState.RUNNING, TimerState.PAUSED)


def _plan(timer: Timer, spec: TimerSpec, entry, obj, now: datetime, unit=None) -> None:
    """Compute due, warn and next check from the start, the entry and the paused history."""
    # a timer starting now has no paused history yet: nothing to read
    intervals = (
        paused_intervals(obj, spec.pause_in_states, timer.started_at, now) if timer.started_at < now else []
    )
    timer.due_at = durations.deadline(entry, timer.started_at, intervals)
    if spec.warn_before and not timer.warned_at:
        lead = policy.lookup(spec.warn_before, at=timer.started_at, unit=unit)
        point = durations.lead_point(lead, timer.due_at)
        timer.warn_at = point if timer.started_at < point < timer.due_at else None
    elif (spec.warn_at or spec.warn_at_key) and not timer.warned_at:
        share = spec.warn_at
        if spec.warn_at_key:
            share = float(policy.lookup(spec.warn_at_key, at=timer.started_at, unit=unit).value) / 100
        timer.warn_at = durations.fraction_point(entry, timer.started_at, timer.due_at, share)
    timer.next_check_at = min(t for t in (timer.warn_at if not timer.warned_at else None, timer.due_at) if t)


def _on_calendar(entry, calendar: str):
    """The entry counted on `calendar` instead of its own (a record's calendar, SLA-2); calendar time
    has no calendar."""
    return replace(entry, calendar=calendar) if calendar and entry.calendar else entry


def start(
    obj, spec: TimerSpec, *, unit=None, at: datetime | None = None, calendar: str = "", fresh: bool = False
) -> Timer:
    """Start (or restart) the timer `spec` for `obj`; the policy version in force now is kept.
    `calendar` counts business time and working days on the record's own calendar. `fresh`: `obj`
    was created in this transaction, so it has no running timer to cancel — one INSERT, nothing read."""
    return save(planned(obj, spec, unit=unit, at=at, calendar=calendar, fresh=fresh))


def save(timer: Timer) -> Timer:
    """Start a timer `planned()` before (one INSERT)."""
    timer.save()
    return timer


def start_fresh(planned_timers: list[Timer]) -> list[Timer]:
    """Save the timers `planned()` for a record created in this transaction: one INSERT for all."""
    return Timer.objects.bulk_create(planned_timers)


def planned(
    obj, spec: TimerSpec, *, unit=None, at: datetime | None = None, calendar: str = "", fresh: bool = False
) -> Timer:
    """The timer `start()` would save, planned but not saved (a running one of that name is cancelled
    unless `fresh`)."""
    now = at or clock.now()
    entry = _on_calendar(policy.lookup(spec.policy_key, at=now, unit=unit), calendar)
    content_type, object_id = target_of(obj)
    if not fresh:
        Timer.objects.filter(
            content_type=content_type, object_id=object_id, name=spec.name, state__in=LIVE
        ).update(state=TimerState.CANCELLED, stopped_at=now, next_check_at=None)
    timer = Timer(
        content_type=content_type,
        object_id=object_id,
        name=spec.name,
        policy_key=spec.policy_key,
        policy_version=entry.version,
        rule=entry.rule,
        calendar=entry.calendar or "",
        started_at=now,
        due_at=now,
    )
    _plan(timer, spec, entry, obj, now, unit)
    return timer


def stop(obj, names, *, state: str = TimerState.DONE) -> int:
    content_type, object_id = target_of(obj)
    return Timer.objects.filter(
        content_type=content_type, object_id=object_id, name__in=list(names), state__in=LIVE
    ).update(state=state, stopped_at=clock.now(), next_check_at=None)


def on_state_change(obj, specs: tuple[TimerSpec, ...], new_state: str) -> None:
    """Pause timers whose pause states include `new_state`; resume (re-plan) the others (WF-3)."""
    content_type, object_id = target_of(obj)
    now = clock.now()
    by_name = {s.name: s for s in specs if s.pause_in_states}
    if not by_name:
        return
    for timer in Timer.objects.select_for_update(of=("self",)).filter(
        content_type=content_type, object_id=object_id, name__in=list(by_name), state__in=LIVE
    ):
        spec = by_name[timer.name]
        if new_state in spec.pause_in_states and timer.state == TimerState.RUNNING:
            timer.state, timer.paused_at, timer.next_check_at = TimerState.PAUSED, now, None
        elif new_state not in spec.pause_in_states and timer.state == TimerState.PAUSED:
            entry = _on_calendar(policy.lookup(timer.policy_key, at=timer.started_at), timer.calendar)
            timer.state, timer.paused_at = TimerState.RUNNING, None
            _plan(timer, spec, entry, obj, now)
        else:
            continue
        timer.save()


def paused_total(timer: Timer, obj, spec: TimerSpec):
    entry = policy.lookup(timer.policy_key, at=timer.started_at)
    return durations.paused_length(
        entry, paused_intervals(obj, spec.pause_in_states, timer.started_at, timer.stopped_at or clock.now())
    )


# ---------------------------------------------------------------- the sweep


def spec_for(timer: Timer) -> TimerSpec | None:
    if timer.name.startswith("approval:"):
        from kefu.engine.workflow.approvals import step_timer_spec

        return step_timer_spec(timer)
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
    from kefu.engine.notifications.api import notify

    if spec.notify is not None:
        entry = policy.lookup(timer.policy_key, at=timer.started_at)
        notify(spec.notify(obj), "timer.warning", _context(timer, spec, obj, entry), obj=obj)
    timer.warned_at = now
    timer.next_check_at = timer.due_at


def _breach(timer: Timer, spec: TimerSpec, obj, now: datetime) -> None:
    from kefu.core import decisions
    from kefu.engine.notifications.api import notify
    from kefu.engine.workflow import actions

    entry = policy.lookup(timer.policy_key, at=timer.started_at)
    inputs = {
        "started_at": timer.started_at,
        "due_at": timer.due_at,
        "checked_at": now,
        "policy_key": timer.policy_key,
        "value": str(entry.value),
        "unit": entry.unit,
        "calendar": timer.calendar,
        "escalation_level": timer.escalation_level,
    }
    action = spec.on_breach
    decisions.record_from_entry(obj, entry, outcome=f"timer {timer.name} breached → {action}", inputs=inputs)
    if spec.notify is not None:
        notify(spec.notify(obj), "timer.breach", _context(timer, spec, obj, entry), obj=obj)
    if action == "escalate":
        escalation_chain = actions.escalation_chain(spec.chain)
        # the record may have gone up by other means meanwhile (a trigger, by hand): go on from there
        current = actions.current_level(obj, spec.chain)
        level = max(timer.escalation_level, current) + 1
        if level <= len(escalation_chain.levels):
            actions.escalate(
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
                # `due_at` stays the deadline that was missed; only the next look moves on
                again = policy.lookup(spec.reescalate_key, at=now)
                timer.next_check_at = durations.deadline(again, now)
                return
    elif action.startswith("transition:"):
        actions.transition(SYSTEM, obj, action.split(":", 1)[1], reason=f"{timer.name} 超时 / overdue")
    timer.state, timer.breached_at, timer.next_check_at = TimerState.BREACHED, now, None


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
