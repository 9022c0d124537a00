"""The one source of time in kefu.

Every module asks `clock.now()`; tests move time with `clock.freeze()` / `clock.advance()`
instead of sleeping. The offset lives in process memory only for tests; in production the
clock is simply the system clock in UTC.

End-to-end tests drive a separate `kefu run` (web + worker processes); they move its time by
writing a number of seconds to the file named in KEFU_CLOCK_OFFSET_FILE, which every process reads.
Never set that variable in a deployment.

Local time is `settings.TIME_ZONE` (the product's one zone): `local()` is an instant there, `today()`
the local day of now, `zone()` the zone itself (to read a naive local time). No other module builds a
zone, except calendars that carry their own.
"""

import os
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

_global = {"frozen": None, "offset": timedelta(0)}
_OFFSET_FILE = os.environ.get("KEFU_CLOCK_OFFSET_FILE") or None
_file_cache: dict = {"mtime": None, "offset": timedelta(0)}


def _file_offset() -> timedelta:
    """The shift written by an end-to-end test harness (0 when none is configured or written)."""
    if _OFFSET_FILE is None:
        return timedelta(0)
    try:
        stat = os.stat(_OFFSET_FILE)
    except FileNotFoundError:
        return timedelta(0)
    # the file's identity too: a rewrite within one timestamp tick must still be read again
    mtime = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if mtime != _file_cache["mtime"]:
        with open(_OFFSET_FILE) as f:
            text = f.read().strip()
        _file_cache["offset"] = timedelta(seconds=float(text or 0))
        _file_cache["mtime"] = mtime
    return _file_cache["offset"]


def now() -> datetime:
    """The current instant, timezone-aware (UTC)."""
    frozen = _global["frozen"]
    if frozen is not None:
        return frozen
    return datetime.now(UTC) + _global["offset"] + _file_offset()


@lru_cache(maxsize=4)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone() -> ZoneInfo:
    """The product's local time zone (settings.TIME_ZONE)."""
    return _zone(settings.TIME_ZONE)


def local(at: datetime | None = None) -> datetime:
    """`at` (default: now) as an aware datetime in the local zone; a naive `at` is refused."""
    if at is None:
        at = now()
    elif at.tzinfo is None:
        raise ValueError("clock.local needs an aware datetime")
    return at.astimezone(zone())


def today() -> date:
    """The local day of now."""
    return local().date()


def shifted_by_file() -> bool:
    """True when an end-to-end harness controls this process's time (shown in logs, never in production)."""
    return _OFFSET_FILE is not None


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


__all__ = [
    "advance",
    "freeze",
    "frozen_at",
    "local",
    "now",
    "reset",
    "shifted_by_file",
    "today",
    "zone",
]
