"""Read paths of messages to customers (FUP-2), filtered by the caller's scope on the customer."""

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers.queries.archive import may_view
from kefu.engine.outbound.models import OptOut, OutboundMessage


def _visible(actor: Actor, customer) -> None:
    if not actor.is_system and not may_view(actor, customer):
        raise NotFound("客户", "customer")


def messages_of(actor: Actor, customer):
    """The messages to a customer, newest first (a customer out of the caller's scope answers 404)."""
    _visible(actor, customer)
    return (
        OutboundMessage.objects.filter(customer=customer)
        .select_related("contact")
        .order_by("-created_at", "-pk")
    )


def opted_out(actor: Actor, customer) -> bool:
    _visible(actor, customer)
    return OptOut.objects.filter(customer=customer).exists()
