"""Bounded batches for bulk jobs (issue 11): no transaction of a bulk job holds a lock for long.

A bulk job (a customer import, the SEC-3 declassification sweep) writes at most
`KEFU_BULK_BATCH_ROWS` rows or `KEFU_BULK_BATCH_MS` of work per transaction, and on SQLite pauses
`KEFU_BULK_PAUSE_MS` between two transactions: SQLite has one write lock, and a waiting writer's busy
handler retries at most every 100 ms, so a shorter gap could let the job take the lock again first.
All three are deployment settings (本系统默认值).
"""

import time

from django.conf import settings
from django.db import connection


class Budget:
    """One batch's bound: `more(done)` says whether another row fits (always at least one)."""

    def __init__(self):
        self.started = time.monotonic()
        self.rows = settings.KEFU_BULK_BATCH_ROWS
        self.seconds = settings.KEFU_BULK_BATCH_MS / 1000

    def more(self, done: int) -> bool:
        return done == 0 or (done < self.rows and time.monotonic() - self.started < self.seconds)


def pause() -> None:
    """Between two batches on SQLite: leave the write lock free for the writers waiting for it."""
    if connection.vendor == "sqlite" and settings.KEFU_BULK_PAUSE_MS:
        time.sleep(settings.KEFU_BULK_PAUSE_MS / 1000)
