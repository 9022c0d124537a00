"""The archive's side of a CUS-6 merge. Customer governance decides *whether* (the approval chain, no
live 报备 claim changing hands); `merge_customers` is the only write to the archive that follows. It
locks, writes, keeps field history and audits in one transaction."""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.actions import blocks
from kefu.customers.models import Contact, Customer

# survivor fields filled from the duplicate when the survivor has none (CUS-6)
MERGE_FILLS = [
    "phone",
    "id_number",
    "address",
    "emergency_contact",
    "company",
    "position",
    "needs",
    "qualifications",
]
# personal data cleared on the retired duplicate (it keeps its number, unit, owner and claims)
MERGE_CLEARS = ["phone", "phone_index", "id_number", "id_index", "address", "emergency_contact"]


@transaction.atomic
def merge_customers(actor: Actor, survivor: Customer, duplicate: Customer, *, reason: str = "") -> Customer:
    """CUS-6: retire `duplicate` into `survivor`, keeping ownership and claim history.

    The survivor keeps its owner; only an ownerless survivor takes the duplicate's (checked against
    the CUS-2 owner rule). Its empty fields are filled from the duplicate with field history (CUS-4);
    contacts move over. The duplicate keeps its number, owner and 报备 claims, loses its personal
    data and points at the survivor (`merged_into`), so the survivor's claim history includes it.
    Callers (customer governance) have checked the approval and that no live claim changes hands.
    """
    if survivor.pk == duplicate.pk:
        raise Invalid("CUS-6.same", "不能与自身合并", "A customer cannot be merged with itself")
    for customer in (survivor, duplicate):
        blocks.governed(actor, "customer.merge", customer)
    both = (
        Customer.objects.select_for_update(of=("self",))
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    )
    locked = {c.pk: c for c in both}
    keep, retire = locked[survivor.pk], locked[duplicate.pk]
    blocks.gone(keep)
    blocks.gone(retire)
    fills = {
        name: getattr(retire, name)
        for name in MERGE_FILLS
        if not getattr(keep, name) and getattr(retire, name)
    }
    if keep.owner_id is None and retire.owner_id is not None:
        fills["owner"] = retire.owner
    filled = blocks.apply(actor, keep, fills) if fills else []  # field history (CUS-4), rules, audit
    now = clock.now()
    moved = Contact.objects.filter(customer=retire).update(customer=keep)
    retired_before = audit.snapshot(retire, ["name", *MERGE_CLEARS])
    for name in MERGE_CLEARS:
        setattr(retire, name, "")
    retire.name = f"已合并至 #{keep.pk}"[:200]
    retire.merged_into = keep
    retire.destroyed_at = now
    retire.updated_at = now
    retire.save()
    audit.record(
        actor,
        "customer.merge",
        keep,
        reason=reason,
        after={"merged": retire.pk, "filled": filled, "owner": keep.owner_id, "contacts_moved": moved},
    )
    audit.record(
        actor,
        "customer.merged_into",
        retire,
        reason=reason,
        before=retired_before,
        after={"merged_into": keep.pk, "owner": retire.owner_id},
    )
    for target in (survivor, duplicate):
        fresh = locked[target.pk]
        for name in [*MERGE_FILLS, *MERGE_CLEARS, "name", "owner", "merged_into", "destroyed_at"]:
            setattr(target, name, getattr(fresh, name))
        target.updated_at = fresh.updated_at
    return keep
