"""Live updates (issue 13): an open page asks every few seconds whether anything of the person's changed.

The page's script (static `notifications/live.js`) polls `GET /inbox/live/?watch=<list>` every
`settings.KEFU_LIVE_POLL_SECONDS` with the ETag it was last given in `If-None-Match`. The ETag is
derived from a few indexed aggregates, never from the rows themselves: the person's unread count and
newest unread message (the top-bar badge, one aggregate over the badge's index range) and, for each
list the page watches, the version its app registers here with `watch(name, version)` — cases
registers `cases.queue`, the count and latest change of the person's open cases and of their skill
groups' queue. Nothing changed: 304 with no body. Something did: 200 with the badge and each list's
version; the script re-renders the badge and the tab title, and only the lists whose version moved.

A list's version also moves with the newest unread message: a breach, a warning, a transfer or an
escalation addressed to the person usually concerns a row of their lists.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from kefu.engine.notifications import queries

WATCH_MAX = 4  # lists one page may watch

_WATCHED: dict[str, Callable] = {}


def watch(name: str, version: Callable) -> None:
    """Register a list a page may watch: `version(user)` answers something small and hashable that
    changes whenever the list would show something else (read by index, once per poll)."""
    if not name or not callable(version):
        raise ValueError(f"not a live list: {name!r}")
    _WATCHED[name] = version


def watched(raw: str) -> list[str]:
    """The registered list names of a `watch=` parameter (unknown names are ignored)."""
    names = [n.strip() for n in (raw or "").split(",")]
    return list(dict.fromkeys(n for n in names if n in _WATCHED))[:WATCH_MAX]


def poll_seconds() -> int:
    """How often an open page polls: the setting, kept within 1–30 s (the issue's "within 30 s")."""
    return max(1, min(30, int(settings.KEFU_LIVE_POLL_SECONDS)))


def _digest(*parts) -> str:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


@dataclass
class State:
    unread: int
    newest: int
    versions: dict[str, str] = field(default_factory=dict)

    def etag(self, user, language: str) -> str:
        """Weak: the answer is the same information, not the same bytes (the badge is re-rendered)."""
        versions = sorted(self.versions.items())
        return f'W/"{_digest(user.pk, language, self.unread, self.newest, versions)}"'


def state(user, names: list[str]) -> State:
    """The person's badge and the versions of the lists named: one statement for the badge, one per list."""
    unread, newest = queries.unread_state(user)
    return State(unread, newest, {name: _version(user, name, newest) for name in names})


def version(user, name: str) -> str:
    """One list's version now, as a page embeds it when it renders the list."""
    return _version(user, name, queries.unread_state(user)[1])


def _version(user, name: str, newest: int) -> str:
    return _digest(newest, _WATCHED[name](user))
