"""The schedule sweep (WF-5): materialise each due period of each registered schedule exactly once.

Rules of the sweep:

* A period is due when its due instant (its date at `Schedule.at`, local time of the calendar,
  moved to the previous working day when `working_day=True`) is ≤ now.
* First sight of a schedule (no run yet): only the latest due period is materialised — nothing
  from before the schedule existed is replayed.
* Afterwards every period due since the latest run is materialised, but only the newest one runs:
  the ones in between (a worker outage) are recorded as `missed`. After a week of downtime a daily
  schedule runs once, not seven times ("catch up once"), and the history shows the gap.
* Exactly once, across any number of workers: the row is INSERTed under a unique constraint
  (schedule, period_key) inside a savepoint; only the worker whose insert won calls the callable,
  in the same transaction. A failing callable's writes are rolled back to a savepoint, the run is
  kept as `failed` (logged, never retried: the period is taken).
"""

import logging
from datetime import UTC, date, datetime, timedelta

from django.db import IntegrityError, transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.engine.calendars.engine import WorkCalendar
from kefu.engine.policy import api as policy
from kefu.engine.schedules.models import RunStatus, ScheduleRun
from kefu.engine.schedules.registry import SCHEDULES, Schedule
from kefu.engine.schedules.rules import Rule, parse

log = logging.getLogger("kefu.schedules")

# a working-day shift moves a period earlier by at most this much (long holidays are ~9 days)
MAX_SHIFT = timedelta(days=20)


def rule_at(schedule: Schedule, at: datetime) -> Rule:
    """The schedule's rule in force at `at`: with a `policy_key`, its number is the pack's value then."""
    if not schedule.policy_key:
        return schedule.parsed
    return parse(schedule.rule.format(value=policy.lookup(schedule.policy_key, at=at).value))


def due_periods(
    schedule: Schedule, now: datetime, since: datetime | None = None
) -> list[tuple[str, datetime]]:
    """(period key, due instant UTC) of the periods due at `now` and after `since`, oldest first."""
    rule = rule_at(schedule, now)
    work = WorkCalendar(schedule.calendar)
    local_now = now.astimezone(work.tz)
    first = since.astimezone(work.tz).date() if since is not None else local_now.date() - rule.lookback
    last = local_now.date() + (MAX_SHIFT if schedule.working_day else timedelta(0))
    found = []
    for key, day in rule.periods(first, last):
        if schedule.working_day:
            if rule.kind == "daily":
                if not work.is_working_day(day):
                    continue
            else:
                day = work.previous_working_day(day)
        due = datetime.combine(day, schedule.at, work.tz).astimezone(UTC)
        if due > now or (since is not None and due <= since):
            continue
        if schedule.max_lateness is not None and now - due > schedule.max_lateness:
            continue
        found.append((key, due))
    found.sort(key=lambda item: item[1])
    return found


def period_dates(schedule: Schedule, first: date, last: date) -> list[tuple[str, datetime]]:
    """Every period (key, due instant) with a nominal date in [first, last] — for tests and previews."""
    rule = rule_at(schedule, clock.now())
    work = WorkCalendar(schedule.calendar)
    out = []
    for key, day in rule.periods(first, last):
        if schedule.working_day:
            if rule.kind == "daily" and not work.is_working_day(day):
                continue
            if rule.kind != "daily":
                day = work.previous_working_day(day)
        out.append((key, datetime.combine(day, schedule.at, work.tz).astimezone(UTC)))
    return out


def _insert(schedule: Schedule, key: str, due: datetime, now: datetime, status: str) -> ScheduleRun | None:
    """INSERT the period's row in a savepoint; None when another worker already holds it."""
    try:
        with transaction.atomic():
            return ScheduleRun.objects.create(
                schedule=schedule.name, period_key=key, due_at=due, created_at=now, status=status
            )
    except IntegrityError:
        return None


def _run(schedule: Schedule, run: ScheduleRun) -> None:
    try:
        with transaction.atomic():
            schedule.callable()(run)
    except Exception as error:
        log.exception("schedule %s period %s failed", schedule.name, run.period_key)
        run.status = RunStatus.FAILED
        run.error = f"{error.__class__.__name__}: {error}"[:2000]
    else:
        run.status = RunStatus.DONE
    run.finished_at = clock.now()
    run.save(update_fields=["status", "error", "finished_at"])
    audit.record(
        Actor.system("worker"),
        "schedule.run",
        run,
        after={"schedule": run.schedule, "period": run.period_key, "status": run.status},
    )


def sweep_one(schedule: Schedule, now: datetime) -> ScheduleRun | None:
    """Materialise what is due for one schedule; the run this worker executed, if any."""
    latest = ScheduleRun.objects.filter(schedule=schedule.name).order_by("-due_at").only("due_at").first()
    periods = due_periods(schedule, now, since=latest.due_at if latest is not None else None)
    if not periods:
        return None
    if latest is None:
        periods = periods[-1:]
    *missed, (key, due) = periods
    with transaction.atomic():
        for missed_key, missed_due in missed:
            _insert(schedule, missed_key, missed_due, now, RunStatus.MISSED)
        run = _insert(schedule, key, due, now, RunStatus.RUNNING)
        if run is not None:
            _run(schedule, run)
    return run


def sweep(now: datetime | None = None) -> list[ScheduleRun]:
    """The worker sweep (every 60 s): every registered schedule, each on its own."""
    now = now or clock.now()
    ran = []
    for schedule in list(SCHEDULES.values()):
        try:
            run = sweep_one(schedule, now)
        except Exception:
            log.exception("schedule %s could not be swept", schedule.name)
            continue
        if run is not None:
            ran.append(run)
    return ran
