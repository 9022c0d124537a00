"""Notifications API under /api/v1/notifications (NTF-1): my inbox, mark read. Only one's own."""

from datetime import datetime

from ninja import Router, Schema
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.engine.notifications import actions, queries

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    template: str
    language: str
    subject: str
    body: str
    link: str
    target_type: str | None
    target_id: str | None
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_target_type(obj) -> str | None:
        kind = obj.target_type
        return f"{kind.app_label}.{kind.model}" if kind is not None else None

    @staticmethod
    def resolve_target_id(obj) -> str | None:
        return obj.target_id or None

    @staticmethod
    def resolve_unread(obj) -> bool:
        return obj.read_at is None


class ReadAllOut(Schema):
    updated: int


@router.get("", response=list[NotificationOut], summary="My notifications, unread first")
@paginate(Pagination)
def list_notifications(request, unread: bool = False):
    return queries.inbox(request.user, unread=unread)


@router.post("/read-all", response=ReadAllOut, summary="Mark all my notifications as read")
def read_all(request):
    return {"updated": actions.mark_all_read(actor(request))}


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one notification as read")
def read_one(request, notification_id: int):
    return actions.mark_read(actor(request), notification_id)
