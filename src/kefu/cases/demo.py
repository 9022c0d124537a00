"""Demo service cases (`kefu demo load`): every kind and state, some overdue and escalated, with
comments, transfers, a closure report and a cross-department 报备, so the workbench is alive on first
start.

Everything goes through the actions as the people concerned, so numbers, routing, clocks, audit
events and decision records are real. Older cases are received with the clock set back
(`clock.frozen_at`); the timer sweep then runs at the present, as the worker would, so the overdue
ones are escalated level by level exactly as in production.
"""

from datetime import timedelta

from kefu.cases import actions
from kefu.cases.actions import complaints as actions_complaints
from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.actions import routing as actions_routing
from kefu.cases.demo_config import load_case_config
from kefu.cases.models import Case
from kefu.core import clock
from kefu.engine.workflow.actions import deadlines
from kefu.knowledge.demo import load_knowledge
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

PEOPLE = ["zhaomin", "sunli", "wujing", "lina", "wangfang", "lvxin", "xuhao", "gaofeng"]


def _people() -> dict:
    return {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _new(by, *, days_ago: float = 0, **fields):
    fields.setdefault("channel", "phone")
    with clock.frozen_at(clock.now() - timedelta(days=days_ago)):
        case, _ = actions.create_case(_as(by), unit=by.unit, **fields)
    return case


def _steps(case, *moves):
    """Make transitions as the case's current owner: (name, data) or (name, data, reason)."""
    for move in moves:
        name, data, *reason = move
        case = actions.act(_as(case.owner), case, name, data=data, reason=reason[0] if reason else "")
    return case


def load_cases(actor) -> dict:
    people = _people()
    if len(people) < len(PEOPLE) or Case.objects.exists():
        return {"cases": 0}
    load_case_config(actor)
    load_knowledge(actor)
    p = people
    made = []

    # 咨询: answered on the spot and closed; another waiting for the customer's contract number
    answered = _new(
        p["zhaomin"],
        days_ago=2,
        kind="consultation",
        title="咨询云栖三期交房时间",
        description="客户询问云栖三期的交房时间与交房流程。",
        contact={"name": "钱先生", "phone": "13512340001"},
        identity_verified=True,
    )
    answered = _steps(
        answered,
        (
            "answer",
            {
                "solution": "查询交房计划：2027 年 6 月分批交房",
                "customer_reply": "预计 2027 年 6 月交房，届时短信通知",
            },
        ),
        ("close", {"satisfied": True}),
    )
    made.append(answered)
    waiting = _new(
        p["sunli"],
        days_ago=1,
        kind="consultation",
        title="咨询购房合同备案进度",
        contact={"name": "孙女士", "phone": "13512340002"},
    )
    waiting = _steps(
        waiting, ("accept", {}), ("wait", {"customer_reply": "请提供购房合同编号，以便查询备案进度"})
    )
    made.append(waiting)

    # 投诉: a major one escalated at once (ESC-1), one under investigation and overdue, one closed with a report
    major = _new(
        p["zhaomin"],
        days_ago=1,
        kind="complaint",
        major=True,
        priority="urgent",
        channel="walk_in",
        title="重大质量投诉：3 幢外墙渗水",
        description="业主反映 3 幢 1202 室外墙渗水，墙面发霉，情绪激动。",
        contact={"name": "周先生", "phone": "13512340003"},
        identity_verified=True,
    )
    actions.comment(_as(major.owner), major, "已联系工程部，明日上午到场查看。", public=False)
    made.append(major)
    overdue = _new(
        p["sunli"],
        days_ago=9,
        kind="complaint",
        title="物业维修人员态度差",
        description="客户投诉维修师傅上门态度恶劣，维修不彻底。",
        contact={"name": "吴女士", "phone": "13512340004"},
    )
    overdue = _steps(overdue, ("accept", {}))
    actions_complaints.mark_staff_caused(_as(p["wujing"]), overdue, p["sunli"], "attitude")
    made.append(overdue)
    closed = _new(
        p["zhaomin"],
        days_ago=6,
        kind="complaint",
        channel="email",
        title="车位交付延期",
        description="合同约定车位 10 月交付，至今未交付。",
        contact={"name": "郑先生", "phone": "13512340005", "email": "zheng@example.com"},
    )
    closed = _steps(
        closed,
        ("accept", {}),
        (
            "propose",
            {
                "solution": "协调工程部加快施工，延期期间免收车位管理费",
                "root_cause": "施工单位进度滞后",
                "corrective_action": "每周通报工程进度",
            },
        ),
        ("inform", {"customer_reply": "车位将于 12 月 15 日前交付，延期期间免收管理费"}),
    )
    actions_complaints.write_closure_report(
        _as(closed.owner),
        closed,
        solution_type="improve",
        solution="加快施工并减免管理费",
        time_spent_minutes=180,
        preventive_measures="工程进度周报制度，延期提前告知客户",
        satisfaction="satisfied",
        resources="工程部、物业部",
    )
    closed = _steps(closed, ("close", {"satisfied": True}))
    made.append(closed)

    # 意见建议 by e-mail, 反馈 informed and in revisit, 求助, 报修 overdue (escalated by the sweep)
    made.append(
        _new(
            p["zhaomin"],
            kind="suggestion",
            channel="email",
            title="建议小区增设电动车充电桩",
            extra={"proposer": "业委会 陈先生"},
            contact={"name": "陈先生", "email": "chen@example.com"},
        )
    )
    feedback = _new(
        p["sunli"],
        days_ago=3,
        kind="feedback",
        title="反馈：售楼处停车场指示不清",
        contact={"name": "冯女士", "phone": "13512340006"},
    )
    feedback = _steps(
        feedback,
        ("accept", {}),
        ("propose", {"solution": "增设指示牌两处"}),
        ("inform", {"customer_reply": "已增设指示牌，感谢您的反馈"}),
        ("revisit", {}),
    )
    made.append(feedback)
    made.append(
        _new(
            p["zhaomin"],
            kind="help_request",
            channel="walk_in",
            title="客户在售楼处遗失钱包",
            extra={"topic": "失物"},
            contact={"name": "褚先生", "phone": "13512340007"},
        )
    )
    repair = _new(
        p["zhaomin"],
        days_ago=5,
        kind="repair",
        channel="web",
        title="报修：地下车库照明损坏",
        extra={"location": "2 号地库 B 区"},
        contact={"name": "卫女士", "phone": "13512340008"},
    )
    made.append(repair)

    # a transfer and a bounce (CASE-6), a cross-department 报备 answered with a reason and a date (CASE-8)
    bounced = _new(
        p["zhaomin"],
        days_ago=1,
        kind="consultation",
        title="咨询物业费减免政策",
        contact={"name": "蒋先生", "phone": "13512340009"},
    )
    holder = bounced.owner
    actions_routing.transfer(_as(holder), bounced, reason="涉及收费争议，转投诉组", to_owner=p["wujing"])
    actions_routing.transfer(
        _as(p["wujing"]), bounced, reason="非投诉，属政策咨询，退回热线", to_owner=holder
    )
    made.append(bounced)
    handoff_case = _new(
        p["zhaomin"],
        days_ago=1,
        kind="service_request",
        title="申请开具购房发票",
        contact={"name": "沈女士", "phone": "13512340010"},
    )
    handoff_case = _steps(handoff_case, ("accept", {}))
    finance = Unit.objects.get(code="realty-finance")
    handoff = actions_handoffs.send(
        _as(handoff_case.owner), handoff_case, finance, "客户申请开具购房发票，请财务部办理"
    )
    made.append(handoff_case)

    # important event and internal problem report (CASE-1), a rescue call on the 24-hour line
    made.append(
        _new(
            p["lina"],
            kind="important_event",
            major=True,
            priority="urgent",
            channel="api",
            title="重要事件：呼叫中心系统故障 20 分钟",
            description="10:05–10:25 来电无法接入，已切换备用线路。",
        )
    )
    made.append(
        _new(
            p["zhaomin"],
            kind="internal_report",
            title="咨询问题反馈：交房流程常见问题",
            extra={"item": "问题与解答"},
            description="本周客户反复询问交房需携带的材料，建议整理成知识库文章。",
        )
    )

    made.append(
        _new(
            p["lina"],
            kind="rescue",
            title="24 小时救援：业主车辆在地库抛锚",
            extra={"rescue_type": "交通"},
            contact={"name": "韩先生", "phone": "13512340012"},
        )
    )

    # water company: its own 报修 kind with fields, routed to technical support
    made.append(
        _new(
            p["lvxin"],
            kind="repair",
            channel="phone",
            title="报修：水表井漏水",
            extra={"address": "西湖区文一路 88 号", "fault": "漏水"},
            contact={"name": "许先生", "phone": "13512340011"},
        )
    )

    deadlines.sweep()  # the present: overdue clocks breach and escalate, as the worker would
    return {"cases": len(made), "handoff": handoff.pk}
