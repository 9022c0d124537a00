"""Retention (SEC-7) and destruction after three approvals (SEC-8)."""

from django.db import transaction
from django.db.models import Max

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.decisions import record_from_entry
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.actions import archive as archive_actions
from kefu.customers.actions import destruction as archive_destruction
from kefu.customers.governance import queries
from kefu.customers.governance.actions.common import _purpose, record_routing
from kefu.customers.governance.lifecycle import DESTRUCTION, self_routed_steps
from kefu.customers.governance.models import (
    DestructionLog,
    DestructionRequest,
)
from kefu.customers.models import ContactRecord, Customer, CustomerChange
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.org import access

# ---- SEC-7 retention and SEC-8 destruction --------------------------------------------------------------


def _last_touched(customer: Customer):
    """The latest of creation, last change, last contact and the newest interaction record (SEC-7)."""
    moments = [customer.created_at, customer.updated_at, customer.last_contact_at]
    moments.append(ContactRecord.objects.filter(customer=customer).aggregate(at=Max("at"))["at"])
    moments.append(CustomerChange.objects.filter(customer=customer).aggregate(at=Max("changed_at"))["at"])
    return max(m for m in moments if m is not None)


def check_retention(customer: Customer) -> None:
    """SEC-7: refuse destroying a customer touched less than `retention.min_months` ago."""
    entry = lookup("retention.min_months", at=customer.created_at, unit=customer.unit)
    last_touched = _last_touched(customer)
    kept_until = entry.due(last_touched)
    if clock.now() < kept_until:
        raise Invalid(
            "SEC-7.retention",
            f"该客户的记录须保存至少 {entry.display('zh-hans')}，{kept_until:%Y-%m-%d} 前不得销毁（SEC-7）",
            f"Records must be kept at least {entry.display('en')}; not destroyable before "
            f"{kept_until:%Y-%m-%d} (SEC-7)",
        )


def _check_destroyable(customer: Customer) -> None:
    if customer.destroyed_at is not None:
        raise Conflict("SEC-8.destroyed", "该客户资料已销毁", "This customer's data was already destroyed")
    if not archive_actions.can_be_deleted(customer):
        raise Invalid(
            "SEC-8.category_a",
            "A 类客户一经登陆，不得删除（SEC-8）",
            "Audience-category A customers are never deleted (SEC-8)",
        )
    check_retention(customer)


def request_destruction(actor: Actor, customer: Customer, *, reason: str) -> DestructionRequest:
    """Open the three-step destruction approval (SEC-8), after the SEC-7 and category-A checks."""
    if not (access.can(actor, "customer.destroy") or access.can(actor, "customer.manage")):
        access.require(actor, "customer.destroy")
    if not any(
        access.record_in_scope(actor, code, unit=customer.unit, owner_id=customer.owner_id)
        for code in ("customer.destroy", "customer.manage")
    ):
        raise NotFound("客户", "customer")
    reason = _purpose(reason, "reason")
    _check_destroyable(customer)
    required = lookup("security.destruction_approvals", unit=customer.unit)
    if len(DESTRUCTION.steps) < required.value:
        raise Invalid(
            "SEC-8.chain", "销毁审批步骤少于制度要求", "The chain has fewer steps than policy requires"
        )
    with transaction.atomic():
        request = DestructionRequest.objects.create(
            customer=customer,
            unit=customer.unit,
            requested_by=actor.principal,
            reason=reason,
            created_at=clock.now(),
        )
        audit.record(
            actor, "customer.destruction.request", request, reason=reason, after={"customer": customer.pk}
        )
        workflow.start_approval(actor, request, DESTRUCTION.name)
        requester = access.employee_of(actor.principal)
        routed = self_routed_steps(request, requester)
        extra = {"customer": customer.pk}
        if routed:
            extra["self_request"] = (
                f"申请人即{'、'.join(ROLE_LABELS[r] for r in routed)}，该级核准改由其最近的上级办理"
                f" / the requester holds {', '.join(routed)}: that approval goes to their nearest superior"
            )
        record_routing(actor, request, rule="SEC-8", clause=required.clause, extra=extra, entry=required)
    return request


ROLE_LABELS = {"info_supervisor": "客户信息主管", "cs_manager": "客服部经理"}


WIPED = archive_destruction.WIPE_FIELDS  # what a destruction clears (the archive's list)


def _carry_out_destruction(request: DestructionRequest) -> DestructionLog:
    _request, steps = queries.approval_steps(request)
    customer = Customer.objects.select_for_update(of=("self",)).get(pk=request.customer_id)
    required = lookup("security.destruction_approvals", unit=customer.unit)
    approved = [s for s in steps if s.status == "approved"]
    if len(approved) < required.value or [s.name for s in approved] != [s.name for s in DESTRUCTION.steps]:
        raise Conflict(
            "SEC-8.approvals",
            "销毁须经三级依次核准（SEC-8）",
            "Destruction needs the three approvals in order (SEC-8)",
        )
    _check_destroyable(customer)
    system = Actor.system(f"destruction {request.pk}")
    archive_destruction.wipe_customer(system, customer, reason=f"销毁申请 #{request.pk}")
    now = customer.destroyed_at
    log = DestructionLog.objects.create(
        request=request,
        customer_ref=f"客户 #{customer.pk}",
        unit=customer.unit,
        fields=WIPED,
        approvals=[
            {
                "step": s.name,
                "label": s.label_zh,
                "by": s.decided_by.get_username(),
                "on_behalf_of": s.on_behalf_of.get_username() if s.on_behalf_of else "",
                "at": s.decided_at.isoformat(),
            }
            for s in approved
        ],
        requested_by=request.requested_by.get_username(),
        destroyed_at=now,
        policy_version=required.version,
    )
    workflow.transition(system, request, "carry_out", reason="SEC-8")
    audit.record(system, "customer.destruction.log", log, after={"customer": customer.pk, "fields": WIPED})
    record_from_entry(request, required, outcome="destroyed", inputs={"approvals": len(approved)})
    return log
