"""Read paths of the mail queues (CASE-2): for whoever holds `audit.view` for the whole group.

Mail to and from the service addresses belongs to no single unit, so a narrower audit scope does
not see it.
"""

from kefu.core.actor import Actor
from kefu.core.errors import PermissionDenied
from kefu.engine.mail.models import InboundMail, OutboundMail
from kefu.org import access


def is_admin(actor: Actor) -> bool:
    return any(grant.scope == "group" for grant in access.grants(actor, "audit.view"))


def check_admin(actor: Actor) -> None:
    if not is_admin(actor):
        raise PermissionDenied()


def inbound(actor: Actor, *, state: str = ""):
    check_admin(actor)
    qs = InboundMail.objects.defer("text", "headers").prefetch_related("attachments")
    return qs.filter(state=state) if state else qs


def outbound(actor: Actor, *, state: str = ""):
    check_admin(actor)
    qs = OutboundMail.objects.defer("body")
    return qs.filter(status=state) if state else qs
