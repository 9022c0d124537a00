"""Borrowing cards and access requests (SEC-4)."""

from datetime import datetime

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.governance.actions.common import _employee, _purpose, record_routing
from kefu.customers.governance.lifecycle import ACCESS, ACCESS_DEADLINE_KEY
from kefu.customers.governance.models import (
    AccessKind,
    AccessRequest,
    Borrowing,
)
from kefu.customers.models import Customer
from kefu.engine.notifications.api import notify
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import EmploymentStatus

# ---- SEC-4 borrowing ------------------------------------------------------------------------------


def borrow(actor: Actor, customer: Customer, *, purpose: str, due_at: datetime) -> Borrowing:
    """Open a 借阅卡: only 经理及以上 (`customer.borrow`) over the customer's unit (SEC-4)."""
    access.require(actor, "customer.borrow")
    if not access.record_in_scope(actor, "customer.borrow", unit=customer.unit, owner_id=customer.owner_id):
        raise NotFound("客户", "customer")
    purpose = _purpose(purpose)
    now = clock.now()
    if due_at <= now:
        raise Invalid(
            "SEC-4.due",
            "归还日期须晚于现在（SEC-4）",
            "The due date must be in the future (SEC-4)",
            {"due_at": "past"},
        )
    with transaction.atomic():
        card = Borrowing.objects.create(
            customer=customer,
            borrower=_employee(actor),
            unit=customer.unit,
            purpose=purpose,
            borrowed_at=now,
            due_at=due_at,
        )
        audit.record(
            actor,
            "customer.borrow",
            customer,
            reason=purpose,
            after={"borrowing": card.pk, "due_at": due_at.isoformat()},
        )
        decisions.record(
            card,
            rule="SEC-4",
            outcome=f"lent until {due_at:%Y-%m-%d %H:%M} / 借出",
            inputs={"borrower": card.borrower.name, "permission": "customer.borrow", "due_at": due_at},
            policy_version=None,
            clause=BORROW_CLAUSE,
            actor=actor,
        )
    return card


BORROW_CLAUSE = "仅经理及以上人员有权借阅客户档案,借阅时须填写借阅卡"


def return_borrowing(actor: Actor, card: Borrowing) -> Borrowing:
    with transaction.atomic():
        card = Borrowing.objects.select_for_update(of=("self",)).get(pk=card.pk)
        if card.returned_at is not None:
            raise Conflict("SEC-4.returned", "该档案已归还", "This dossier was already returned")
        employee = access.employee_of(actor.principal)
        if card.borrower_id != getattr(employee, "pk", None) and not access.record_in_scope(
            actor, "customer.borrow", unit=card.unit, owner_id=None
        ):
            raise NotFound("借阅记录", "borrowing")
        card.returned_at = clock.now()
        card.save(update_fields=["returned_at"])
        audit.record(
            actor, "customer.borrow.return", card, after={"returned_at": card.returned_at.isoformat()}
        )
    return card


def notify_overdue_borrowings() -> int:
    """Sweep: tell the borrower and their supervisors once when a dossier is overdue (SEC-4)."""
    count = 0
    now = clock.now()
    with transaction.atomic():
        due = (
            Borrowing.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(returned_at__isnull=True, due_at__lte=now, overdue_notified_at__isnull=True)
            .select_related("borrower__user", "customer")[:100]
        )
        for card in due:
            people = [card.borrower.user] + [
                s.user
                for s in card.borrower.supervisors.filter(status=EmploymentStatus.ACTIVE).select_related(
                    "user"
                )
            ]
            notify(
                people,
                "customer_governance.borrowing_overdue",
                {"borrower": card.borrower.name, "customer": f"#{card.customer_id}", "due_at": card.due_at},
                obj=card,
                link="/customers/governance/borrowings/",
            )
            card.overdue_notified_at = now
            card.save(update_fields=["overdue_notified_at"])
            decisions.record(
                card,
                rule="SEC-4",
                outcome="overdue: borrower and supervisors notified / 逾期未还，已通知借阅人及其上级",
                inputs={
                    "due_at": card.due_at,
                    "checked_at": now,
                    "notified": [u.get_username() for u in people],
                },
                policy_version=None,
                clause=BORROW_CLAUSE,
            )
            audit.record(Actor.system("worker"), "customer.borrow.overdue", card)
            count += 1
    return count


# ---- SEC-4 access requests ---------------------------------------------------------------------------


def request_access(
    actor: Actor, *, kind: str, purpose: str, customer: Customer | None = None
) -> AccessRequest:
    """Ask to consult statistics or the archive; the department manager signs (SEC-4).

    A request starts an approval chain: a write, so customer.view must come from a role that may act —
    a supervisory-only role views the archive but files nothing (ORG-4). A named customer must be one
    the requester may act on."""
    if kind not in AccessKind.values:
        raise Invalid("SEC-4.kind", "查阅类型无效", "Unknown access kind", {"kind": kind})
    access.require_write(actor, "customer.view")
    if customer is not None and not (
        access.write_in_scope(actor, "customer.view", unit=customer.unit, owner_id=customer.owner_id)
        or (
            customer.specialist_id is not None
            and access.write_in_scope(actor, "customer.view", unit=None, owner_id=customer.specialist_id)
        )
    ):
        raise NotFound("客户", "customer")
    employee = _employee(actor)
    purpose = _purpose(purpose)
    with transaction.atomic():
        request = AccessRequest.objects.create(
            requester=employee,
            unit=employee.unit,
            kind=kind,
            purpose=purpose,
            customer=customer,
            created_at=clock.now(),
        )
        audit.record(actor, "customer.access_request", request, reason=purpose, after={"kind": kind})
        workflow.start_approval(actor, request, ACCESS.name)
        deadline = lookup(ACCESS_DEADLINE_KEY, unit=employee.unit)
        record_routing(
            actor,
            request,
            rule="SEC-4",
            clause="凡索取客户信息统计资料及档案时,需各部门经理签字后,向客服部申请查阅",
            extra={"sign_within": f"{deadline.key} = {decisions.applied_text(deadline)}"},
        )
    return request
