"""Merging duplicate customers by approval (CUS-6)."""

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.actions import merges as archive_merges
from kefu.customers.governance import claims
from kefu.customers.governance.actions.common import _purpose, record_routing
from kefu.customers.governance.lifecycle import MERGE
from kefu.customers.governance.models import (
    MergeRequest,
)
from kefu.customers.models import Customer
from kefu.engine.workflow import api as workflow
from kefu.org import access

# ---- CUS-6 merges -----------------------------------------------------------------------------------------


def live_claim_holder(customer: Customer):
    """The employee id holding a live 报备 claim on the customer or on a customer merged into it, or
    None (as the claims app tells, `governance.claims`)."""
    claim = claims.live_claim_in_merge_group(customer)
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
        workflow.start_approval(actor, request, MERGE.name)
        record_routing(
            actor,
            request,
            rule="CUS-6",
            clause="合并须经审批，保留归属与报备历史；合并不得成为抢客户的手段",
            extra={
                "survivor_owner": survivor.owner_id,
                "live_claims": "none would change hands / 无保护期内客户转手",
            },
        )
    return request


def _carry_out_merge(request: MergeRequest) -> None:
    """Carry out an approved merge through the archive's action; the live-claim rule is checked again
    under the lock, so a claim taken during the approval still refuses it (CUS-6)."""
    survivor = Customer.objects.select_for_update(of=("self",)).get(pk=request.survivor_id)
    duplicate = Customer.objects.select_for_update(of=("self",)).get(pk=request.duplicate_id)
    _check_merge(survivor, duplicate)
    owner_before = survivor.owner_id
    system = Actor.system(f"merge {request.pk}")
    archive_merges.merge_customers(system, survivor, duplicate, reason=f"合并申请 #{request.pk}")
    workflow.transition(system, request, "carry_out", reason="CUS-6")
    decisions.record(
        request,
        rule="CUS-6",
        outcome=f"merged #{duplicate.pk} into #{survivor.pk}",
        inputs={
            "survivor": survivor.pk,
            "duplicate": duplicate.pk,
            "owner_kept": owner_before if owner_before is not None else survivor.owner_id,
            "owner_from": "survivor" if owner_before is not None else "duplicate",
            "claims": "stay on the duplicate, shown with the survivor / 报备记录保留在原客户名下，随保留客户展示",
            "live_claims": "none moved to another owner / 未将保护期内客户转给他人",
        },
        policy_version=None,
        clause="合并须经审批，保留归属与报备历史；合并不得成为抢客户的手段",
        source="SPEC CUS-6",
    )
