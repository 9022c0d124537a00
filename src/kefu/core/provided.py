"""What the kernel needs from the apps built on it, handed in by those apps at start-up.

`core` imports no other kefu app (docs/architecture.md). Where a kernel function needs what only an
app above it knows — who the person of a request is and what they may see (`org`), a number of the
policy pack (`engine.policy`) — that app gives the function here from its `AppConfig.ready()`, and
the kernel calls it through these names. The web foundation (`kefu.web`), which imports no app but
`core` either, reaches org the same way: the request's Actor, the navigation's permissions, the
employee of the signed-in user.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from kefu.core.actor import Actor
from kefu.core.scopes import Grant

_given: dict[str, Callable] = {}


def give(**functions: Callable) -> None:
    """Called from an app's `ready()`: `give(request_actor=…, grants=…)`, `give(policy_value=…)`."""
    _given.update(functions)


def _needed(name: str) -> Callable:
    try:
        return _given[name]
    except KeyError:
        raise ImproperlyConfigured(
            f"kefu.core needs {name!r}: the app that gives it is not installed"
        ) from None


def request_actor(user, *, origin: str, delegation_id: int | None, request_line: str) -> Actor:
    """The Actor of one request, acting under a delegation when one is named (org: ORG-5)."""
    return _needed("request_actor")(
        user, origin=origin, delegation_id=delegation_id, request_line=request_line
    )


def grants(actor: Actor, permission: str) -> list[Grant]:
    """The grants the actor holds for `permission` now (org)."""
    return _needed("grants")(actor, permission)


def prime(actor: Actor, permissions) -> None:
    """Resolve several permissions at once (one role lookup, e.g. for the navigation); then `grants`
    answers them from the actor's cache, with the same result (org)."""
    _needed("prime")(actor, permissions)


def employee_of(user):
    """The user's employee record with its unit, or None (org)."""
    return _needed("employee_of")(user)


def policy_value(key: str):
    """The policy pack's entry `key` in force now (engine.policy)."""
    return _needed("policy_value")(key)
