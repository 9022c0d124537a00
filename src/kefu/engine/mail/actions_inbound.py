"""E-mail in (CASE-2): store every message durably, then hand it to the app that registered for it.

`ingest` is called by the SMTP listener (`kefu mail-in`) or the MTA pipe (`kefu mail-in --stdin`).
It stores the message in one transaction — once per Message-ID, however often it arrives — before
anything else happens, so a failing handler loses nothing. The worker's `mail.dispatch` sweep then
locks one received message at a time (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's single writer)
and calls its handler inside that same transaction: the handler's effect (a case, a reply on one) and
the `handled` mark commit together, so a message is handled exactly once in effect, whatever the
number of workers. A handler that raises is rolled back and retried with backoff (the schedule of
kefu.engine.notifications.retrying), then marked `failed` for an administrator to look at.

SEC-1: the stored message is encrypted at rest (see models), and so are its raw file and the kept
attachments (kefu.core.sealed; read them with `sealed.open_stored`); audit rows, error texts and log lines
name a sender or a subject by fingerprint only.
"""

import hashlib
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from kefu.core import audit, clock, sealed
from kefu.core.actor import Actor
from kefu.core.crypto import fingerprint, redact
from kefu.core.errors import Invalid
from kefu.engine.mail import parsing
from kefu.engine.mail.models import InboundAttachment, InboundMail, InboundState
from kefu.engine.notifications import retrying
from kefu.engine.policy import api as policy

log = logging.getLogger("kefu.mail")
SYSTEM = Actor.system("mail")
BATCH = 20
MEGABYTE = 1024 * 1024
# Attachments never kept, whatever their size: programs and scripts a customer's mail may carry.
BLOCKED_EXTENSIONS = frozenset(
    [
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "msi",
        "msp",
        "ps1",
        "jar",
        "dll",
        "cpl",
        "hta",
        "lnk",
        "reg",
        "sh",
        "apk",
    ]
)
BLOCKED_TYPES = frozenset(
    {
        "application/x-msdownload",
        "application/x-msdos-program",
        "application/x-sh",
        "application/java-archive",
    }
)


@dataclass(frozen=True)
class Handler:
    name: str
    fn: Callable[[InboundMail], object]
    addresses: frozenset[str]


_HANDLERS: dict[str, Handler] = {}


def register_handler(name: str, fn: Callable[[InboundMail], object], *, addresses=()) -> Callable:
    """Let `fn(inbound)` handle received mail: it returns the object it created or updated (or None)
    and raises to have the message retried. With `addresses`, only mail delivered to those service
    addresses goes to it; without, it takes every message no address-bound handler claims."""
    if not name or not callable(fn):
        raise ValueError(f"not a mail handler: {name!r}")
    _HANDLERS[name] = Handler(name, fn, frozenset(a.strip().lower() for a in addresses))
    return fn


def unregister_handler(name: str) -> None:
    _HANDLERS.pop(name, None)


def handler_for(mail: InboundMail) -> Handler | None:
    delivered_to = {a.lower() for a in mail.envelope_to}
    for handler in _HANDLERS.values():
        if handler.addresses & delivered_to:
            return handler
    return next((h for h in _HANDLERS.values() if not h.addresses), None)


def service_addresses() -> list[str]:
    return list(getattr(settings, "KEFU_SERVICE_MAIL", []) or [])


def own_addresses() -> set[str]:
    _, _, default = settings.DEFAULT_FROM_EMAIL.rpartition("<")
    return {default.strip("> ").lower(), *service_addresses()}


def max_message_size(at=None) -> int:
    return int(policy.lookup("mail.message_max_size", at=at).value * MEGABYTE)


def _attachment_refusal(attachment: parsing.Attachment, kept: int, at) -> str:
    extension = os.path.splitext(attachment.name)[1].lstrip(".").lower()
    if extension in BLOCKED_EXTENSIONS or attachment.content_type in BLOCKED_TYPES:
        return "type not allowed"
    if len(attachment.data) > policy.lookup("mail.attachment_max_size", at=at).value * MEGABYTE:
        return "too large"
    if kept >= policy.lookup("mail.attachments_max", at=at).value:
        return "too many attachments"
    return ""


def _safe_name(name: str) -> str:
    name = os.path.basename(name.replace("\\", "/")).strip() or "attachment"
    return re.sub(r"[\x00-\x1f]", "", name)[:200]


