"""Reads shared by one unit of work — an HTTP request, one sweep of the worker — done once.

Intake asks for the policy version in force, the subsidiary's overrides, the org tree above a unit,
a calendar's row and the imported holiday years many times over; each answer is read once per
scope and kept in a context variable that dies with the scope, so nothing outlives the request: a
new policy version, override, calendar change or holiday import made by any process is used by the
next request of every process (issue 11). Outside a scope (a shell, a test calling an action
directly) every call reads the database as before.

A write that changes one of these answers inside a scope calls `forget(prefix)`, so the rest of
the same request reads it again.
"""

from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")
_scope: ContextVar[dict | None] = ContextVar("kefu_memo", default=None)


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
