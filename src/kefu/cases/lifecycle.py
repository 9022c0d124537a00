"""Declared lifecycle of a service case (CASE-3), its SLA clocks (SLA-2) and escalation chain (WF-6).

The closed loop: received → classified → routed (an owner and a deadline) → investigating →
solution → customer informed → revisit → closed → archived; `reopen` takes a case back to
investigating while the customer is not satisfied ("直到客户满意为止"). `answer` is the short path of
a matter solved at first contact (a consultation answered on the phone); a complaint cannot take it.

Clocks: first response and resolution run from receipt; next update runs while the case is being
handled and restarts with every reply to the customer. All pause while the case waits for the
customer (WF-3). The policy entry of each clock is chosen per case by `sla.choose` (kind × priority
× customer tier × channel); the declarations below name the general entry. A breach escalates one
level up the `case` chain and again after `cases.reescalate_after` until the top (ESC-1, WF-6).
"""

from kefu.cases.models import ClosureReport, Family, Satisfaction, SatisfactionSource
from kefu.engine.workflow.declare import EscalationChain, Level, Lifecycle, TimerSpec, Transition, register
from kefu.engine.workflow.resolvers import role_holders, supervisors_of


def handlers(case, *_):
    """Who is told of a coming or passed deadline: the owner, else the supervisors of the case's unit."""
    if case.owner_id:
        return [case.owner.user]
    return supervisors(case)


def supervisors(case, *_):
    """Level 1: the owner's supervisors; without an owner, the 客服主管 of the case's subsidiary."""
    found = supervisors_of("owner")(case) if case.owner_id else []
    return found or role_holders("cs_supervisor", unit_attr="unit")(case)


CHAIN = EscalationChain(
    "case",
    (
        Level("supervisor", "客服主管", "Supervisor", supervisors),
        Level(
            "cs_manager", "客服经理", "Customer-service manager", role_holders("cs_manager", unit_attr="unit")
        ),
        Level("leadership", "公司领导", "Leadership", role_holders("executive")),
    ),
    rule="ESC-1",
)


def _clock(name: str, key: str, label: str) -> TimerSpec:
    return TimerSpec(
        name,
        key,
        on_breach="escalate",
        chain="case",
        reescalate_key="cases.reescalate_after",
        notify=handlers,
        warn_at_key="sla.warn_at",  # warned when this share of the time has passed (80 %)
        pause_in_states=("waiting",),
        label_zh=label,
        rule="SLA-2",
    )


FIRST_RESPONSE = _clock("first_response", "sla.first_response", "首次响应时限")
NEXT_UPDATE = _clock("next_update", "sla.next_update", "进展更新时限")
RESOLUTION = _clock("resolution", "sla.resolution", "处理完结时限")
ONSITE = _clock("onsite", "sla.major_quality_onsite", "重大质量问题到场时限")
# SLA-1 "应在30分钟内通知办公室主管": stopped by `actions/notices.notify_office`, not by the handling
QUALITY_NOTICE = _clock("quality_notice", "sla.major_quality_notice", "重大质量问题通知办公室主管时限")
CLOCKS = (FIRST_RESPONSE, NEXT_UPDATE, RESOLUTION, ONSITE, QUALITY_NOTICE)
# CASE-8: the expected time told to the customer is a clock of its own (`actions/promises.py`)
EXPECTED = TimerSpec(
    "expected",
    "cases.expected_time_grace",
    on_breach="escalate",
    chain="case",
    notify=handlers,
    warn_at=None,
    label_zh="告知客户的预计处理时间",
    rule="CASE-8",
)
HANDLING = ("first_response", "next_update", "resolution", "onsite", "expected")

HANDLE = "case.handle"


def _not_a_complaint(case, data):
    if case.family == Family.COMPLAINT:
        return (
            "投诉须经调查、出具方案并答复客户，不能直接答复结案（CASE-3）",
            "A complaint is investigated and answered with a solution; it cannot be answered on the spot (CASE-3)",
        )
    return None