def _store(parsed: parsing.Parsed, raw: bytes, envelope_from, envelope_to, now) -> InboundMail:
    reason = parsing.auto_reply_reason(parsed, envelope_from, own_addresses())
    mail = InboundMail(
        message_id=parsed.message_id,
        envelope_from=(envelope_from or "")[:320],
        envelope_to=[a.lower() for a in envelope_to],
        from_address=parsed.from_address,
        from_name=parsed.from_name,
        to_addresses=parsed.to_addresses,
        subject=parsed.subject,
        text=parsed.text,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        headers=parsed.headers,
        raw_size=len(raw),
        received_at=now,
        state=InboundState.IGNORED if reason else InboundState.RECEIVED,
        next_attempt_at=None if reason else now,
        error=f"ignored: {reason}" if reason else "",
    )
    sealed.store(mail.raw, f"{hashlib.sha256(raw).hexdigest()[:32]}.eml", raw)
    mail.save(force_insert=True)
    kept = 0
    for attachment in parsed.attachments:
        refusal = _attachment_refusal(attachment, kept, now)
        row = InboundAttachment(
            mail=mail,
            name=_safe_name(attachment.name),
            content_type=attachment.content_type[:200],
            size=len(attachment.data),
            skipped=refusal,
        )
        if not refusal:
            sealed.store(row.file, row.name, attachment.data)
            kept += 1
        row.save()
    audit.record(
        SYSTEM,
        "mail.received",
        mail,
        after={
            "from": fingerprint(mail.from_address),
            "subject": fingerprint(mail.subject),
            "state": mail.state,
            "size": len(raw),
        },
    )
    return mail


def ingest(raw: bytes, *, envelope_from: str | None = None, envelope_to=()) -> InboundMail:
    """Store one received RFC 822 message and return its row (the existing row for a repeat).

    `envelope_from` is the SMTP MAIL FROM ("" for a bounce's null sender, None when unknown);
    `envelope_to` the service addresses it was delivered to. Auto-replies, bounces and kefu's own
    mail are stored as `ignored`. A message over `mail.message_max_size` raises Invalid.
    """
    now = clock.now()
    if len(raw) > max_message_size(now):
        raise Invalid("mail_too_large", "邮件超过大小上限", "The message is larger than allowed")
    parsed = parsing.parse(raw)
    existing = InboundMail.objects.filter(message_id=parsed.message_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _store(parsed, raw, envelope_from, list(envelope_to), now)
    except IntegrityError:  # the same message arrived through another connection at the same moment
        return InboundMail.objects.get(message_id=parsed.message_id)


# ---- the dispatch sweep -----------------------------------------------------------------------


def _dispatch(mail: InboundMail, now) -> str:
    handler = handler_for(mail)
    mail.attempts += 1
    error = None
    try:
        if handler is None:
            raise LookupError("no mail handler is registered in this process")
        mail.handler = handler.name
        with transaction.atomic():
            result = handler.fn(mail)
    except Exception as exc:  # the handler's effect rolled back; the failure is recorded and retried
        error = exc
    if error is None:
        mail.state, mail.handled_at, mail.next_attempt_at, mail.error = InboundState.HANDLED, now, None, ""
        if result is not None and getattr(result, "pk", None) is not None:
            mail.result_type = ContentType.objects.get_for_model(result)
            mail.result_id = str(result.pk)
        mail.save()
        return "handled"
    mail.error = redact(retrying.error_text(error))
    mail.next_attempt_at = retrying.retry_at(mail.attempts, now)
    if mail.next_attempt_at is None:
        mail.state = InboundState.FAILED
        log.warning(
            "inbound mail %s failed for good after %s attempts: %s", mail.pk, mail.attempts, mail.error
        )
        audit.record(SYSTEM, "mail.failed", mail, after={"attempts": mail.attempts, "error": mail.error})
    mail.save()
    return "retry" if mail.state == InboundState.RECEIVED else "failed"


def dispatch_due(limit: int = BATCH) -> dict:
    """One round of the worker's `mail.dispatch` sweep: each message in its own transaction."""
    outcome = {"handled": 0, "retry": 0, "failed": 0}
    for _ in range(limit):
        now = clock.now()
        with transaction.atomic():
            mail = (
                InboundMail.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state=InboundState.RECEIVED, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if mail is None:
                break
            outcome[_dispatch(mail, now)] += 1
    return outcome
