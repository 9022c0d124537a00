"""The `kefu` command, the worker and /healthz."""

import time
from datetime import timedelta

import pytest
from django_tasks import task

from kefu import cli
from kefu.core import clock
from kefu.core.actions import authenticate_token
from kefu.core.worker import Worker

pytestmark = pytest.mark.django_db

RESULTS = []


@task()
def remember(value):
    RESULTS.append(value)
    return value


def test_token_create_prints_a_working_token(demo, capsys):  # SEC-6 / ORG-6
    assert cli.main(["token", "create", "zhaomin", "--name", "脚本"]) == 0
    token = capsys.readouterr().out.strip()
    assert authenticate_token(token).username == "zhaomin"
    assert cli.main(["token", "create", "nobody"]) == 1


def test_demo_load_is_idempotent(demo, capsys):
    assert cli.main(["demo", "load"]) == 0
    assert "already present" in capsys.readouterr().out


def test_demo_reset_needs_confirmation(demo, capsys):
    assert cli.main(["demo", "reset"]) == 2


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections between rounds
def test_worker_runs_queued_tasks_and_reports_in_healthz(client):
    assert client.get("/healthz").json()["worker"]["status"] == "never_seen"
    remember.enqueue("你好")
    assert Worker(interval=0).tick() == 1
    assert RESULTS[-1] == "你好"
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"]["status"] == "ok" and body["worker"]["status"] == "ok"
    assert body["version"]
    clock.advance(timedelta(minutes=10))
    assert client.get("/healthz").json()["worker"]["status"] == "stale"


def test_session_sweep_judges_expiry_on_djangos_clock(client, django_user_model):
    """A test harness moving kefu's clock a week on must not delete a session signed in a second ago
    (the browser tests' "sign in after a week" landed on the login page); a really expired one goes."""
    from django.contrib.sessions.models import Session

    from kefu.core.actions import clear_expired_sessions

    user = django_user_model.objects.create_user("sweeper", password="pw-not-used-anywhere-else")
    client.force_login(user)
    clock.advance(timedelta(days=7))
    try:
        clear_expired_sessions()
        assert Session.objects.count() == 1
        Session.objects.update(expire_date=Session.objects.get().expire_date - timedelta(days=1))
        clear_expired_sessions()
        assert Session.objects.count() == 0
    finally:
        clock.reset()


def test_issue13_worker_sweeps_keep_their_pace_when_the_clock_steps_back(monkeypatch):
    """Sweeps run on a monotonic interval: after the wall clock steps back an hour (a backwards NTP
    step, the browser tests resetting their clock shift) a 2-second sweep still runs every 2 seconds."""
    from kefu.core import worker as worker_module

    runs = []
    sweep = worker_module.Sweep("test.pace", timedelta(seconds=2), lambda: runs.append(clock.now()))
    monkeypatch.setattr(worker_module, "SWEEPS", {"test.pace": sweep})
    seconds = {"now": 1000.0}  # the process's monotonic clock, moved by hand
    monkeypatch.setattr(time, "monotonic", lambda: seconds["now"])
    beat = Worker(interval=0)
    beat.run_due_sweeps()  # first round: runs
    clock.advance(timedelta(hours=-1))  # the wall clock steps back
    seconds["now"] += 1
    beat.run_due_sweeps()  # 1 s later: not yet
    seconds["now"] += 1.5
    beat.run_due_sweeps()  # 2.5 s later: runs, though the wall clock is an hour behind the last run
    seconds["now"] += 2.5
    beat.run_due_sweeps()  # 2.5 s after that: runs again
    assert len(runs) == 3


@pytest.mark.django_db(transaction=True)  # the worker closes stale connections between rounds
def test_issue13_healthz_judges_heartbeats_against_now(client):
    """A heartbeat dated in the future (written before the clock stepped back) is not a sign of life
    now: /healthz says "future", not "ok"; a heartbeat written since the step back is ok again."""
    clock.advance(timedelta(hours=1))
    Worker(interval=0, worker_id="ahead").tick()
    clock.advance(timedelta(hours=-1))  # the clock steps back an hour; the worker has not beaten since
    worker = client.get("/healthz").json()["worker"]
    assert worker["status"] == "future" and "future_heartbeat" in worker and "last_seen" not in worker
    Worker(interval=0, worker_id="now").tick()
    worker = client.get("/healthz").json()["worker"]
    assert worker["status"] == "ok" and worker["last_seen"] < worker["future_heartbeat"]
    clock.advance(timedelta(minutes=10))  # now stale, though the future-dated row is still "ahead"
    assert client.get("/healthz").json()["worker"]["status"] == "stale"
