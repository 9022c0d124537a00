"""The customer timeline's 消息 entries (CUS-9): the e-mails and text messages sent (or queued) to the
customer, as the outbound gateway's own read rule gives them (`queries.messages_of`: whoever may see the
customer). An entry names the channel, what it was for, its state and delivery receipt — never the
number, the address or the text (SEC-1: they stay in the encrypted fields). One query, at most LIMIT
rows. Registered from apps.ready()."""

from kefu.core.errors import NotFound
from kefu.customers import timeline
from kefu.customers.timeline import Entry
from kefu.engine.outbound.queries import messages_of

LIMIT = 50

# the callers' words for what a message is for (`OutboundMessage.purpose`), as the timeline shows them;
# a caller that wrote its purpose in Chinese (满意度调查) is shown as written
PURPOSES = {"revisit": "回访", "survey": "满意度调查", "greeting": "节日慰问", "event": "活动邀请"}


def purpose_label(purpose: str) -> str:
    return PURPOSES.get(purpose) or (purpose if purpose and not purpose.isascii() else "通知")


def message_entries(actor, customer) -> list:
    try:
        messages = list(messages_of(actor, customer)[:LIMIT])
    except NotFound:  # a customer the viewer may not see has no messages for them
        return []
    entries = []
    for message in messages:
        parts = [message.get_channel_display(), purpose_label(message.purpose), message.get_status_display()]
        entries.append(
            Entry(
                at=message.sent_at or message.created_at,
                kind="message",
                title=" · ".join(str(p) for p in parts),
                detail=str(message.get_receipt_display()) if message.receipt else "",
            )
        )
    return entries


def register() -> None:
    timeline.register("outbound.messages", message_entries)
