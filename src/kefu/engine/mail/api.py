"""The public Python API of e-mail in and out (CASE-2). See docs/engine.md, "E-mail in and out".

from kefu.engine.mail.api import ingest, register_handler, send_external, find_reference
"""

from kefu.engine.mail.actions_inbound import ingest, register_handler, unregister_handler
from kefu.engine.mail.actions_outbound import send_external
from kefu.engine.mail.models import InboundAttachment, InboundMail, InboundState, OutboundMail, OutboundState
from kefu.engine.mail.references import Reference, find_reference, reference_token

__all__ = [
    "InboundAttachment",
    "InboundMail",
    "InboundState",
    "OutboundMail",
    "OutboundState",
    "Reference",
    "find_reference",
    "ingest",
    "reference_token",
    "register_handler",
    "send_external",
    "unregister_handler",
]
