"""CUS-4 change requests: sales and marketing propose changes to a customer; nothing changes until an
info officer (customer.verify) approves, and the approval applies them with field history."""

import json

from django.db import transaction

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import may_place
from kefu.customers import rules
from kefu.customers.actions import blocks
from kefu.customers.models import ChangeRequest, ChangeRequestState, Customer
from kefu.customers.queries import changes as requests
from kefu.org import access
from kefu.org.models import Employee, RoleAssignment, Unit

# roles whose changes go through a change request verified by the info officer (CUS-4)
REQUEST_ROLES = {"sales", "marketing"}


def needs_change_request(actor: Actor) -> bool:
    """CUS-4: whether the actor's changes must go through a change request (sales / marketing)."""
    user = actor.principal
    if user is None or user.is_superuser:
        return False
    employee = access.employee_of(user)
    if employee is None:
        return False
    codes = set(RoleAssignment.objects.filter(employee=employee).values_list("role__code", flat=True))
    return bool(codes & REQUEST_ROLES) and not access.can(actor, "customer.verify")


def _payload(changes: dict) -> str:
    def plain(value):
        if hasattr(value, "pk"):
            return value.pk
        return value

    return json.dumps({k: plain(v) for k, v in changes.items()}, ensure_ascii=False, default=str)


_FK = {"unit": Unit, "owner": Employee, "family_of": Employee}


def _resolve(changes: dict) -> dict:
    out = {}
    for name, value in changes.items():
        model = _FK.get(name)
        if model is not None and value not in (None, ""):
            value = model.objects.filter(pk=value).first()
            if value is None:
                raise Invalid(
                    "CUS-4.reference",
                    "引用的记录不存在",
                    "A referenced record does not exist",
                    {name: "CUS-4"},
                )
        out[name] = value
    return out


@transaction.atomic
def request_change(actor: Actor, customer: Customer, changes: dict, *, reason: str = "") -> ChangeRequest:
    """CUS-4: propose changes; nothing changes until an info officer approves."""
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    changes = blocks.without_masks(customer, changes)
    if changes.get("unit") not in (None, ""):
        unit = _resolve({"unit": changes["unit"]})["unit"]
        owner = _resolve({"owner": changes.get("owner") or customer.owner_id})["owner"]
        if not may_place(access.grants(actor, "customer.manage"), unit.path, getattr(owner, "pk", None)):
            raise NotFound("组织", "unit")  # issue 10: no request to move a customer out of scope
    unknown = set(changes) - set(rules.EDITABLE)
    if unknown or not changes:
        raise Invalid(
            "CUS-4.empty",
            "CUS-4：变更申请须包含至少一个有效字段",
            "CUS-4: a change request needs at least one known field",
            {"fields": "CUS-4"},
        )
    request = ChangeRequest.objects.create(
        customer=customer,
        fields=sorted(changes),
        payload=_payload(changes),
        reason=reason,
        requested_by=actor.user,
        requested_at=clock.now(),
    )
    audit.record(
        actor,
        "customer.change_request",
        customer,
        after={"request": request.pk, "fields": request.fields},
        reason=reason,
    )
    return request


def _pending(actor: Actor, request: ChangeRequest) -> ChangeRequest:
    access.require(actor, "customer.verify")
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("customer__unit")
        .get(pk=request.pk)
    )
    blocks.require_in_scope(actor, "customer.verify", locked.customer)
    if locked.state != ChangeRequestState.PENDING:
        raise Invalid(
            "CUS-4.decided", "CUS-4：该变更申请已处理", "CUS-4: this change request was already decided", {}
        )
    return locked


@transaction.atomic
def approve_change(actor: Actor, request: ChangeRequest) -> ChangeRequest:
    """CUS-4: the info officer verifies; the proposed values are applied with field history."""
    locked = _pending(actor, request)
    blocks.apply(actor, locked.customer, _resolve(requests.proposed(locked)), request=locked)
    locked.state, locked.decided_by, locked.decided_at = ChangeRequestState.APPROVED, actor.user, clock.now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(actor, "customer.change_approve", locked.customer, after={"request": locked.pk})
    return locked


@transaction.atomic
def reject_change(actor: Actor, request: ChangeRequest, reason: str) -> ChangeRequest:
    locked = _pending(actor, request)
    if not (reason or "").strip():
        raise Invalid(
            "CUS-4.reason", "CUS-4：驳回须写明原因", "CUS-4: a rejection needs a reason", {"reason": "CUS-4"}
        )
    locked.state, locked.decided_by, locked.decided_at = ChangeRequestState.REJECTED, actor.user, clock.now()
    locked.decision_reason = reason.strip()
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        actor, "customer.change_reject", locked.customer, after={"request": locked.pk}, reason=reason
    )
    return locked
