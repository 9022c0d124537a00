"""A leave request's lifecycle and approval chain (LV-2, LV-3, WF-4).

The approver is chosen by the request's length in days (LV-3, `leave.manager_approves_up_to`):
up to that many days the requester's supervisors (the department manager, 部门经理) decide; longer
the supervisors of those supervisors (上级领导). A manager's own leave therefore goes to their
superior by the same rule: a manager's supervisors are their superiors. Exactly 2.5 days — the seed
says "2天以内" and "3天以上" — goes to the superior: only "up to 2 days" is the manager's
(docs/decisions.md, "Leave of 2.5 days"). From `leave.superior_approves_from` days (3, "3天以上") the
superior decides whatever the manager's entry says. Each step is decided within `leave.approval_within`
(1 working day of the office calendar, LV-2); a late step warns the approvers and tells their
superiors (the engine's step deadline). The decision is filed with 行政部: the holders of the
`hr_admin` role in the requester's subsidiary are told of it.
"""

from decimal import Decimal

from kefu.engine.workflow.declare import ApprovalChain, Lifecycle, Step, Transition, register
from kefu.engine.workflow.resolvers import requester_second_line, requester_supervisors, role_holders

RULE = "LV-3"
DEADLINE_KEY = "leave.approval_within"
FILED_WITH = role_holders("hr_admin", unit_attr="unit")


def by_manager(inputs: dict) -> bool:
    """Up to `leave.manager_approves_up_to` days, and shorter than `leave.superior_approves_from` (a
    subsidiary that lowers the latter sends shorter leave to the superior: the stricter entry wins)."""
    days = Decimal(str(inputs.get("days", "0")))
    if "superior_from" in inputs and days >= Decimal(str(inputs["superior_from"])):
        return False
    return days <= Decimal(str(inputs.get("manager_up_to", "0")))


def by_superior(inputs: dict) -> bool:
    return not by_manager(inputs)


CHAIN = ApprovalChain(
    name="workforce.leave",
    label_zh="休息/请假审批",
    steps=(
        Step(
            "manager", "部门经理审批", "Department manager", requester_supervisors, DEADLINE_KEY, by_manager
        ),
        Step(
            "superior", "上级领导审批", "Manager's superior", requester_second_line, DEADLINE_KEY, by_superior
        ),
    ),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    also_told=lambda leave, step: FILED_WITH(leave),
    also_told_template="approval.decided",
    rule="WF-4",
)

LEAVE = Lifecycle(
    model="workforce.LeaveRequest",
    states={
        "pending": ("待审批", "Awaiting approval"),
        "approved": ("已批准", "Approved"),
        "rejected": ("已驳回", "Rejected"),
        "returned": ("已退回", "Returned"),
        "cancelled": ("已撤销", "Cancelled"),
    },
    initial="pending",
    owner_field="employee",
    unit_field="unit",
    rule=RULE,
    transitions=(
        Transition("approve", ("pending",), "approved", "审批通过", "Approved", system=True, rule=RULE),
        Transition("reject", ("pending",), "rejected", "审批驳回", "Rejected", system=True, rule=RULE),
        Transition("send_back", ("pending",), "returned", "审批退回", "Returned", system=True, rule=RULE),
    ),
)

register(CHAIN, LEAVE)
