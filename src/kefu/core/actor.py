"""Who is acting: every action receives an Actor so that each write is attributable (ORG-6, SEC-6)."""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Actor:
    """The person (or system part) performing an action.

    `user` is the authenticated account; `on_behalf_of` is the delegator's user when the person acts
    under a delegation (ORG-5), with `delegation_id` naming it. `origin` says where the request came
    from ("web 10.0.0.5", "api token kefu_ab12", "cli", "worker").
    """

    user: Any = None
    origin: str = ""
    on_behalf_of: Any = None
    delegation_id: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def is_system(self) -> bool:
        return self.user is None

    @property
    def name(self) -> str:
        return self.user.get_username() if self.user is not None else "system"

    @property
    def principal(self):
        """Whose authority is used: the delegator when acting for someone, else the user."""
        return self.on_behalf_of if self.on_behalf_of is not None else self.user

    @classmethod
    def system(cls, origin: str = "system") -> "Actor":
        return cls(user=None, origin=origin)


def request_origin(request, via: str = "web") -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    ip = forwarded.split(",")[0].strip() if forwarded else request.META.get("REMOTE_ADDR", "")
    return f"{via} {ip}".strip()
