"""The one source of time in kefu.

Every module asks `clock.now()`; tests move time with `clock.freeze()` / `clock.advance()`
instead of sleeping. The offset lives in process memory only for tests; in production the
clock is simply the system clock in UTC.
"""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

_global = {"frozen": None, "offset": timedelta(0)}


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    frozen = _global["frozen"]
    if frozen is not None:
        return frozen
    return datetime.now(UTC) + _global["offset"]


def freeze(at: datetime) -> None:
    """Stop time at `at` (tests only)."""
    if at.tzinfo is None:
        raise ValueError("clock.freeze needs an aware datetime")
    _global["frozen"] = at


def advance(delta: timedelta) -> datetime:
    """Move time forward by `delta` (tests only); works frozen or running."""
    if _global["frozen"] is not None:
        _global["frozen"] = _global["frozen"] + delta
    else:
        _global["offset"] = _global["offset"] + delta
    return now()


def reset() -> None:
    _global["frozen"] = None
    _global["offset"] = timedelta(0)


@contextmanager
def frozen_at(at: datetime):
    previous = dict(_global)
    freeze(at)
    try:
        yield
    finally:
        _global.update(previous)


__all__ = ["advance", "freeze", "frozen_at", "now", "reset"]
