"""The public Python API of messages to customers (FUP-2). See docs/engine.md, "Outbound messages".

from kefu.engine.outbound.api import send, send_many, opt_out, opted_out, messages_of
"""

from kefu.engine.outbound.actions import opt_out, send, send_many, unsubscribe_url
from kefu.engine.outbound.models import Channel, MessageState, OutboundMessage, Receipt
from kefu.engine.outbound.queries import messages_of, opted_out

__all__ = [
    "Channel",
    "MessageState",
    "OutboundMessage",
    "Receipt",
    "messages_of",
    "opt_out",
    "opted_out",
    "send",
    "send_many",
    "unsubscribe_url",
]
