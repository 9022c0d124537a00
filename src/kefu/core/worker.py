"""The background worker: runs queued django-tasks and the periodic sweeps of every app.

`kefu worker` runs the tasks in one thread and the sweeps (with the heartbeat) in another, each on its
own schedule: a long task does not delay the SLA timers (issue 11). `tick()` does one round of both in
the calling thread (tests).

Apps register sweeps (`register_sweep`); the engine's timer and schedule sweeps join them later.
Each sweep's interval is measured on the process's monotonic clock (`time.monotonic()`), not on the
business clock: when the wall clock steps back (a backwards NTP step, the browser tests resetting their
clock shift) the sweeps keep their pace instead of waiting until the clock catches up (issue 13).
Several workers may run against one PostgreSQL: tasks are claimed with row locks by
django-tasks-db, and sweeps must be idempotent in effect.
"""

import logging
import os
import signal
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django_tasks_db.management.commands.db_worker import Worker as TaskRunner

from kefu.core import actions, audit, checkpoints, clock, memo

log = logging.getLogger("kefu.worker")


@dataclass
class Sweep:
    name: str
    every: timedelta
    run: Callable[[], object]
    last_run: float | None = None  # time.monotonic() when it last ran; None: run in the next round
    again: Callable[[object], bool] | None = None  # given the result: run again next round, not after `every`


SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str, every: timedelta, *, again: Callable[[object], bool] | None = None):
    """Decorator: run `fn()` from every worker at most once per `every` (per worker process) — or in the
    very next round when `again(result)` says there is more to do."""

    def wrap(fn):
        SWEEPS[name] = Sweep(name, every, fn, again=again)
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
        """One round, in this thread: heartbeat, queued tasks, due sweeps. Returns how many tasks ran."""
        close_old_connections()
        actions.record_heartbeat(self.worker_id, started_at=self.started_at)
        ran = self.run_tasks()
        self.run_due_sweeps()
        close_old_connections()
        return ran

    def run_tasks(self) -> int:
        """Every queued task that is due; returns how many ran."""
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
        return runner._run_tasks

    def run_due_sweeps(self) -> None:
        now = time.monotonic()  # never the business clock, which may step back (issue 13)
        for sweep in SWEEPS.values():
            if sweep.last_run is None or now - sweep.last_run >= sweep.every.total_seconds():
                result = None
                try:
                    with memo.scope():  # one sweep reads the policy versions, calendars … once
                        result = sweep.run()
                except Exception:
                    log.exception("sweep %s failed; it will be retried next round", sweep.name)
                sweep.last_run = None if sweep.again is not None and sweep.again(result) else now

    def run(self) -> None:
        """Tasks in this thread, sweeps and the heartbeat in their own (issue 11): a long task — a
        50,000-row import — never holds up the SLA timers, the outboxes or the sign of life."""
        log.info("worker %s started (sweeps: %s)", self.worker_id, ", ".join(SWEEPS) or "none")
        sweeper = threading.Thread(target=self._sweep_loop, name=f"sweeps-{self.worker_id}", daemon=True)
        sweeper.start()
        while not self.stop_event.is_set():
            try:
                close_old_connections()
                self.run_tasks()
            except Exception:
                log.exception("worker round failed; retrying")
            finally:
                close_old_connections()
            self.stop_event.wait(self.interval)
        sweeper.join()
        connection.close()
        log.info("worker %s stopped", self.worker_id)

    def _sweep_loop(self) -> None:
        while not self.stop_event.is_set():
            try:
                close_old_connections()
                actions.record_heartbeat(self.worker_id, started_at=self.started_at)
                self.run_due_sweeps()
            except Exception:
                log.exception("sweep round failed; retrying")
            finally:
                close_old_connections()
            self.stop_event.wait(self.interval)
        connection.close()  # this thread's own connection


register_sweep("sessions.clear_expired", timedelta(hours=1))(actions.clear_expired_sessions)


def seal_audit() -> int:
    """SEC-6: chain the committed audit rows — one sealer at a time across every worker (the others
    find the head locked and leave). A burst larger than one round's share is left for the next round,
    which comes at once: the sweep runs again while it sealed a full share."""
    return audit.seal_pending(max_batches=SEAL_BATCHES_PER_ROUND)


SEAL_BATCHES_PER_ROUND = 20  # 本系统默认值: 20,000 rows, so a burst does not hold back the other sweeps
register_sweep(
    "audit.seal",
    timedelta(seconds=settings.KEFU_AUDIT_SEAL_SECONDS),
    again=lambda sealed: (sealed or 0) >= SEAL_BATCHES_PER_ROUND * audit.SEAL_BATCH,
)(seal_audit)
# SEC-6: a signed checkpoint of the audit chain into the data-dir file and the log, from every worker
register_sweep("audit.checkpoint", timedelta(minutes=settings.KEFU_AUDIT_CHECKPOINT_MINUTES))(
    checkpoints.publish
)
