"""CUS-1 contacts: the key persons and other contacts of a customer (phones encrypted, blind-indexed)."""

from django.db import transaction

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Invalid
from kefu.customers.actions import blocks
from kefu.customers.models import Contact, Customer
from kefu.org import access


def save_contact(actor: Actor, customer: Customer, *, name: str, phone: str = "", **fields) -> Contact:
    """The contact row with its blind-indexed phone, and its audit row (the caller checked the rights)."""
    contact = Contact.objects.create(
        customer=customer,
        name=name.strip(),
        phone=phone,
        phone_index=blind_index(phone) if phone else "",
        **fields,
    )
    audit.record(
        actor,
        "customer.contact_add",
        customer,
        after=audit.snapshot(contact, ["name", "phone", "position", "is_key_person"]),
    )
    return contact


@transaction.atomic
def add_contact(
    actor: Actor,
    customer: Customer,
    *,
    name: str,
    phone: str = "",
    position: str = "",
    email: str = "",
    is_key_person: bool = True,
    notes: str = "",
) -> Contact:
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    if not (name or "").strip():
        raise Invalid("CUS-1.contact_name", "请填写联系人姓名", "The contact needs a name", {"name": "CUS-1"})
    return save_contact(
        actor,
        customer,
        name=name,
        phone=(phone or "").strip(),
        position=position,
        email=email,
        is_key_person=is_key_person,
        notes=notes,
    )
