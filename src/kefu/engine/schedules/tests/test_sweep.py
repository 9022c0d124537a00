"""Each period of a schedule produces its task exactly once (WF-5)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from kefu.core import clock
from kefu.core.models import AuditEvent
from kefu.core.worker import SWEEPS
from kefu.engine.schedules import Schedule, register
from kefu.engine.schedules.actions import sweep
from kefu.engine.schedules.models import ScheduleRun
from kefu.engine.schedules.tests import jobs

SH = ZoneInfo("Asia/Shanghai")
RECORD = "kefu.engine.schedules.tests.jobs.record"


def at(*args):
    return datetime(*args, tzinfo=SH)


def test_sweep_is_registered_with_the_worker():  # WF-5
    assert SWEEPS["schedules.sweep"].every == timedelta(seconds=60)


@pytest.mark.django_db
def test_daily_runs_once_per_period_and_catches_up_once():  # WF-5
    register(Schedule("daily-report", "daily", run=RECORD))
    clock.freeze(at(2026, 11, 24, 9, 0))
    assert [r.period_key for r in sweep()] == ["2026-11-24"]
    assert sweep() == [] and sweep(clock.now() + timedelta(minutes=5)) == []
    clock.advance(timedelta(days=1))
    assert [r.period_key for r in sweep()] == ["2026-11-25"]
    # the worker is down for a week: on restart the latest period runs once, the others are
    # recorded as missed ("catch up once, not N times")
    clock.advance(timedelta(days=7))
    assert [r.period_key for r in sweep()] == ["2026-12-02"]
    assert sweep() == []
    expected = [("daily-report", d) for d in ("2026-11-24", "2026-11-25", "2026-12-02")]
    assert list(jobs.CALLS) == expected
    statuses = dict(ScheduleRun.objects.filter(schedule="daily-report").values_list("period_key", "status"))
    assert statuses["2026-11-26"] == "missed" and statuses["2026-12-01"] == "missed"
    assert statuses["2026-12-02"] == "done"
    assert len(statuses) == 9
    assert AuditEvent.objects.filter(action="schedule.run").count() == 3


@pytest.mark.django_db
def test_not_due_before_its_time():  # WF-5: due at 08:30 local by default
    register(Schedule("daily-report", "daily", run=RECORD))
    clock.freeze(at(2026, 11, 24, 8, 29))
    assert [r.period_key for r in sweep()] == ["2026-11-23"]  # first sight: the latest due period
    assert sweep(at(2026, 11, 24, 8, 29, 59)) == []
    assert [r.period_key for r in sweep(at(2026, 11, 24, 8, 30))] == ["2026-11-24"]


@pytest.mark.django_db
def test_first_sight_materialises_only_the_latest_period():  # WF-5
    register(Schedule("yearly-review", "yearly:03-15", run=RECORD))
    register(Schedule("late-greeting", "before:zhongqiu:3d", run=RECORD, max_lateness=timedelta(days=3)))
    clock.freeze(at(2026, 11, 24, 9, 0))
    assert [(r.schedule, r.period_key) for r in sweep()] == [("yearly-review", "2026")]
    assert ScheduleRun.objects.count() == 1  # 2025 and earlier are not replayed; a late greeting is dropped


@pytest.mark.django_db
def test_festival_greeting_three_days_before_zhongqiu():  # WF-5 CARE-1
    register(Schedule("care.zhongqiu", "before:zhongqiu:3d", run=RECORD, max_lateness=timedelta(days=3)))
    assert sweep(at(2026, 9, 22, 8, 0)) == []
    assert [r.period_key for r in sweep(at(2026, 9, 22, 9, 0))] == ["2026-09-25"]
    assert sweep(at(2026, 9, 25, 9, 0)) == []
    assert [r.period_key for r in sweep(at(2027, 9, 12, 9, 0))] == ["2027-09-15"]  # 中秋 2027-09-15


@pytest.mark.django_db
def test_failure_is_recorded_rolled_back_and_not_retried():  # WF-5
    register(Schedule("fragile", "daily", run="kefu.engine.schedules.tests.jobs.write_then_fail"))
    clock.freeze(at(2026, 11, 24, 9, 0))
    [run] = sweep()
    run.refresh_from_db()
    assert run.status == "failed" and "boom" in run.error
    assert not ScheduleRun.objects.filter(schedule="side-effect").exists()  # its writes rolled back
    assert sweep() == []
    assert len(jobs.CALLS) == 1


@pytest.mark.django_db
def test_one_failing_schedule_does_not_stop_the_others():  # WF-5
    register(Schedule("broken-import", "daily", run="kefu.no_such_module.job"))
    register(Schedule("fine", "daily", run=RECORD))
    clock.freeze(at(2026, 11, 24, 9, 0))
    assert {r.schedule: r.status for r in sweep()} == {"broken-import": "failed", "fine": "done"}


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_create_exactly_one_run_per_period():  # WF-5 concurrency
    register(Schedule("parallel", "daily", run="kefu.engine.schedules.tests.jobs.slow_record"))
    register(Schedule("parallel-weekly", "weekly:TUE", run=RECORD))
    now = at(2026, 11, 24, 9, 0)
    barrier = threading.Barrier(6)
    errors = []

    def worker():
        try:
            barrier.wait()
            sweep(now)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(jobs.CALLS) == [("parallel", "2026-11-24"), ("parallel-weekly", "2026-W48")]
    assert ScheduleRun.objects.filter(schedule="parallel").count() == 1
    assert ScheduleRun.objects.filter(schedule="parallel-weekly").count() == 1
