"""Claim-then-send for outbox tables (NTF-1, CASE-2): the schedule shared by notification deliveries
and external mail. The writes — `claim` and `finish` — are actions (kefu.engine.notifications.actions).

A row of such a table has a state column (`pending` → `sending` → `sent` | `failed`), `attempts`,
`next_attempt_at` (pending: when to try; sending: when the claim lapses), `sent_at` and `last_error`.

In one short transaction a worker picks due rows (PostgreSQL: FOR UPDATE SKIP LOCKED, so parallel
workers take different rows; SQLite serialises writers anyway) and moves each to `sending` with a
compare-and-set on (state, attempts): exactly one worker wins a row, on every database. It sends after
that transaction committed, then records `sent` or the failure — again only if its claim still stands.

The trade-off: delivery is at least once. A crash (or a lost connection) after the mail server
accepted the message but before `sent` was stored leaves the row `sending`; when the claim lapses
(CLAIM_LEASE) another round sends it again. Marking `sent` before sending would instead risk losing
messages silently, which is worse. The window is one SMTP reply wide, and every attempt carries the
same Message-ID, so a receiving server or mail client can drop the duplicate: never twice *in effect*.
"""

from datetime import datetime, timedelta

# Retry schedule: the wait after the 1st, 2nd, 3rd and 4th failed attempt; the 5th failure is final.
# Technical settings of the platform (how hard to push on a mail server), not service policy.
RETRY_AFTER = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=60))
MAX_ATTEMPTS = len(RETRY_AFTER) + 1
# A claim lapses after this long: a worker that died while sending no longer blocks the row.
CLAIM_LEASE = timedelta(minutes=10)
ERROR_MAX = 2000

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class GiveUp(Exception):
    """A failure that trying again would not fix (the gateway refused the message, the address is
    gone): the row fails at once instead of waiting out the retry schedule."""


def error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX]


def retry_at(attempts: int, now: datetime) -> datetime | None:
    """When to try again after `attempts` failed attempts; None when that failure was the last one."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_AFTER[max(attempts, 1) - 1]


def count(outcome: dict, state: str) -> None:
    """Add one attempt's result to a sweep's {"sent", "retry", "failed"} counts."""
    outcome["sent" if state == SENT else "retry" if state == PENDING else "failed"] += 1
