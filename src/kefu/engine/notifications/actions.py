"""State changes of notifications (NTF-1): create (outbox), read, preferences, the claim-then-send
writes of an outbox (shared with external mail) and the delivery sweep."""

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q

from kefu.core import audit, clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import DomainError, Invalid
from kefu.engine.notifications import channels as channel_registry
from kefu.engine.notifications import queries, rendering, retrying
from kefu.engine.notifications.models import (
    Delivery,
    Language,
    Notification,
    NotificationPreference,
)

# Retry schedule and claim lease: shared with external mail in `retrying` (re-exported for callers).
RETRY_AFTER = retrying.RETRY_AFTER
MAX_ATTEMPTS = retrying.MAX_ATTEMPTS
CLAIM_LEASE = retrying.CLAIM_LEASE
BATCH = 20

log = logging.getLogger("kefu.notifications")


def _check_link(link: str) -> str:
    link = (link or "").strip()
    # inbox links are paths on this server: never an open redirect to somewhere else
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise Invalid(
            "notification_link", "消息链接必须是本站路径", "A notification link must be a path on this site"
        )
    return link


def notify(
    recipients: Iterable,
    template: str,
    context: dict,
    *,
    obj=None,
    link: str = "",
    channels: Iterable[str] = ("inbox", "email"),
) -> list[Notification]:
    """Tell `recipients` (users) about something. Call it inside the action's transaction.

    Each notification is rendered now, in the recipient's language; the inbox row exists at once,
    and a pending Delivery row per other channel is written in the same transaction (outbox): if the
    action rolls back, nothing is shown and nothing is sent. The worker sends after commit.
    """
    rendering.check(template)
    channels = list(dict.fromkeys(channels))
    outbound = [name for name in channels if name != channel_registry.INBOX]
    for name in outbound:
        if channel_registry.get(name) is None:
            raise DomainError(
                "notification_channel_unknown",
                f"未知的消息渠道：{name}",
                f"Unknown notification channel: {name}",
                status=500,
            )
    link = _check_link(link)
    if not link and obj is not None and hasattr(obj, "get_absolute_url"):
        link = _check_link(obj.get_absolute_url())
    target_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    now = clock.now()
    created = []
    # part of the caller's transaction (no savepoint of its own: a failure fails the caller's action)
    with transaction.atomic(savepoint=False):
        for user in dict.fromkeys(recipients):  # each person once, in the order given
            language = queries.preference_of(user).language
            subject, body = rendering.render(template, language, context)
            notification = Notification.objects.create(
                recipient=user,
                template=template,
                language=language,
                subject=subject,
                body=body,
                link=link,
                in_inbox=channel_registry.INBOX in channels,
                target_type=target_type,
                target_id=str(obj.pk) if obj is not None else "",
                created_at=now,
            )
            deliveries = []
            for name in outbound:
                address = channel_registry.get(name).address_for(user)
                if address:  # unreachable or opted out on this channel: the inbox still has it
                    deliveries.append(
                        Delivery(
                            notification=notification, channel=name, address=address, next_attempt_at=now
                        )
                    )
            Delivery.objects.bulk_create(deliveries)
            created.append(notification)
    return created


# ---- the inbox ------------------------------------------------------------------------------
# Reading one's own messages is personal state, not a business write: it is not audited.


def mark_read(actor: Actor, notification_id: int) -> Notification:
    notification = queries.notification(actor.user, notification_id)
    if notification.read_at is None:
        notification.read_at = clock.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(actor: Actor) -> int:
    return Notification.objects.filter(recipient=actor.user, in_inbox=True, read_at__isnull=True).update(
        read_at=clock.now()
    )


