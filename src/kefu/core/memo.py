"""Reads shared by one unit of work — an HTTP request, one sweep of the worker — done once.

Intake asks for the policy version in force, the subsidiary's overrides, the org tree above a unit,
a calendar's row and the imported holiday years many times over; each answer is read once per
scope and kept in a context variable that dies with the scope, so nothing outlives the request: a
new policy version, override, calendar change or holiday import made by any process is used by the
next request of every process (issue 11). Outside a scope (a shell, a test calling an action
directly) every call reads the database as before.

A write that changes one of these answers inside a scope calls `forget(prefix)`, so the rest of
the same request reads it again.

Configuration — the policy pack, calendars, the org tree and roles, case kinds and skill groups —
changes rarely and is asked for by every request. `shared()` keeps such answers in the process across
requests, keyed by the configuration generation (`core.ConfigGeneration`): a request reads the
generation's token once instead of the rows it stands for. Every write of a tracked model (`track`)
changes the token (`kefu.core.actions.track_configuration`) — through Django's signals, so the
actions, the admin and the demo loaders alike; a bulk write that sends no signal calls
`kefu.core.actions.new_config_generation()` itself. Another process's next request sees the
new token once the write commits.
"""

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from kefu.core.models import ConfigGeneration

T = TypeVar("T")
_scope: ContextVar[dict | None] = ContextVar("kefu_memo", default=None)
_TOKEN = ("memo.generation",)  # the scope's key for the generation token it read
# this process's shared answers: {"token": generation token, "values": {key: answer}}; replaced
# whole (never edited in place across tokens), so a thread reading it sees one generation's answers
_process: dict = {"token": None, "values": {}}


@contextmanager
def scope():
    """Open a scope (nested scopes share the outer one)."""
    if _scope.get() is not None:
        yield
        return
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def active() -> bool:
    return _scope.get() is not None


def get(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """`compute()` once per scope for `key` (its first element names what is kept)."""
    memo = _scope.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def shared(key: tuple[Hashable, ...], compute: Callable[[], T]) -> T:
    """Like `get()`, but kept in the process across requests while the configuration generation
    stays the same. Only for answers built from tracked models; callers must not modify
    what they get (it is shared by every request of the process)."""
    global _process
    memo = _scope.get()
    if memo is None:
        return compute()
    if key in memo:
        return memo[key]
    token = memo.get(_TOKEN)
    if token is None:
        token = memo[_TOKEN] = _read_token()
    kept = _process
    if kept["token"] != token:
        kept = _process = {"token": token, "values": {}}
    if key not in kept["values"]:
        kept["values"][key] = compute()
    memo[key] = kept["values"][key]
    return memo[key]


def _read_token() -> str:
    return ConfigGeneration.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def restart(token: str) -> None:
    """The configuration changed in this scope (a new generation `token`): forget every answer."""
    memo = _scope.get()
    if memo is not None:
        memo.clear()
        memo[_TOKEN] = token


def reset_process() -> None:
    """Drop this process's shared answers (tests that edit tracked rows behind the signals' back)."""
    global _process
    _process = {"token": None, "values": {}}


def forget(prefix: str) -> None:
    """Drop every answer whose key starts with `prefix` (called by the writes that change it)."""
    memo = _scope.get()
    if memo:
        for key in [k for k in memo if k[0] == prefix]:
            del memo[key]


class MemoMiddleware:
    """One memo scope per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope():
            return self.get_response(request)
