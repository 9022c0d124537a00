"""CUS-1 contacts of a customer as the caller may read them (phones masked, SEC-2)."""

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.customers.models import Customer
from kefu.customers.queries import masks


def contacts(actor: Actor, customer: Customer) -> list[dict]:
    """The customer's contacts with phones masked unless the actor may see full data (audited)."""
    full = masks.may_see_full(actor, customer)
    rows = list(customer.contacts.all())
    if full and any(c.phone for c in rows):
        audit.record_read(actor, customer, fields=["contacts.phone"], purpose="查看联系人 / view contacts")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "position": c.position,
            "phone": masks.shown("phone", c.phone, full),
            "email": c.email,
            "is_key_person": c.is_key_person,
            "notes": c.notes,
        }
        for c in rows
    ]
