"""Compensation to a customer (CASE-4) and its approval chain (WF-4).

A request is pending until the chain ends; the engine then moves it by the system transitions
`approve`, `reject` or `send_back`. Steps are chosen by amount when the request is opened:
- the customer-service manager — holders of `case.compensate` working in the case's subsidiary
  (客服经理) — always;
- above `cases.compensation_manager_up_to` also company leadership (the executive role).
The requester never approves their own request (the engine leaves them out); a 客服经理's own request
goes up to their superior (the engine's WF-4 fallback, docs/engine.md).
"""

from decimal import Decimal

from kefu.engine.workflow.declare import ApprovalChain, Lifecycle, Step, Transition, register
from kefu.engine.workflow.resolvers import role_holders
from kefu.org.models import Employee, EmploymentStatus, Role, Unit

RULE = "CASE-4"
DEADLINE_KEY = "cases.compensation_approval_within"


def subsidiary_compensators(compensation, *_):
    """Active holders of `case.compensate` whose unit lies in the case's subsidiary (客服经理)."""
    unit = compensation.unit
    anchor = Unit.objects.filter(pk__in=unit.ancestor_ids(), kind="subsidiary").first() or unit
    codes = [r.code for r in Role.objects.all() if "case.compensate" in (r.permissions or [])]
    people = Employee.objects.filter(
        role_assignments__role__code__in=codes,
        role_assignments__role__supervisory_only=False,
        status=EmploymentStatus.ACTIVE,
        unit__path__startswith=anchor.path,
    ).select_related("user")
    return [e.user for e in people.distinct()]


def above_threshold(inputs: dict) -> bool:
    return Decimal(str(inputs.get("amount", "0"))) > Decimal(str(inputs.get("threshold", "0")))


CHAIN = ApprovalChain(
    name="cases.compensation",
    label_zh="客户赔偿审批",
    steps=(
        Step(
            "cs_manager",
            "客服经理审批",
            "Customer-service manager",
            subsidiary_compensators,
            deadline_key=DEADLINE_KEY,
        ),
        Step(
            "leadership",
            "公司领导审批",
            "Company leadership",
            role_holders("executive"),
            deadline_key=DEADLINE_KEY,
            when=above_threshold,
        ),
    ),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    rule="WF-4",
)

COMPENSATION = Lifecycle(
    model="cases.Compensation",
    states={
        "pending": ("待审批", "Awaiting approval"),
        "approved": ("已批准", "Approved"),
        "rejected": ("已驳回", "Rejected"),
        "returned": ("已退回", "Returned"),
    },
    initial="pending",
    owner_field="owner",
    unit_field="unit",
    rule=RULE,
    transitions=(
        Transition("approve", ("pending",), "approved", "审批通过", "Approved", system=True, rule=RULE),
        Transition("reject", ("pending",), "rejected", "审批驳回", "Rejected", system=True, rule=RULE),
        Transition("send_back", ("pending",), "returned", "审批退回", "Returned", system=True, rule=RULE),
    ),
)

register(CHAIN, COMPENSATION)
