"""The caller's history on 新建工单 (issue 13): who is calling, from the phone number the agent typed.

The customer is looked up by blind index within the receiving unit's subsidiary (`find_by_phone`, as
intake links a new case) and shown only to a reader who may see it (customer.view in scope, issue 10:
a phone never reveals a customer), its phone masked (SEC-2). The cases listed are those the reader
may see (`cases()`), linked to that customer or taken from that phone. The 报备 status is CLM-1's
pre-check answer — protected and until when; the owner's name only for `may_see_owner`.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from kefu.cases.models import OPEN_STATES, Case
from kefu.cases.queries.intake import cases
from kefu.claims.queries import register as claim_register
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, mask_phone, normalise_phone
from kefu.customers.models import Customer
from kefu.customers.queries import archive as customer_queries
from kefu.customers.queries import masks as customer_masks
from kefu.org.models import Unit

OPEN_SHOWN = 10  # open cases listed: the caller's live business, not a history to browse
RECENT_SHOWN = 5  # closed cases listed, newest first
PHONE_DIGITS = 7  # the shortest number looked up (as the archive's phone search)


@dataclass
class Caller:
    phone: str  # as typed, normalised (the reader typed it: nothing is decrypted for it)
    masked_phone: str
    customer: Customer | None = None
    open_cases: list[Case] = field(default_factory=list)
    recent_cases: list[Case] = field(default_factory=list)
    claim: dict | None = None  # CLM-1: {"protected", "until"[, "owner"]}


def looked_up(phone: str) -> str:
    """The number to look up (digits, no country prefix), or "" when it is too short to be one."""
    digits = normalise_phone(phone or "")
    return digits if len(digits) >= PHONE_DIGITS else ""


def caller(actor: Actor, phone: str, *, unit: Unit) -> Caller | None:
    """The caller with this phone as `actor` may see them, for a case received by `unit`; None for no
    number. Its open cases and its most recent closed ones, newest first."""
    phone = looked_up(phone)
    if not phone:
        return None
    customer = customer_queries.find_by_phone(phone, within=unit)
    if customer is not None and not customer_queries.may_view(actor, customer):
        customer = None  # the phone does not reveal a customer the reader may not see
    linked = Q(contact_phone_index=blind_index(phone))
    if customer is not None:
        linked |= Q(customer_id=customer.pk)
    theirs = cases(actor).filter(linked)
    open_cases = theirs.filter(state__in=OPEN_STATES).order_by("-received_at", "-pk")[:OPEN_SHOWN]
    recent = theirs.exclude(state__in=OPEN_STATES).order_by("-received_at", "-pk")[:RECENT_SHOWN]
    return Caller(
        phone=phone,
        masked_phone=customer_masks.masked_phone(customer) if customer else mask_phone(phone),
        customer=customer,
        open_cases=list(open_cases),
        recent_cases=list(recent),
        claim=claim_register.protection(actor, phone),
    )
