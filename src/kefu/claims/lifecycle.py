"""Declared lifecycles of 报备 records (WF-1): claims (CLM-3, CLM-5, CLM-6, CLM-9, CLM-10) and
customer-process reports (CLM-11).

Claim timers: `expiry` runs from the registration (or from the deposit, CLM-3) to `protected_until`;
its breach makes the system transition `expire` and writes a decision record. It has no warning: the
CLM-10 reminder is the claim's `remind_at` (`protected_until − claims.expiry_reminder_before`), sent by
`actions.remind_due` with its own message (`claims.expiry_reminder`) and its own decision record.

Moves whose authority depends on the person (the claimant of a dispute, the ruling holder of
`claim.rule`, the department supervisor of a report) are checked in `actions.py` before
`transition()` is called; transitions made only by timers are `system`.
"""

from kefu.engine.workflow.declare import ApprovalChain, Lifecycle, Step, TimerSpec, Transition, register
from kefu.engine.workflow.resolvers import person, requester_supervisors

EXPIRY = TimerSpec(
    "expiry",
    "claims.walk_in_protection",  # a deposit claim's timer is started with claims.deposit_protection
    on_breach="transition:expire",
    warn_at=None,
    notify=person("owner"),
    label_zh="报备保护期",
    rule="CLM-5",
)

CLAIM = Lifecycle(
    model="claims.Claim",
    states={
        "live": ("保护中", "Protected"),
        "expired": ("已过期", "Expired"),
        "released": ("已释放", "Released"),
        "signed": ("已签单", "Signed"),
        "invalid": ("无效", "Invalid"),
        "disputed": ("撞单争议中", "Disputed"),
    },
    initial="live",
    transitions=(
        # a dispute does not extend the period: the timer ends a disputed claim too
        Transition(
            "expire",
            ("live", "disputed"),
            "expired",
            "保护期届满",
            "Protection ended",
            system=True,
            rule="CLM-5",
        ),
        Transition(
            "expire_now",
            ("live",),
            "expired",
            "提前终止保护",
            "End protection now",
            rule="CLM-5",
            permission="claim.manage",
            stop_timers=("expiry",),
        ),
        Transition(
            "release",
            ("live",),
            "released",
            "释放客户",
            "Release the customer",
            rule="CLM-5",
            permission="claim.manage",
            stop_timers=("expiry",),
        ),
        Transition("dispute", ("live",), "disputed", "发起撞单争议", "Raise a clash", rule="CLM-6"),
        Transition("uphold", ("disputed",), "live", "裁定：报备人胜", "Ruled: owner keeps", rule="CLM-6"),
        Transition(
            "invalidate",
            ("disputed", "live"),
            "invalid",
            "裁定：报备无效",
            "Ruled: claim invalid",
            rule="CLM-6",
            stop_timers=("expiry",),
        ),
        Transition("sign", ("live",), "signed", "签单", "Signed", rule="CLM-9", stop_timers=("expiry",)),
    ),
    timers=(EXPIRY,),
)

REPORT = Lifecycle(
    model="claims.ProcessReport",
    states={
        "submitted": ("已提交", "Submitted"),
        "verified": ("已审核", "Verified"),
        "assigned": ("已分派", "Assigned"),
        "following": ("跟进中", "Following up"),
        "archived": ("已归档", "Archived"),
        "rejected": ("审核不通过", "Not genuine"),
    },
    initial="submitted",
    labels={
        "review_note": ("审核说明", "the review note"),
        "assignee": ("跟进人", "the assignee"),
        "feedback": ("跟进反馈", "the feedback"),
    },
    transitions=(
        Transition(
            "verify",
            ("submitted",),
            "verified",
            "审核属实",
            "Verified as genuine",
            rule="CLM-11",
            fields=("review_note",),
        ),
        Transition(
            "reject",
            ("submitted",),
            "rejected",
            "审核不属实",
            "Not genuine",
            rule="CLM-11",
            required=("review_note",),
            fields=("review_note",),
        ),
        Transition(
            "assign",
            ("verified",),
            "assigned",
            "分派跟进人",
            "Assign a follow-up employee",
            rule="CLM-11",
            required=("assignee",),
            fields=("assignee",),
        ),
        Transition(
            "feedback",
            ("assigned", "following"),
            "following",
            "记录沟通与反馈",
            "Record contact and feedback",
            rule="CLM-11",
            required=("feedback",),
            fields=("feedback",),
        ),
        Transition("archive", ("following",), "archived", "归档", "Archive", rule="CLM-11"),
    ),
)

# CLM-11 销售方案: submitted by the report's follow-up employee, approved by their superior (上级领导: the
# author's supervisors; nobody, or the author themself → the engine's WF-4 fallback one level up). The
# engine moves the plan by the system transitions when the chain ends; a revision supersedes the
# earlier version, so it needs its own approval before it may be used.
PLAN_CLAUSE = "完成销售方案后,销售或市场部门应将销售方案报备给上级领导或相关部门审批,并将报备结果反馈给客户"

PLAN_CHAIN = ApprovalChain(
    name="claims.sales_plan",
    label_zh="销售方案审批",
    steps=(Step("superior", "上级领导审批", "The author's superior", requester_supervisors),),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    rule="CLM-11",
)

PLAN = Lifecycle(
    model="claims.SalesPlan",
    states={
        "pending": ("审批中", "Awaiting approval"),
        "approved": ("已批准", "Approved"),
        "rejected": ("已驳回", "Rejected"),
        "returned": ("已退回", "Returned"),
        "superseded": ("已被修订", "Replaced by a revision"),
    },
    initial="pending",
    owner_field="author",
    unit_field="unit",
    rule="CLM-11",
    transitions=(
        Transition(
            "approve", ("pending",), "approved", "方案审批通过", "Plan approved", system=True, rule="CLM-11"
        ),
        Transition(
            "reject", ("pending",), "rejected", "方案审批驳回", "Plan rejected", system=True, rule="CLM-11"
        ),
        Transition(
            "send_back", ("pending",), "returned", "方案审批退回", "Plan returned", system=True, rule="CLM-11"
        ),
        Transition(
            "supersede",
            ("approved", "rejected", "returned"),
            "superseded",
            "方案已修订",
            "Replaced by a revision",
            rule="CLM-11",  # only by the author's revision (actions.plans checks who)
        ),
    ),
)

register(CLAIM, REPORT, PLAN, PLAN_CHAIN)
