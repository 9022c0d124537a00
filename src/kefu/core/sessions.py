"""The session store: Django's database sessions, except that the idle stamp never fails a page.

SEC-10's idle timeout stamps the session at most every 30 s (`IdleTimeoutMiddleware`). When that stamp
is the only change of a request, saving it is bookkeeping: it waits at most `KEFU_TOUCH_LOCK_WAIT_MS`
for the database's write lock and is skipped (logged) when the lock is busy (issue 11) — before, a page
answered 400 after 30 s while a long import held SQLite's only write lock. Any other change of the
session (signing in, acting for a delegator) is saved as Django saves it.
"""

import logging

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import OperationalError

from kefu.core import locks

log = logging.getLogger("kefu.sessions")


class SessionStore(db.SessionStore):
    touch_only = False  # set by IdleTimeoutMiddleware when its stamp is the request's only change

    def save(self, must_create=False):
        if must_create or self.session_key is None or not self.touch_only:
            return super().save(must_create=must_create)
        try:
            with locks.short_wait(self._touch_wait()):
                return super().save(must_create=False)
        except UpdateError as error:
            if isinstance(error.__context__, OperationalError):
                log.warning("session idle stamp skipped: the database's write lock is busy")
                return None
            raise
        except OperationalError:
            log.warning("session idle stamp skipped: the database's write lock is busy")
            return None

    @staticmethod
    def _touch_wait() -> int:
        return settings.KEFU_TOUCH_LOCK_WAIT_MS
