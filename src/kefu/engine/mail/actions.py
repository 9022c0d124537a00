"""Administrators' actions on the mail queues (CASE-2): send a failed message again, hand a failed
received message to its handler again. The write paths of the queues themselves live in
actions_inbound (ingest, dispatch) and actions_outbound (send_external, the send sweep)."""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, NotFound
from kefu.engine.mail import queries
from kefu.engine.mail.models import InboundMail, InboundState, OutboundMail, OutboundState


def _retry(actor: Actor, model, pk: int, *, field: str, error_field: str, again: str):
    """A failed row becomes due again now, with a fresh count of attempts."""
    queries.check_admin(actor)
    with transaction.atomic():
        mail = model.objects.select_for_update(of=("self",)).filter(pk=pk).first()
        if mail is None:
            raise NotFound("邮件", "message")
        if getattr(mail, field) != "failed":
            raise Conflict(
                "mail_not_failed", "只有失败的邮件可以重试", "Only a failed message can be retried"
            )
        before = {field: "failed", "attempts": mail.attempts, error_field: getattr(mail, error_field)}
        setattr(mail, field, again)
        mail.attempts, mail.next_attempt_at = 0, clock.now()
        mail.save(update_fields=[field, "attempts", "next_attempt_at"])
        audit.record(actor, "mail.retry", mail, before=before, after={field: again})
    return mail


def retry_inbound(actor: Actor, pk: int) -> InboundMail:
    return _retry(actor, InboundMail, pk, field="state", error_field="error", again=InboundState.RECEIVED)


def retry_outbound(actor: Actor, pk: int) -> OutboundMail:
    return _retry(
        actor, OutboundMail, pk, field="status", error_field="last_error", again=OutboundState.PENDING
    )
