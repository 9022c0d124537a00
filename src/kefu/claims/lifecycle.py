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

from kefu.engine.workflow.declare import Lifecycle, TimerSpec, Transition, register
from kefu.engine.workflow.resolvers import person

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

register(CLAIM, REPORT)
