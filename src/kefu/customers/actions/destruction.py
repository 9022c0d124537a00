"""The archive's side of a SEC-8 destruction (and, through the outbound gateway's action, the messages
sent to the customer). Customer governance decides *whether* (three approvals,
the SEC-7 retention); `wipe_customer` is the only write to the archive that follows. It locks,
writes and audits in one transaction."""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.actions import archive, blocks
from kefu.customers.models import ChangeRequest, Contact, ContactRecord, Customer, CustomerChange
from kefu.engine.outbound import actions as outbound

# what a destruction wipes from the customer row (SEC-8)
WIPE_FIELDS = [
    "name",
    "phone",
    "phone_index",
    "id_number",
    "id_index",
    "address",
    "emergency_contact",
    "gender",
    "birthday",
    "position",
    "company",
    "qualifications",
    "needs",
    "contact_window",
    "family_of",
    "region",
    "assets",
    "founded_on",
    "annual_amount",
]


@transaction.atomic
def wipe_customer(actor: Actor, customer: Customer, *, reason: str = "") -> Customer:
    """SEC-8: irreversibly wipe a customer's personal data — the row's WIPE_FIELDS, its contacts, the
    values in its field history, proposed changes and contact notes. Category A is never wiped.
    Customer governance calls it after the three approvals and the SEC-7 retention check."""
    blocks.governed(actor, "customer.destroy", customer)
    locked = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    blocks.gone(locked)
    if not archive.can_be_deleted(locked):
        raise Invalid(
            "SEC-8.category_a",
            "A 类客户一经登陆，不得删除（SEC-8）",
            "Audience-category A customers are never deleted (SEC-8)",
        )
    now = clock.now()
    for name in WIPE_FIELDS:
        field = locked._meta.get_field(name)
        setattr(locked, field.attname, None if field.null else "")
    locked.name = f"已销毁客户 #{locked.pk}"
    locked.destroyed_at = now
    locked.updated_at = now
    locked.save()
    contacts = 0
    for contact in Contact.objects.filter(customer=locked):
        contact.name, contact.position, contact.phone, contact.phone_index = "已销毁", "", "", ""
        contact.email, contact.birthday, contact.notes = "", None, ""
        contact.save()
        contacts += 1
    # what the archive kept about it: field history values, proposed changes, contact notes
    CustomerChange.objects.filter(customer=locked).update(old="", new="")
    ChangeRequest.objects.filter(customer=locked).update(payload="", reason="", decision_reason="")
    ContactRecord.objects.filter(customer=locked).update(note="已销毁")
    # the messages sent to it (revisits, surveys, greetings): the outbound gateway's own purge
    messages = outbound.purge_customer(actor, locked)
    audit.record(
        actor,
        "customer.destroy",
        locked,
        reason=reason,
        after={
            "fields": WIPE_FIELDS,
            "contacts": contacts,
            "outbound_messages": messages,
            "destroyed_at": now.isoformat(),
        },
    )
    for name in [*WIPE_FIELDS, "destroyed_at", "updated_at"]:
        field = locked._meta.get_field(name)
        setattr(customer, field.attname, getattr(locked, field.attname))
    return customer
