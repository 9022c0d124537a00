"""Read paths of the inbox: a person sees only their own notifications (others' answer 404)."""

from django.db.models import Case, Count, IntegerField, Max, Value, When

from kefu.core import memo
from kefu.core.errors import NotFound
from kefu.engine.notifications.models import Language, Notification, NotificationPreference


def preference_of(user) -> NotificationPreference:
    """The stored preference, or the defaults (zh-hans, e-mail and texts on) unsaved when there is none; read
    once per person in a request or sweep (kefu.core.memo: a sweep tells the same people many times)."""

    def stored():
        try:
            return user.notification_preference
        except NotificationPreference.DoesNotExist:
            return NotificationPreference(
                user=user, language=Language.ZH_HANS, email_enabled=True, sms_enabled=True
            )

    return memo.get(("notifications.preference", user.pk), stored)


def inbox(user, *, unread: bool = False):
    """My notifications, unread first, newest first within each group."""
    rows = Notification.objects.filter(recipient=user, in_inbox=True).select_related("target_type")
    if unread:
        rows = rows.filter(read_at__isnull=True)
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return rows.order_by(unread_first, "-created_at", "-pk")


def notification(user, notification_id: int) -> Notification:
    found = inbox(user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("消息", "notification")
    return found


def unread_count(user) -> int:
    """One COUNT over the (recipient, in_inbox, read_at) index."""
    return Notification.objects.filter(recipient=user, in_inbox=True, read_at__isnull=True).count()


def unread_state(user) -> tuple[int, int]:
    """(unread count, newest unread id): one aggregate over the same index range as the badge's
    COUNT. A new message raises the id, reading one lowers the count — the live poll's signature."""
    found = Notification.objects.filter(recipient=user, in_inbox=True, read_at__isnull=True).aggregate(
        count=Count("pk"), newest=Max("pk")
    )
    return found["count"], found["newest"] or 0
