"""Merging duplicate customers by approval (CUS-6)."""

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.governance.actions.common import _purpose
from kefu.customers.governance.lifecycle import MERGE
from kefu.customers.governance.models import (
    MergeRequest,
)
from kefu.customers.models import Contact, Customer
from kefu.engine.workflow import actions as workflow
from kefu.engine.workflow import approvals
from kefu.org import access

# ---- CUS-6 merges -----------------------------------------------------------------------------------------


def live_claim_holder(customer: Customer):
    """The employee id holding a live 报备 claim on the customer, or None (claims app, when present)."""
    try:
        from kefu.claims.queries import live_claim_for
    except ImportError:
        return None
    claim = live_claim_for(customer)
    if claim is None:
        return None
    for attr in ("holder_id", "owner_id", "employee_id", "registrant_id"):
        if getattr(claim, attr, None) is not None:
            return getattr(claim, attr)
    return customer.owner_id


def _check_merge(survivor: Customer, duplicate: Customer) -> None:
    if survivor.pk == duplicate.pk:
        raise Invalid("CUS-6.same", "不能与自身合并", "A customer cannot be merged with itself")
    for c in (survivor, duplicate):
        if c.destroyed_at is not None:
            raise Conflict("CUS-6.gone", "该客户已销毁或已合并", "That customer is destroyed or merged")
    for moving in (duplicate, survivor):
        holder = live_claim_holder(moving)
        if holder is not None and holder != survivor.owner_id:
            raise Invalid(
                "CUS-6.protected",
                f"客户 #{moving.pk} 在报备保护期内，合并会把它转给他人，不予合并（CUS-6）",
                f"Customer #{moving.pk} is under a live claim; the merge would move it to someone else (CUS-6)",
            )


def request_merge(actor: Actor, survivor: Customer, duplicate: Customer, *, reason: str) -> MergeRequest:
    """Ask to merge `duplicate` into `survivor`; approved by `customer.merge` holders (CUS-6)."""
    for c in (survivor, duplicate):
        if not any(
            access.record_in_scope(actor, code, unit=c.unit, owner_id=c.owner_id)
            for code in ("customer.manage", "customer.merge")
        ):
            raise NotFound("客户", "customer")
    reason = _purpose(reason, "reason")
    _check_merge(survivor, duplicate)
    with transaction.atomic():
        request = MergeRequest.objects.create(
            survivor=survivor,
            duplicate=duplicate,
            unit=survivor.unit,
            requested_by=actor.principal,
            reason=reason,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "customer.merge.request",
            request,
            reason=reason,
            after={"survivor": survivor.pk, "duplicate": duplicate.pk},
        )
        approvals.start_approval(actor, request, MERGE.name)
    return request


def _carry_out_merge(request: MergeRequest) -> None:
    survivor = Customer.objects.select_for_update().get(pk=request.survivor_id)
    duplicate = Customer.objects.select_for_update().get(pk=request.duplicate_id)
    _check_merge(survivor, duplicate)
    now = clock.now()
    before = audit.snapshot(survivor, ["owner", "phone", "id_number", "company", "address"])
    if survivor.owner_id is None and duplicate.owner_id is not None:
        survivor.owner_id = duplicate.owner_id
    for name in (
        "phone",
        "phone_index",
        "id_number",
        "id_index",
        "address",
        "emergency_contact",
        "company",
        "position",
        "needs",
        "qualifications",
    ):
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    survivor.updated_at = now
    survivor.save()
    Contact.objects.filter(customer=duplicate).update(customer=survivor)
    for name in ("phone", "phone_index", "id_number", "id_index", "address", "emergency_contact"):
        setattr(duplicate, name, "")
    duplicate.name = f"已合并至 #{survivor.pk}"[:200]
    duplicate.destroyed_at = now
    duplicate.updated_at = now
    duplicate.save()
    system = Actor.system(f"merge {request.pk}")
    workflow.transition(system, request, "carry_out", reason="CUS-6")
    audit.record(
        system,
        "customer.merge",
        survivor,
        before=before,
        after={
            **audit.snapshot(survivor, ["owner", "phone", "id_number", "company", "address"]),
            "merged": duplicate.pk,
        },
    )
