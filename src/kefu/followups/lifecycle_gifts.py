"""The holiday gift list's lifecycle and approval chain (CARE-2, WF-4).

A list is drafted, submitted (→ 待审批) and approved by the subsidiary's customer-service manager
(holders of `care.approve` working in the list's subsidiary); the requester never approves their own
list (a 客服经理's own list goes up to their superior: the engine's WF-4 fallback). It must be approved
BEFORE the holiday: the approving transition is refused on or after the holiday's day.
"""

from kefu.core import clock
from kefu.engine.workflow.declare import ApprovalChain, Lifecycle, Step, Transition, register
from kefu.org.models import Employee, EmploymentStatus, Role

RULE = "CARE-2"


def approvers(gift_list, *_):
    """Active holders of `care.approve` (not supervisory-only) inside the list's subsidiary."""
    codes = [r.code for r in Role.objects.all() if "care.approve" in (r.permissions or [])]
    people = Employee.objects.filter(
        role_assignments__role__code__in=codes,
        role_assignments__role__supervisory_only=False,
        status=EmploymentStatus.ACTIVE,
        unit__path__startswith=gift_list.unit.path,
    ).select_related("user")
    return [e.user for e in people.distinct()]


def before_holiday(gift_list, data) -> tuple[str, str] | None:
    if clock.today() >= gift_list.occasion_on:
        return (
            f"节日礼品清单须在节日（{gift_list.occasion_on:%Y-%m-%d}）前审批，节日当天及之后不能再批准（CARE-2）",
            f"A holiday gift list is approved before the holiday ({gift_list.occasion_on:%Y-%m-%d}) (CARE-2)",
        )
    return None


CHAIN = ApprovalChain(
    name="followups.gift_list",
    label_zh="节日礼品清单审批",
    steps=(Step("cs_manager", "客服经理审批", "Customer-service manager", approvers),),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    rule="WF-4",
)

GIFT_LIST = Lifecycle(
    model="followups.GiftList",
    states={
        "draft": ("草稿", "Draft"),
        "pending": ("待审批", "Awaiting approval"),
        "approved": ("已批准", "Approved"),
        "rejected": ("已驳回", "Rejected"),
        "returned": ("已退回", "Returned"),
    },
    initial="draft",
    owner_field="owner",
    unit_field="unit",
    rule=RULE,
    transitions=(
        Transition(
            "approve",
            ("pending",),
            "approved",
            "审批通过",
            "Approved",
            system=True,
            guard=before_holiday,
            rule=RULE,
        ),
        Transition("reject", ("pending",), "rejected", "审批驳回", "Rejected", system=True, rule=RULE),
        Transition("send_back", ("pending",), "returned", "审批退回", "Returned", system=True, rule=RULE),
    ),
)

register(CHAIN, GIFT_LIST)