def save_preference(
    actor: Actor, *, language: str, email_enabled: bool, sms_enabled: bool | None = None
) -> NotificationPreference:
    """A person's own notification settings (audited: it decides where their messages go).
    `sms_enabled` None keeps the stored choice (the form offers it only where texts can be sent)."""
    if language not in Language.values:
        raise Invalid(
            "notification_language",
            "不支持的语言",
            "Unsupported language",
            fields={"language": list(Language.values)},
        )
    with transaction.atomic():
        preference, _ = NotificationPreference.objects.select_for_update(of=("self",)).get_or_create(
            user=actor.user, defaults={"updated_at": clock.now()}
        )
        before = {
            "language": preference.language,
            "email_enabled": preference.email_enabled,
            "sms_enabled": preference.sms_enabled,
        }
        preference.language = language
        preference.email_enabled = bool(email_enabled)
        if sms_enabled is not None:
            preference.sms_enabled = bool(sms_enabled)
        preference.updated_at = clock.now()
        preference.save()
        memo.forget("notifications.preference")
        audit.record(
            actor,
            "notifications.preference",
            preference,
            before=before,
            after={
                "language": language,
                "email_enabled": preference.email_enabled,
                "sms_enabled": preference.sms_enabled,
            },
        )
    return preference


# ---- claim, then send: the writes of an outbox -------------------------------------------------
# The protocol and its schedule: kefu.engine.notifications.retrying. Used by the delivery sweep below
# and by external mail's (kefu.engine.mail.actions_outbound, CASE-2).


def claim(model, limit: int, *, field: str = "status") -> list[int]:
    """Claim up to `limit` due rows of `model` for this worker; returns their primary keys."""
    now = clock.now()
    due = Q(**{field: retrying.PENDING}) | Q(**{field: retrying.SENDING})  # sending: the claim lapsed
    claimed = []
    with transaction.atomic():
        rows = list(
            model.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(due, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", field, "attempts")[:limit]
        )
        for pk, state, attempts in rows:
            won = model.objects.filter(
                pk=pk, attempts=attempts, next_attempt_at__lte=now, **{field: state}
            ).update(
                attempts=F("attempts") + 1,
                next_attempt_at=now + retrying.CLAIM_LEASE,
                **{field: retrying.SENDING},
            )
            if won:
                claimed.append(pk)
    return claimed


def finish(row, error: BaseException | None, *, field: str = "status") -> str:
    """Record the outcome of a claimed row's attempt, if the claim still stands. Returns the new state."""
    now = clock.now()
    mine = type(row).objects.filter(pk=row.pk, attempts=row.attempts, **{field: retrying.SENDING})
    if error is None:
        mine.update(sent_at=now, next_attempt_at=None, last_error="", **{field: retrying.SENT})
        return retrying.SENT
    text = retrying.error_text(error)
    again = None if isinstance(error, retrying.GiveUp) else retrying.retry_at(row.attempts, now)
    if again is None:
        mine.update(next_attempt_at=None, last_error=text, **{field: retrying.FAILED})
        log.warning(
            "%s %s failed for good after %s attempts: %s", row._meta.label, row.pk, row.attempts, text
        )
        return retrying.FAILED
    mine.update(next_attempt_at=again, last_error=text, **{field: retrying.PENDING})
    return retrying.PENDING


# ---- the delivery sweep ---------------------------------------------------------------------
# Claim, then send (above; the protocol: kefu.engine.notifications.retrying).


def deliver_due(limit: int = BATCH) -> dict:
    """One round of the worker's `notifications.deliver` sweep. Returns counts by outcome."""
    outcome = {"sent": 0, "retry": 0, "failed": 0}
    for pk in claim(Delivery, limit):
        delivery = Delivery.objects.select_related(
            "notification__recipient__employee", "notification__recipient"
        ).get(pk=pk)
        channel = channel_registry.get(delivery.channel)
        error = None
        try:
            if channel is None:
                raise LookupError(f"channel {delivery.channel!r} is not registered in this process")
            channel.send(delivery)
        except Exception as exc:  # any failure of the channel is recorded and retried
            error = exc
        retrying.count(outcome, finish(delivery, error))
    return outcome