def _may_close(case, data):
    """CASE-3 "直到客户满意为止": a case closes on the customer's recorded answer — satisfied, said on
    the status page, in a survey or at a revisit — or on a revisit recorded as unreachable (never
    counted as satisfied); never while the customer, or the complaint's closure report, says not
    satisfied (docs/decisions.md, issue 13)."""
    if case.satisfied is False:
        return (
            "客户不满意，不能结案：请重新处理，直到客户满意为止（CASE-3）",
            "The customer is not satisfied: reopen and handle it until they are (CASE-3)",
        )
    report = ClosureReport.objects.filter(case=case).first() if case.family == Family.COMPLAINT else None
    if case.family == Family.COMPLAINT and report is None:
        return (
            "投诉结案须先填写结案报告（CASE-4）",
            "A complaint closes only with a closure report (CASE-4)",
        )
    if report is not None and report.satisfaction == Satisfaction.UNSATISFIED:
        return (
            "结案报告记录客户不满意，不能结案：请重新处理，直到客户满意为止（CASE-3）",
            "The closure report says the customer is not satisfied: reopen and handle it until they are (CASE-3)",
        )
    if case.satisfied is None and case.satisfaction_source != SatisfactionSource.UNREACHABLE:
        return (
            "尚未记录客户的意见，不能结案：须有客户表示满意的记录（查询页评价、满意度调查或回访），"
            "或记录回访无法联系（不计为满意）（CASE-3 直到客户满意为止）",
            "Nothing records what the customer said: close only once they said they are satisfied "
            "(status page, survey or revisit) or a revisit recorded them as unreachable (CASE-3)",
        )
    return None


def _move(name, source, target, zh, en, rule="CASE-3", **options) -> Transition:
    return Transition(
        name, source, target, zh, en, permission=options.pop("permission", HANDLE), rule=rule, **options
    )


CASE = Lifecycle(
    model="cases.Case",
    states={
        "received": ("已受理", "Received"),
        "classified": ("已分类", "Classified"),
        "routed": ("已分派", "Routed"),
        "investigating": ("处理中", "Investigating"),
        "waiting": ("等待客户", "Waiting for the customer"),
        "solution": ("已出方案", "Solution proposed"),
        "informed": ("已答复客户", "Customer informed"),
        "revisit": ("回访中", "Revisit"),
        "closed": ("已结案", "Closed"),
        "archived": ("已归档", "Archived"),
    },
    initial="received",
    labels={
        "owner": ("处理人", "owner"),
        "customer_reply": ("给客户的答复", "the reply to the customer"),
        "solution": ("解决方案", "the solution"),
    },
    transitions=(
        _move(
            "classify",
            ("received",),
            "classified",
            "分类",
            "Classify",
            fields=("priority", "category", "product"),
        ),
        _move(
            "route",
            ("received", "classified"),
            "routed",
            "分派",
            "Route",
            required=("owner",),
            fields=("owner",),
        ),
        _move(
            "accept",
            ("routed",),
            "investigating",
            "接单处理",
            "Start handling",
            start_timers=("next_update",),
        ),
        _move(
            "wait",
            ("investigating",),
            "waiting",
            "等待客户",
            "Wait for the customer",
            rule="SLA-2",
            required=("customer_reply",),
            fields=("customer_reply",),
        ),
        _move("resume", ("waiting",), "investigating", "继续处理", "Resume", rule="SLA-2"),
        _move(
            "propose",
            ("investigating",),
            "solution",
            "提出解决方案",
            "Propose a solution",
            required=("solution",),
            fields=("solution", "root_cause", "corrective_action"),
        ),
        _move(
            "inform",
            ("solution",),
            "informed",
            "答复客户",
            "Inform the customer",
            required=("customer_reply",),
            fields=("customer_reply",),
            stop_timers=HANDLING,
        ),
        _move(
            "answer",
            ("received", "classified", "routed", "investigating"),
            "informed",
            "当场答复",
            "Answer on the spot",
            required=("solution", "customer_reply"),
            fields=("solution", "customer_reply"),
            stop_timers=HANDLING,
            guard=_not_a_complaint,
        ),
        _move(
            "revisit",
            ("informed",),
            "revisit",
            "回访",
            "Revisit",
            fields=("satisfied", "satisfaction_source"),
        ),
        _move(
            "close",
            ("informed", "revisit"),
            "closed",
            "结案",
            "Close",
            fields=("satisfied", "satisfaction_source"),
            guard=_may_close,
        ),
        _move(
            "reopen",
            ("informed", "revisit", "closed"),
            "investigating",
            "重新处理（客户不满意）",
            "Reopen (customer not satisfied)",
            start_timers=("next_update",),
        ),
        _move("archive", ("closed",), "archived", "归档", "Archive"),
    ),
    timers=(*CLOCKS, EXPECTED),
    owner_field="owner",
    unit_field="unit",
    calendar_field="calendar",
    related=("owner__user", "unit"),  # who is told of a breach, where its supervisors are (issue 11)
    rule="CASE-3",
)

register(CHAIN, CASE)
