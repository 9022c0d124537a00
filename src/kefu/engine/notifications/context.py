"""Template context: the unread count of the top-bar badge, counted only if a template shows it."""

from functools import cached_property

from kefu.engine.notifications import queries


class _Inbox:
    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return queries.unread_count(self.user)  # one COUNT, on first use only


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox": _Inbox(user)}
