"""The archive's side of a CUS-8 import: every row checked with the rules of `create_customer` (or, for
a customer already in the archive, of `update_customer`) before anything is committed, then each row
created, or the customer updated, with its contacts. Customer governance runs the import (upload,
batches, the error report)."""

import copy

from django.db import transaction

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers.actions import archive, blocks
from kefu.customers.actions import contacts as contact_actions
from kefu.customers.models import Customer, CustomerKind
from kefu.org import access
from kefu.org.models import Employee, Unit


def check_new_customer(
    *,
    unit: Unit,
    kind: str = CustomerKind.PERSON,
    owner: Employee | None = None,
    roles_cache: dict | None = None,
    **values,
) -> None:
    """Every rule `create_customer` would apply to these values (name, phone, address, kind and the
    other EDITABLE fields), writing nothing; raises Invalid.

    CUS-8: an import checks each row with it before committing anything, so that no row fails late
    (issue 11: the import commits in batches). `roles_cache` (employee id → roles) spares reading an
    owner's roles once per row.
    """
    blocks.check_known(values)
    values = {"kind": kind, **values}
    archive.new_customer(clock.now(), unit=unit, owner=owner, values=values, roles_cache=roles_cache)


@transaction.atomic
def import_customer(actor: Actor, *, unit: Unit, contacts: list[dict] = (), **fields) -> Customer:
    """CUS-8: one imported row — the customer, with every rule of `create_customer`, and its contacts
    (key persons), audited. Customer governance calls it inside the all-or-nothing import as the
    system actor after checking `customer.import` over `unit`; people need that permission themselves."""
    if not actor.is_system:
        access.require(actor, "customer.import")
        if not access.unit_in_scope(actor, "customer.import", unit):
            raise NotFound("单位", "unit")
        actor = Actor.system(f"import · {actor.name}")
    customer = archive.create_customer(actor, unit=unit, **fields)
    for contact in contacts:
        phone = (contact.get("phone") or "").strip()
        contact_actions.save_contact(
            actor,
            customer,
            name=contact["name"],
            phone=phone,
            position=contact.get("position", ""),
            is_key_person=True,
        )
    return customer


def check_update(customer: Customer, changes: dict, *, roles_cache: dict | None = None) -> None:
    """Every rule `update_customer` would apply to `customer` changed by `changes` (SEC-2: a mask equal
    to the customer's own means unchanged, CUS-1, CUS-2 — the owner rule too —, SEC-3), writing
    nothing; raises Invalid. CUS-8: an import updating customers already in the archive (issue 13)."""
    blocks.check_known(changes)
    draft = copy.copy(customer)
    for name, value in blocks.without_masks(customer, changes).items():
        setattr(draft, name, blocks.coerce(name, value))
    blocks.check_rules(draft, roles_cache=roles_cache)


@transaction.atomic
def update_imported(
    actor: Actor, customer: Customer, changes: dict, *, contacts: list[dict] = ()
) -> list[str]:
    """CUS-8: a row of an import naming a customer already in the archive, with "update" chosen: the
    filled cells change the customer (field history, CUS-4; audited) and a key person not yet among its
    contacts (by name) is added. Customer governance calls it as the system actor after checking
    `customer.import` over the customer's unit. Returns the changed field names."""
    if not actor.is_system:
        raise NotFound("客户", "customer")  # people change a customer through update_customer
    changed = blocks.apply(actor, customer, changes)
    known = {name.strip() for name in customer.contacts.values_list("name", flat=True)}
    for contact in contacts:
        if contact["name"].strip() in known:
            continue
        contact_actions.save_contact(
            actor,
            customer,
            name=contact["name"],
            phone=(contact.get("phone") or "").strip(),
            position=contact.get("position", ""),
            is_key_person=True,
        )
        changed.append("contacts")
    return changed
