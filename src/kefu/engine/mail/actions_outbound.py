"""E-mail out to external addresses (CASE-2): replies to customers, who are not users.

`send_external` writes the message into the outbox in the caller's transaction (a rollback sends
nothing) and audits it; the worker's `mail.send` sweep sends it over Django's mail backend (SMTP in
production, KEFU_SMTP_*) with the claim-then-send, retry and backoff of notification deliveries
(kefu.engine.notifications.retrying; its writes `claim` and `finish` are notifications' actions): at
least once, and never twice in effect — every attempt carries the same Message-ID.

SEC-1: the outbox row is encrypted at rest (addresses, subject, body — a confirmation holds the
customer's status-link secret); the audit row names the recipients and subject by fingerprint only,
and a mail server's error text has its addresses fingerprinted before it is stored or logged.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import fingerprint, redact
from kefu.core.errors import Invalid
from kefu.engine.mail.actions_inbound import service_addresses
from kefu.engine.mail.models import OutboundMail
from kefu.engine.notifications import actions as notification_actions
from kefu.engine.notifications import retrying
from kefu.engine.notifications.channels import make_message_id, send_email

BATCH = 20
SUBJECT_MAX = 1000


def _addresses(value, field: str, *, required: bool) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or [])
    addresses = [a.strip() for item in items for a in str(item).split(",") if a.strip()]
    bad = []
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            bad.append(address)
    if bad or (required and not addresses):
        raise Invalid(
            "mail_address",
            "邮件地址无效或缺失",
            "An e-mail address is missing or not valid",
            fields={field: bad or ["required"]},
        )
    return list(dict.fromkeys(addresses))


def _thread(in_reply_to: str, references: str) -> tuple[str, str]:
    """RFC 5322: References = the parent's References followed by the parent's Message-ID."""
    parent = " ".join((in_reply_to or "").split())
    refs = " ".join((references or "").split()).split()
    if parent and parent not in refs:
        refs.append(parent)
    return parent, " ".join(refs)


def send_external(
    actor: Actor,
    *,
    to,
    subject: str,
    body: str,
    obj=None,
    in_reply_to: str = "",
    references: str = "",
    cc=(),
    html: str = "",
) -> OutboundMail:
    """Queue one message to external addresses; call it inside the action's transaction. `body` is the
    plain text; `html`, when given, goes along as its HTML alternative."""
    recipients = _addresses(to, "to", required=True)
    copies = _addresses(cc, "cc", required=False)
    subject = " ".join((subject or "").split())
    if not subject or len(subject) > SUBJECT_MAX or not (body or "").strip():
        raise Invalid(
            "mail_content",
            "邮件需要主题和正文",
            "A message needs a subject and a body",
            fields={"subject" if not subject or len(subject) > SUBJECT_MAX else "body": ["required"]},
        )
    parent, refs = _thread(in_reply_to, references)
    now = clock.now()
    with transaction.atomic():
        mail = OutboundMail.objects.create(
            to=recipients,
            cc=copies,
            subject=subject,
            body=body,
            html=html or "",
            in_reply_to=parent,
            references=refs,
            related_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
            related_id=str(obj.pk) if obj is not None else "",
            created_by=actor.name,
            created_at=now,
            next_attempt_at=now,
        )
        mail.message_id = make_message_id(f"kefu-mail-{mail.pk}")
        OutboundMail.objects.filter(pk=mail.pk).update(message_id=mail.message_id)
        audit.record(
            actor,
            "mail.queued",
            mail,
            after={
                "to": [fingerprint(a) for a in recipients],
                "cc": [fingerprint(a) for a in copies],
                "subject": fingerprint(subject),
                "message_id": mail.message_id,
            },
        )
    return mail


def sender() -> str:
    """Replies go out from the (first) service address, so that the customer's answer comes back in."""
    addresses = service_addresses()
    return addresses[0] if addresses else settings.DEFAULT_FROM_EMAIL


def _send(mail: OutboundMail) -> None:
    headers = {"Message-ID": mail.message_id}
    if mail.in_reply_to:
        headers["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        headers["References"] = mail.references
    from_address = sender()
    send_email(
        subject=mail.subject,
        body=mail.body,
        to=mail.to,
        cc=mail.cc,
        headers=headers,
        from_email=from_address,
        reply_to=[from_address],
        html=mail.html,
    )


def _redacted(error: Exception) -> Exception:
    """The same failure, its text with addresses fingerprinted (SMTP refusals quote the recipient)."""
    return type(type(error).__name__, (Exception,), {})(redact(str(error)))


def send_due(limit: int = BATCH) -> dict:
    """One round of the worker's `mail.send` sweep. Returns counts by outcome."""
    outcome = {"sent": 0, "retry": 0, "failed": 0}
    for pk in notification_actions.claim(OutboundMail, limit):
        mail = OutboundMail.objects.get(pk=pk)
        error = None
        try:
            _send(mail)
        except Exception as exc:  # any failure of the mail server is recorded and retried
            error = _redacted(exc)
        retrying.count(outcome, notification_actions.finish(mail, error))
    return outcome
