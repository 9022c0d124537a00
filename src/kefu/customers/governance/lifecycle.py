"""Declarations of the archive's approvals (SEC-4, SEC-8, CUS-6): lifecycles and approval chains.

Approvers, resolved when a request is opened:
- access requests (SEC-4, "需各部门经理签字"): the requester's direct supervisors and the holders of the
  客服经理 role (cs_manager) in the requester's subsidiary — for someone with neither (集团办公室), the
  engine's WF-4 fallback: the group's leadership; the step's deadline is SEC-4's own policy entry
  `security.archive_access_approval_within` (1 working day, 本系统默认值: the seeds give no time);
- destruction (SEC-8): 客户信息主管 (info_supervisor role) and 客服部经理 (cs_manager role) in the
  customer's subsidiary, then the 总经理 (holders of the executive role on the general_manager post);
  when the requester is the only holder of a step's role, that step goes to the requester's nearest
  superior who approves no other step (the info supervisor's own request → their superior);
- merges (CUS-6): everyone whose roles give `customer.merge` over the customers' unit.
The engine never lets requesters approve their own request.
"""

from django.contrib.auth import get_user_model

from kefu.core.actor import Actor
from kefu.engine.workflow.declare import ApprovalChain, Lifecycle, Step, Transition, register
from kefu.engine.workflow.resolvers import requester_supervisors, role_holders, superiors_above
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role

User = get_user_model()

ACCESS_DEADLINE_KEY = "security.archive_access_approval_within"


def department_managers(obj, requester):
    people = requester_supervisors(obj, requester) + role_holders("cs_manager", unit_attr="unit")(obj)
    return list(dict.fromkeys(people))


def general_managers(obj, *_):
    people = Employee.objects.filter(
        post__code="general_manager",
        role_assignments__role__code="executive",
        status=EmploymentStatus.ACTIVE,
    ).select_related("user")
    return [e.user for e in people.distinct()]


def merge_approvers(obj, *_):
    codes = [r.code for r in Role.objects.all() if "customer.merge" in (r.permissions or [])]
    people = (
        Employee.objects.filter(role_assignments__role__code__in=codes, status=EmploymentStatus.ACTIVE)
        .select_related("user")
        .distinct()
    )
    return [
        e.user
        for e in people
        if access.record_in_scope(Actor(user=e.user), "customer.merge", unit=obj.unit, owner_id=None)
    ]


def destruction_step(role_code: str):
    """SEC-8 approvers of one step: the holders of `role_code` in the customer's subsidiary. When the
    requester is the only holder (e.g. the 客户信息主管 asks to destroy), the requester's nearest
    superior who approves no other step takes this approval, so three different people still approve
    in turn ("分别核准") and nobody approves their own request."""

    def resolve(obj, requester):
        holders = role_holders(role_code, unit_attr="unit")(obj)
        mine = getattr(requester, "user_id", None)
        others = [u for u in holders if u.pk != mine]
        if others or not holders:
            return others
        busy = {
            u.pk
            for name, first_choice in _DESTRUCTION_HOLDERS.items()
            if name != role_code
            for u in first_choice(obj)
        }
        return superiors_above(requester, busy | {mine})

    return resolve


# the first choice of approver for each SEC-8 step, before any self-request routing
_DESTRUCTION_HOLDERS = {
    "info_supervisor": role_holders("info_supervisor", unit_attr="unit"),
    "cs_manager": role_holders("cs_manager", unit_attr="unit"),
    "general_manager": general_managers,
}


def self_routed_steps(obj, requester) -> list[str]:
    """Names of the SEC-8 steps whose role the requester holds alone (routed to a superior)."""
    if requester is None:
        return []
    return [
        name
        for name in ("info_supervisor", "cs_manager")
        if [u.pk for u in _DESTRUCTION_HOLDERS[name](obj)] == [requester.user_id]
    ]


STATES = {
    "pending": ("审批中", "In approval"),
    "approved": ("已批准", "Approved"),
    "rejected": ("已驳回", "Rejected"),
    "returned": ("已退回", "Returned"),
    "done": ("已执行", "Carried out"),
}


def _lifecycle(model: str, rule: str) -> Lifecycle:
    return Lifecycle(
        model=model,
        states=STATES,
        initial="pending",
        owner_field=None,
        rule=rule,
        transitions=(
            Transition("approve", ("pending",), "approved", "审批通过", "Approved", system=True, rule=rule),
            Transition("reject", ("pending",), "rejected", "审批驳回", "Rejected", system=True, rule=rule),
            Transition("send_back", ("pending",), "returned", "审批退回", "Returned", system=True, rule=rule),
            Transition("carry_out", ("approved",), "done", "执行", "Carried out", system=True, rule=rule),
            Transition(
                "refuse",
                ("approved",),
                "rejected",
                "执行时被规则拒绝",
                "Refused when carried out",
                system=True,
                rule=rule,
            ),
        ),
    )


ACCESS = ApprovalChain(
    name="customer_governance.access",
    label_zh="查阅档案申请",
    steps=(
        Step(
            "department_manager",
            "部门经理签字",
            "Department manager's signature",
            department_managers,
            deadline_key=ACCESS_DEADLINE_KEY,
        ),
    ),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    rule="SEC-4",
)

DESTRUCTION = ApprovalChain(
    name="customer_governance.destruction",
    label_zh="客户资料销毁审批",
    steps=(
        Step(
            "info_supervisor",
            "客户信息主管核准",
            "Customer information supervisor",
            destruction_step("info_supervisor"),
        ),
        Step(
            "cs_manager",
            "客服部经理核准",
            "Customer service manager",
            destruction_step("cs_manager"),
        ),
        Step("general_manager", "总经理核准", "General manager", general_managers),
    ),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    rule="SEC-8",
)

MERGE = ApprovalChain(
    name="customer_governance.merge",
    label_zh="重复客户合并审批",
    steps=(Step("merge", "合并审批", "Merge approval", merge_approvers),),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    rule="CUS-6",
)

register(
    _lifecycle("customer_governance.AccessRequest", "SEC-4"),
    _lifecycle("customer_governance.DestructionRequest", "SEC-8"),
    _lifecycle("customer_governance.MergeRequest", "CUS-6"),
    ACCESS,
    DESTRUCTION,
    MERGE,
)
