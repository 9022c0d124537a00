"""Outbound channels (NTF-1): how a notification leaves kefu. E-mail ships here; text messages to staff
plug in from the outbound app (kefu.engine.outbound.staff_texts, issue 17); WeChat can plug in alike.

A channel is any object with a `name`, `address_for(user)` (the address to use, or "" when the person
cannot or does not want to be reached this way) and `send(delivery)`, which returns when the message
was accepted and raises on any failure (the worker retries with backoff; `retrying.GiveUp` fails the
delivery at once). Register it with `register(channel)`; callers then name it in
`notify(..., channels=(...))`, or pass `present("inbox", "email", "sms")` to use those that exist.

`register(channel, when=...)`: a channel that depends on configuration (the SMS gateway) is registered
once, at start-up, with a condition read at each look-up — not decided at import — so that a change
of settings (and a test's `settings` fixture) switches it without re-registering.
"""

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from kefu.engine.notifications.queries import preference_of

INBOX = "inbox"  # not a Channel: the Notification row itself is the inbox entry


@runtime_checkable
class Channel(Protocol):
    name: str

    def address_for(self, user) -> str: ...

    def send(self, delivery) -> None: ...


_REGISTRY: dict[str, tuple[Channel, Callable[[], bool] | None]] = {}


def register(channel: Channel, *, when: Callable[[], bool] | None = None) -> Channel:
    """Make `channel` available by its name; with `when`, only while `when()` is true."""
    if not isinstance(channel, Channel) or not channel.name or channel.name == INBOX:
        raise ValueError(f"not a channel: {channel!r}")
    _REGISTRY[channel.name] = (channel, when)
    return channel


def get(name: str) -> Channel | None:
    """The channel of that name, or None when there is none or its condition is false now."""
    channel, when = _REGISTRY.get(name, (None, None))
    if channel is None or (when is not None and not when()):
        return None
    return channel


def names() -> list[str]:
    return sorted(name for name in _REGISTRY if get(name) is not None)


def present(*wanted: str) -> tuple[str, ...]:
    """The channels among `wanted` that exist here (the inbox always does), in the order given:
    issue 17 tells of an incident "by inbox, e-mail and the text gateway where present"."""
    return tuple(name for name in wanted if name == INBOX or get(name) is not None)


def sender_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "kefu.invalid"


def make_message_id(local: str) -> str:
    """`<local@sender domain>`: the host part is the sender's domain, not the worker's host name, which
    differs between machines, so that every worker gives a row the same Message-ID."""
    return f"<{local}@{sender_domain()}>"


def message_id(delivery) -> str:
    """Stable per delivery, whichever worker sends it: a resend carries the same Message-ID, so that
    receivers (and mail archives) can recognise the duplicate."""
    return make_message_id(f"kefu-{delivery.pk}")


def send_email(
    *, subject: str, body: str, to, headers: dict, from_email: str = "", cc=(), reply_to=(), html: str = ""
) -> None:
    """One message over Django's configured backend; returns when the server accepted it, else raises.
    With `html`, the message is multipart/alternative (the plain `body` first)."""
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        cc=list(cc),
        reply_to=list(reply_to),
        headers=headers,
        connection=get_connection(fail_silently=False),
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send(fail_silently=False)


class EmailChannel:
    """E-mail over Django's configured backend (SMTP in production: KEFU_SMTP_HOST/PORT/USER/…)."""

    name = "email"

    def address_for(self, user) -> str:
        if not preference_of(user).email_enabled:
            return ""
        employee = getattr(user, "employee", None)
        return (getattr(employee, "email", "") or user.email or "").strip()

    def send(self, delivery) -> None:
        notification = delivery.notification
        body = notification.body
        if notification.link:
            body = f"{body}\n\n{settings.KEFU_SITE_URL}{notification.link}"
        send_email(
            subject=notification.subject,
            body=body,
            to=[delivery.address],
            headers={"Message-ID": message_id(delivery), "Auto-Submitted": "auto-generated"},
        )


register(EmailChannel())
