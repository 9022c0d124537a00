"""SEC-1: the mail queues keep a message's content only as long as it serves delivery.

Outbox rows hold what was sent to a customer (their address, the text, a status-link secret);
received rows hold what the customer sent (their address, name, text, headers, the raw message
file). The copy that matters lives on the record the mail belongs to (the case and its comments).
Once an outbound message was sent, or a received one handled or ignored, and `mail.copy_retention`
(本系统默认值, default not from the policies) has passed, the daily `mail.purge` schedule empties the
content and deletes the raw file. Message-IDs, states, times and the related record stay, so that a
late reply still threads into its case. A failed message is kept for an administrator to retry.
"""

from django.db import transaction
from django.db.models import Q

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.engine.mail.models import InboundMail, InboundState, OutboundMail, OutboundState
from kefu.engine.policy import api as policy

SYSTEM = Actor.system("mail retention")
BATCH = 500
EMPTY_OUTBOUND = {"to": [], "cc": [], "subject": "", "body": "", "html": ""}
EMPTY_INBOUND = {
    "envelope_from": "",
    "from_address": "",
    "from_name": "",
    "to_addresses": [],
    "subject": "",
    "text": "",
    "headers": {},
    "raw": "",
}


def _purge_outbound(before, now) -> int:
    pks = list(
        OutboundMail.objects.filter(status=OutboundState.SENT, sent_at__lt=before, purged_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    return OutboundMail.objects.filter(pk__in=pks).update(purged_at=now, **EMPTY_OUTBOUND) if pks else 0


def _purge_inbound(before, now) -> int:
    done = Q(state=InboundState.HANDLED, handled_at__lt=before) | Q(
        state=InboundState.IGNORED, received_at__lt=before
    )
    rows = list(
        InboundMail.objects.filter(done, purged_at__isnull=True).order_by("pk").only("pk", "raw")[:BATCH]
    )
    for row in rows:
        if row.raw:
            transaction.on_commit(lambda f=row.raw: f.storage.delete(f.name))  # files only once committed
    pks = [row.pk for row in rows]
    return InboundMail.objects.filter(pk__in=pks).update(purged_at=now, **EMPTY_INBOUND) if pks else 0


def purge(now=None) -> dict:
    """Empty the content of messages sent or handled longer than `mail.copy_retention` ago (at most
    BATCH of each per call). Idempotent: a purged row is never touched again."""
    now = now or clock.now()
    before = now - policy.lookup("mail.copy_retention", at=now).duration()
    with transaction.atomic():
        outcome = {"outbound": _purge_outbound(before, now), "inbound": _purge_inbound(before, now)}
        if outcome["outbound"] or outcome["inbound"]:
            audit.record(
                SYSTEM,
                "mail.purged",
                object_type="mail",
                object_repr="邮件队列内容 / mail queue content",
                after={**outcome, "sent_or_handled_before": before.isoformat()},
            )
    return outcome


def purge_due(run=None) -> dict:
    """The daily `mail.purge` schedule (WF-5; `run` is its ScheduleRun): purge until nothing is left."""
    total = {"outbound": 0, "inbound": 0}
    while True:
        outcome = purge()
        total = {key: total[key] + count for key, count in outcome.items()}
        if max(outcome.values()) < BATCH:
            return total
