"""The toy ticket's declarations: lifecycle, timers, escalation chain, approval chain (tests only).

Policy keys are real entries of the default pack, so the toy runs on the numbers the product ships.
"""

from decimal import Decimal

from kefu.engine.schedules import registry as schedules
from kefu.engine.schedules.registry import Schedule
from kefu.engine.workflow.declare import (
    ApprovalChain,
    EscalationChain,
    Level,
    Lifecycle,
    Step,
    TimerSpec,
    Transition,
    register,
)
from kefu.engine.workflow.resolvers import (
    person,
    requester_second_line,
    requester_supervisors,
    role_holders,
    supervisors_of,
)

RESOLVE_KEY = "leave.approval_within"  # 1 working day on the office calendar (LV-2)
NOTICE_KEY = "sla.major_quality_notice"  # 30 minutes, calendar time (SLA-1)
AUTOCLOSE_KEY = "claims.expiry_reminder_before"  # 2 days, calendar time (CLM-10)

ESCALATION = EscalationChain(
    name="toy.escalation",
    levels=(
        Level("supervisor", "主管", "Supervisor", supervisors_of("owner")),
        Level("manager", "客服经理", "Service manager", role_holders("cs_manager", unit_attr="unit")),
        Level("leadership", "公司领导", "Leadership", role_holders("executive")),
    ),
)

COMPENSATION = ApprovalChain(
    name="toy.compensation",
    label_zh="补偿审批",
    steps=(
        Step(
            "supervisor", "主管审批", "Supervisor approval", requester_supervisors, deadline_key=RESOLVE_KEY
        ),
        Step(
            "second_line",
            "上级领导审批",
            "Second-line approval",
            requester_second_line,
            deadline_key=RESOLVE_KEY,
            when=lambda inputs: Decimal(inputs.get("amount", "0")) > Decimal("500"),
        ),
    ),
    on_approved="approve",
    on_rejected="reject",
    on_returned="send_back",
    inputs=lambda ticket: {"amount": str(ticket.compensation or 0)},
)

AGENTS = ("agent", "cs_supervisor", "cs_manager")

LIFECYCLE = Lifecycle(
    model="toy.Ticket",
    states={
        "draft": ("草稿", "Draft"),
        "open": ("处理中", "Open"),
        "waiting": ("等待客户", "Waiting for customer"),
        "resolved": ("已解决", "Resolved"),
        "approval": ("审批中", "In approval"),
        "closed": ("已关闭", "Closed"),
    },
    initial="draft",
    labels={
        "title": ("标题", "the title"),
        "answer": ("答复", "the answer"),
        "compensation": ("补偿", "the compensation"),
    },
    transitions=(
        Transition(
            "submit",
            ("draft",),
            "open",
            "提交",
            "Submit",
            roles=AGENTS,
            required=("title",),
            fields=("title",),
            start_timers=("resolve", "notice"),
        ),
        Transition("wait", ("open",), "waiting", "等待客户", "Wait for customer", roles=AGENTS),
        Transition("resume", ("waiting",), "open", "继续处理", "Resume", roles=AGENTS),
        Transition(
            "resolve",
            ("open",),
            "resolved",
            "解决",
            "Resolve",
            permission="org.view",
            required=("answer",),
            fields=("answer", "compensation"),
            stop_timers=("resolve", "notice"),
            start_timers=("autoclose",),
        ),
        Transition(
            "request_compensation",
            ("resolved",),
            "approval",
            "申请补偿",
            "Request compensation",
            roles=AGENTS,
            required=("compensation",),
            fields=("compensation",),
            stop_timers=("autoclose",),
            approval="toy.compensation",
        ),
        Transition("approve", ("approval",), "closed", "审批通过", "Approved", system=True),
        Transition("reject", ("approval",), "resolved", "审批驳回", "Rejected", system=True),
        Transition("send_back", ("approval",), "resolved", "审批退回", "Returned", system=True),
        Transition("auto_close", ("resolved",), "closed", "自动关闭", "Closed automatically", system=True),
    ),
    timers=(
        TimerSpec(
            "resolve",
            RESOLVE_KEY,
            on_breach="escalate",
            chain="toy.escalation",
            reescalate_key=NOTICE_KEY,
            notify=person("owner"),
            pause_in_states=("waiting",),
        ),
        TimerSpec("notice", NOTICE_KEY, on_breach="notify", warn_at=None, notify=supervisors_of("owner")),
        TimerSpec("autoclose", AUTOCLOSE_KEY, on_breach="transition:auto_close", warn_at=None),
    ),
)

register(ESCALATION, COMPENSATION, LIFECYCLE)
schedules.register(Schedule("toy.weekly_review", "weekly:MON", run="tests.toy.tasks.weekly_review"))
