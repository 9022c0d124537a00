"""Durable timers (WF-2, WF-3): started, stopped, paused and resumed by transitions — the building
blocks below every action that moves a record. The worker's sweep that fires them is `deadlines`.

Guarantees: a timer fires at least once (a due row stays due until a sweep commits its effect);
never twice in effect (the sweep locks the row — `skip_locked` on PostgreSQL, SQLite's single
writer otherwise — and the effect, the timer's new state, its decision record and notification rows
commit in one transaction); a timer missed while everything was stopped fires on the next sweep.
"""

from dataclasses import replace
from datetime import datetime

from kefu.core import clock
from kefu.engine.policy import api as policy
from kefu.engine.workflow import durations
from kefu.engine.workflow.declare import TimerSpec
from kefu.engine.workflow.history import paused_intervals, target_of
from kefu.engine.workflow.models import Timer, TimerState

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


def on_calendar(entry, calendar: str):
    """The entry counted on `calendar` instead of its own (a record's calendar, SLA-2); calendar time
    has no calendar."""
    return replace(entry, calendar=calendar) if calendar and entry.calendar else entry


def start(
    obj,
    spec: TimerSpec,
    *,
    unit=None,
    at: datetime | None = None,
    calendar: str = "",
    fresh: bool = False,
    due_from: datetime | None = None,
) -> Timer:
    """Start (or restart) the timer `spec` for `obj`; the policy version in force now is kept.
    `calendar` counts business time and working days on the record's own calendar. `fresh`: `obj`
    was created in this transaction, so it has no running timer to cancel — one INSERT, nothing read.
    `due_from`: the entry's duration counts from this moment, not from the start — a time somebody
    promised (CASE-8: the expected time told to the customer, plus the pack's grace); no warning."""
    return save(planned(obj, spec, unit=unit, at=at, calendar=calendar, fresh=fresh, due_from=due_from))


def save(timer: Timer) -> Timer:
    """Start a timer `planned()` before (one INSERT)."""
    timer.save()
    return timer


def start_fresh(planned_timers: list[Timer]) -> list[Timer]:
    """Save the timers `planned()` for a record created in this transaction: one INSERT for all."""
    return Timer.objects.bulk_create(planned_timers)


def planned(
    obj,
    spec: TimerSpec,
    *,
    unit=None,
    at: datetime | None = None,
    calendar: str = "",
    fresh: bool = False,
    due_from: datetime | None = None,
) -> Timer:
    """The timer `start()` would save, planned but not saved (a running one of that name is cancelled
    unless `fresh`)."""
    now = at or clock.now()
    entry = on_calendar(policy.lookup(spec.policy_key, at=now, unit=unit), calendar)
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
    if due_from is not None:
        timer.due_at = durations.deadline(entry, due_from)
        timer.warn_at, timer.next_check_at = None, timer.due_at
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
            entry = on_calendar(policy.lookup(timer.policy_key, at=timer.started_at), timer.calendar)
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
