"""Callables for the schedule tests."""

import threading
import time

from kefu.core import clock

CALLS: list[tuple[str, str]] = []
_lock = threading.Lock()


def record(run):
    with _lock:
        CALLS.append((run.schedule, run.period_key))


def slow_record(run):
    time.sleep(0.2)  # hold the transaction open while the other workers try to insert the same period
    record(run)


def write_then_fail(run):
    from kefu.engine.schedules.models import ScheduleRun

    ScheduleRun.objects.create(
        schedule="side-effect", period_key=run.period_key, due_at=run.due_at, created_at=clock.now()
    )
    record(run)
    raise RuntimeError("boom")
