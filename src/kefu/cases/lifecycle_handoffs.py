"""Cross-department 报备 of a case (CASE-8), as its own declared lifecycle.

"相关部门收到客服报备后,应确认收到并及时进行处理。如果报备信息不清晰或不完整,相关部门可与客服部门进行沟通,
以补充或澄清相关信息。…如果无法在短时间内给出解决方案,需要向客服部门说明原因,并告知预计的处理时间。
客服部门应及时将反馈结果及处理时间告知客户。…相关部门需要将处理过程和结果进行总结,并编写结案报告。"
[000 · 客服报备方案 (2) §3.2–3.4]

sent → acknowledged (within `cases.handoff_ack_within`, else the receivers, their managers and the
sender are told) → clarifying ⇄ acknowledged (the sender answers) → solved, or deferred (reason and
expected time; the customer is told) → solved → closed with a closure report. The receiving
department's moves need `case.handle` within the handoff's unit; the sender's answer is checked in
`actions/handoffs.py` (the case's owner, or `case.manage` over the case).
"""

from django.db.models import Prefetch

from kefu.engine.workflow.declare import EscalationChain, Level, Lifecycle, TimerSpec, Transition, register
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role

RULE = "CASE-8"
RECEIVE = "case.handle"


def holders_over(permission: str, unit) -> list:
    """Active people whose roles give `permission` over `unit` (not through the own scope)."""
    codes = [r.code for r in Role.objects.all() if permission in (r.permissions or [])]
    people = (
        Employee.objects.filter(role_assignments__role__code__in=codes, status=EmploymentStatus.ACTIVE)
        .select_related("user")
        .distinct()
    )
    return [
        e.user
        for e in people
        if access.record_in_scope(
            access.actor_for(e.user, origin="resolver"), permission, unit=unit, owner_id=None
        )
    ]


def receivers(handoff, *_):
    """Who acts for the receiving department: holders of `case.handle` over its unit."""
    return holders_over(RECEIVE, handoff.unit)


def watchers(handoff, *_):
    """Told when the acknowledgement is late: the receivers, their managers and the sender."""
    people = receivers(handoff) + holders_over("case.manage", handoff.unit)
    if handoff.sent_by_id:
        people.append(handoff.sent_by)
    return list(dict.fromkeys(people))


def heads(handoff, *_):
    """The receiving department's head: its people at the top of its own supervisor line (ORG-2);
    when they are the very people who were late (a one-person department), their superiors."""
    staff = list(
        Employee.objects.filter(unit__path__startswith=handoff.unit.path, status=EmploymentStatus.ACTIVE)
        .select_related("user")
        .prefetch_related(Prefetch("supervisors", queryset=Employee.objects.select_related("user")))
    )
    inside = {e.pk for e in staff}
    top = [e for e in staff if not any(s.pk in inside for s in e.supervisors.all())]
    late = set(receivers(handoff))
    if top and not {e.user for e in top} <= late:
        return [e.user for e in top]
    return list(
        dict.fromkeys(s.user for e in top for s in e.supervisors.all() if s.status == EmploymentStatus.ACTIVE)
    )


# a late acknowledgement goes up once, to the receiving department's head (CASE-8)
CHAIN = EscalationChain(
    "handoff", (Level("department_head", "接收部门负责人", "Receiving department's head", heads),), rule=RULE
)

ACKNOWLEDGE = TimerSpec(
    "acknowledge",
    "cases.handoff_ack_within",
    on_breach="escalate",
    chain="handoff",
    notify=watchers,
    label_zh="报备确认收到时限",
    rule=RULE,
)


def _move(name, source, target, zh, en, **options) -> Transition:
    options.setdefault("permission", RECEIVE)
    return Transition(name, source, target, zh, en, rule=RULE, **options)


HANDOFF = Lifecycle(
    model="cases.Handoff",
    states={
        "sent": ("已报备", "Sent"),
        "acknowledged": ("已确认收到", "Acknowledged"),
        "clarifying": ("待澄清", "Clarification asked"),
        "deferred": ("已说明原因与预计时间", "Reason and expected time given"),
        "solved": ("已给出方案", "Solution given"),
        "closed": ("已结案", "Closed with report"),
    },
    initial="sent",
    labels={
        "question": ("需澄清的问题", "the question"),
        "clarification": ("澄清内容", "the clarification"),
        "solution": ("处理方案", "the solution"),
        "reason": ("原因", "the reason"),
        "expected_at": ("预计处理时间", "the expected time"),
        "report": ("结案报告", "the closing report"),
    },
    transitions=(
        _move(
            "acknowledge", ("sent",), "acknowledged", "确认收到", "Acknowledge", stop_timers=("acknowledge",)
        ),
        _move(
            "clarify",
            ("acknowledged", "deferred"),
            "clarifying",
            "要求补充或澄清",
            "Ask for clarification",
            required=("question",),
            fields=("question",),
        ),
        _move(
            "answer",
            ("clarifying",),
            "acknowledged",
            "补充说明",
            "Answer the clarification",
            permission=None,  # the sender: checked by actions_handoffs.answer_clarification
            required=("clarification",),
            fields=("clarification",),
        ),
        _move(
            "solve",
            ("acknowledged", "deferred"),
            "solved",
            "给出处理方案",
            "Give a solution",
            required=("solution",),
            fields=("solution",),
        ),
        _move(
            "defer",
            ("acknowledged", "deferred"),  # again: a new expected time (CASE-8, `actions/promises.py`)
            "deferred",
            "说明原因并告知预计时间",
            "Give the reason and an expected time",
            required=("reason", "expected_at"),
            fields=("reason", "expected_at"),
        ),
        _move(
            "close",
            ("solved",),
            "closed",
            "编写结案报告并结案",
            "Close with a closure report",
            required=("report",),
            fields=("report",),
        ),
    ),
    timers=(ACKNOWLEDGE,),
    owner_field="owner",
    unit_field="unit",
    rule=RULE,
)

register(CHAIN, HANDOFF)
