"""WF-2 with real parallel worker processes: every due timer fires, and none fires twice in effect."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from kefu.core import clock
from kefu.core.decisions import Decision
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow import actions
from kefu.engine.workflow.models import Timer, TimerState
from kefu.org.access import actor_for

WORKERS = 3
TICKETS = 60

WORKER_SCRIPT = """
import os, sys, time
import django
django.setup()
from kefu.core.worker import Worker
flag, ready = sys.argv[1], sys.argv[2]
open(ready, "w").close()
while not os.path.exists(flag):   # start together, to collide as much as possible
    time.sleep(0.01)
worker = Worker(interval=0)
for _ in range(3):
    worker.tick()
    for sweep in __import__("kefu.core.worker", fromlist=["SWEEPS"]).SWEEPS.values():
        sweep.last_run = None       # sweep again at once, not after the usual pause
"""


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return (
        f"postgresql://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


@pytest.mark.django_db(transaction=True)
def test_parallel_worker_processes_fire_each_timer_exactly_once(demo, new_ticket, tmp_path):  # WF-2
    clock.freeze(clock.now() - timedelta(hours=1))  # started an hour ago: the 30-minute notices are due now
    zhaomin = actor_for(demo["zhaomin"].user, origin="test")
    for n in range(TICKETS):
        actions.transition(zhaomin, new_ticket(), "submit", data={"title": f"工单 {n}"})
    clock.reset()
    assert Timer.objects.filter(name="notice", state=TimerState.RUNNING).count() == TICKETS

    flag = tmp_path / "go"
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    ready = [tmp_path / f"ready-{n}" for n in range(WORKERS)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER_SCRIPT, str(flag), str(r)], env=env, stderr=subprocess.PIPE
        )
        for r in ready
    ]
    deadline = time.monotonic() + 120
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.05)  # waiting for the interpreters to start, so that they sweep at the same moment
    flag.touch()
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()[-2000:]

    assert Timer.objects.filter(name="notice", state=TimerState.BREACHED).count() == TICKETS
    assert Decision.objects.filter(outcome__contains="超时").count() == TICKETS  # one breach decision each
    breaches = Notification.objects.filter(template="timer.breach", recipient=demo["lina"].user)
    assert breaches.count() == TICKETS
    assert len(set(breaches.values_list("target_id", flat=True))) == TICKETS
