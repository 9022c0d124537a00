"""CUS-7 assignment and first contact: assign a specialist (the least-loaded one unless named) and
record contacts; the first contact after an assignment stops the first-contact timer (the workflow
declared in `customers/lifecycle.py`)."""

from datetime import datetime

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.actions import blocks
from kefu.customers.models import AssignmentState, ContactRecord, Customer
from kefu.customers.queries import assignment as assignments
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee


@transaction.atomic
def assign(actor: Actor, customer: Customer, specialist: Employee | None = None) -> Customer:
    """CUS-7: assign to `specialist`, or to the least-loaded active specialist of the subsidiary.

    The workflow transition `assign` records the move in the history, audits it and (re)starts the
    first-contact timer with its warning; the choice and its load are kept as a decision record.
    """
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    pool = assignments.candidates(customer)
    if specialist is None:
        chosen = pool.first()
        if chosen is None:
            raise Invalid(
                "CUS-7.no_specialist",
                "CUS-7：本公司没有可分配的客服专员",
                "CUS-7: no active specialist to assign",
                {},
            )
    else:
        chosen = pool.filter(pk=specialist.pk).first()
        if chosen is None:
            raise Invalid(
                "CUS-7.not_specialist",
                "CUS-7：只能分配给本公司在职的客服专员或销售",
                "CUS-7: assign only to an active specialist or sales person of the customer's subsidiary",
                {"specialist": "CUS-7"},
            )
    moved = workflow.transition(
        actor, customer, "assign", data={"specialist": chosen}, reason=f"CUS-7 → {chosen.name}"
    )
    now = clock.now()
    Customer.objects.filter(pk=moved.pk).update(updated_at=now)
    timer = assignments.first_contact_timer(moved)
    entry = lookup("customers.first_contact_within", at=timer.started_at, unit=moved.unit)
    decisions.record_from_entry(
        moved,
        entry,
        outcome=f"分配给 {chosen.name} / assigned to {chosen.name}",
        inputs={
            "chosen": chosen.pk,
            "load": getattr(chosen, "load", None),
            "requested": specialist.pk if specialist else None,
            "first_contact_due": timer.due_at,
            "warn_at": timer.warn_at,
        },
        actor=actor,
    )
    customer.specialist, customer.assignment_state, customer.updated_at = chosen, moved.assignment_state, now
    return customer


@transaction.atomic
def record_contact(
    actor: Actor, customer: Customer, note: str, *, at: datetime | None = None
) -> ContactRecord:
    """CUS-7 备案: record a contact; the first one after an assignment makes the transition `contact`,
    which stops the first-contact timer."""
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    if not (note or "").strip():
        raise Invalid("CUS-7.note", "CUS-7：请填写沟通记录", "CUS-7: describe the contact", {"note": "CUS-7"})
    when = at or clock.now()
    record = ContactRecord.objects.create(customer=customer, at=when, by=actor.user, note=note.strip())
    locked = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    if locked.assignment_state == AssignmentState.ASSIGNED:
        locked = workflow.transition(actor, locked, "contact", reason="CUS-7 首次沟通 / first contact")
    locked.last_contact_at = when
    locked.save(update_fields=["last_contact_at"])
    customer.last_contact_at, customer.assignment_state = locked.last_contact_at, locked.assignment_state
    audit.record(actor, "customer.contact_record", customer, after={"record": record.pk})
    return record
