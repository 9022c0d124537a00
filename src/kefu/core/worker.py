"""The background worker: runs queued django-tasks and the periodic sweeps of every app.

Apps register sweeps (`register_sweep`); the engine's timer and schedule sweeps join them later.
Several workers may run against one PostgreSQL: tasks are claimed with row locks by
django-tasks-db, and sweeps must be idempotent in effect.
"""

import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner

from kefu.core import actions, checkpoints, clock, memo

log = logging.getLogger("kefu.worker")


@dataclass
class Sweep:
    name: str
    every: timedelta
    run: Callable[[], object]
    last_run: object = None


SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str, every: timedelta):
    """Decorator: run `fn()` from every worker at most once per `every` (per worker process)."""

    def wrap(fn):
        SWEEPS[name] = Sweep(name, every, fn)
        return fn

    return wrap


class Worker:
    def __init__(self, *, interval: float = 1.0, worker_id: str | None = None):
        self.interval = interval
        self.worker_id = worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.started_at = clock.now()
        self.stop_event = threading.Event()

    def stop(self, *_):
        log.info("worker %s stopping", self.worker_id)
        self.stop_event.set()

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGINT, self.stop)
        signal.signal(signal.SIGTERM, self.stop)

    def tick(self) -> int:
        """One round: heartbeat, queued tasks, due sweeps. Returns how many tasks ran."""
        close_old_connections()
        actions.record_heartbeat(self.worker_id, started_at=self.started_at)
        runner = TaskRunner(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=self.worker_id[:64],
            excluded_queue_names=[],
        )
        runner.run()
        now = clock.now()
        for sweep in SWEEPS.values():
            if sweep.last_run is None or now - sweep.last_run >= sweep.every:
                try:
                    with memo.scope():  # one sweep reads the policy versions, calendars … once
                        sweep.run()
                except Exception:
                    log.exception("sweep %s failed; it will be retried next round", sweep.name)
                sweep.last_run = now
        close_old_connections()
        return runner._run_tasks

    def run(self) -> None:
        log.info("worker %s started (sweeps: %s)", self.worker_id, ", ".join(SWEEPS) or "none")
        while not self.stop_event.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("worker round failed; retrying")
            self.stop_event.wait(self.interval)
        log.info("worker %s stopped", self.worker_id)


register_sweep("sessions.clear_expired", timedelta(hours=1))(actions.clear_expired_sessions)
# SEC-6: a signed checkpoint of the audit chain into the data-dir file and the log, from every worker
register_sweep("audit.checkpoint", timedelta(minutes=settings.KEFU_AUDIT_CHECKPOINT_MINUTES))(
    checkpoints.publish
)
