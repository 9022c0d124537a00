"""Lock waits: short ones for bookkeeping writes, and a probe of them for /healthz (issue 11).

SQLite, the embedded default, has one write lock for the whole database; a writer waits for it up to
the busy timeout (30 s). A bookkeeping write that a request makes on the side — an API token's "last
used", the session's idle stamp — must neither wait that long behind another writer nor fail the
request: `touch()` runs it waiting at most `KEFU_TOUCH_LOCK_WAIT_MS` (本系统默认值) and skips it, with
a log line, when the lock is not free by then. On PostgreSQL the same bound is the `lock_timeout` of
that one write (row locks there; a touch rarely waits).

`probe()` measures how long a write waits for the lock right now, for /healthz: on SQLite by taking the
write lock (`BEGIN IMMEDIATE`) and giving it back at once, writing nothing; on PostgreSQL by reading how
many sessions wait for a lock and for how long.
"""

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

log = logging.getLogger("kefu.locks")

# name → a function answering when the oldest batch of that bulk job being committed now began (or None)
BATCH_CLOCKS: dict[str, Callable[[], object]] = {}


def register_batch_clock(name: str, oldest: Callable[[], object]) -> None:
    """A bulk job tells /healthz how old its open batch is (apps call this in `ready()`)."""
    BATCH_CLOCKS[name] = oldest


def _busy_timeout_ms() -> int:
    return int(float(settings.DATABASES["default"].get("OPTIONS", {}).get("timeout", 5)) * 1000)


@contextmanager
def short_wait(ms: int) -> Iterator[None]:
    """Statements in this block wait at most `ms` milliseconds for a lock, then fail (OperationalError)."""
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(ms)}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {_busy_timeout_ms()}")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('lock_timeout'), set_config('lock_timeout', %s, false)",
                [f"{int(ms)}ms"],
            )
            before = cursor.fetchone()[0]
        try:
            yield
        finally:
            if not connection.needs_rollback:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('lock_timeout', %s, false)", [before])
    else:  # pragma: no cover — only SQLite and PostgreSQL are supported
        yield


def touch(what: str, write: Callable[[], object], *, wait_ms: int | None = None) -> bool:
    """Run the bookkeeping `write` in its own savepoint, waiting at most `wait_ms` (default
    `KEFU_TOUCH_LOCK_WAIT_MS`) for the lock. When the lock is busy the write is skipped and logged;
    returns whether it was written. Never raises for a busy lock."""
    wait = settings.KEFU_TOUCH_LOCK_WAIT_MS if wait_ms is None else wait_ms
    try:
        with short_wait(wait), transaction.atomic():
            write()
        return True
    except OperationalError as error:
        log.warning("%s skipped: the database's write lock is busy (%s)", what, str(error)[:80])
        return False


def probe(wait_ms: int | None = None) -> dict:
    """How long a write waits for the database's lock now (for /healthz).

    `status`: "ok"; "waiting" when a write waited more than half the probe bound, or sessions wait for
    locks (PostgreSQL); "blocked" when the write lock was not free within `wait_ms` (default
    `KEFU_LOCK_PROBE_MS`, 本系统默认值) — writes are queuing behind a long transaction.
    """
    wait = settings.KEFU_LOCK_PROBE_MS if wait_ms is None else wait_ms
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), coalesce(max(extract(epoch from clock_timestamp() - state_change)), 0) "
                "FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            waiting, longest = cursor.fetchone()
        longest_ms = round(float(longest) * 1000)
        status = "blocked" if longest_ms >= wait else ("waiting" if waiting else "ok")
        return {
            "status": status,
            "waiting_sessions": waiting,
            "longest_wait_ms": longest_ms,
            "bound_ms": wait,
        }
    if connection.in_atomic_block:  # inside a transaction the lock is ours already: nothing to measure
        return {"status": "ok", "waited_ms": 0, "bound_ms": wait}
    started = time.monotonic()
    try:
        with short_wait(wait), connection.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("ROLLBACK")
    except OperationalError:
        return {
            "status": "blocked",
            "waited_ms": round((time.monotonic() - started) * 1000),
            "bound_ms": wait,
        }
    waited = round((time.monotonic() - started) * 1000)
    return {"status": "waiting" if waited * 2 > wait else "ok", "waited_ms": waited, "bound_ms": wait}
