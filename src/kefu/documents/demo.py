"""Demo documents (DOC-1): two months ago the administrator imported the five seed documents as the
group's policy library (集团发文, distributed to every employee); most staff acknowledged them within days,
赵敏, 吕欣 and 黄磊 left some unread. Ten days ago version 2 of 《集团公司客户管理服务中心管理制度》 superseded
version 1 — part of the staff has acknowledged it, the rest are reminded. 王芳 published a notice to 客户服务部,
drew up this year's annual plan of 华辰置业 with progress reported (one item overdue), and accepted 赵敏's
suggestion; 吕欣's waits for 高峰's review. 王芳's own 首问负责制 for 华辰置业 is unread by 赵敏 and 孙丽. All through the actions, with the clock set back."""

from datetime import date, datetime, time, timedelta

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.documents.actions import notices as notice_actions
from kefu.documents.actions import plans as plan_actions
from kefu.documents.actions import policies as policy_actions
from kefu.documents.actions import suggestions as suggestion_actions
from kefu.documents.models import Policy, Reading, WorkPlan
from kefu.documents.seeds import seed_files
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

# who has not acknowledged which version 1 (by the seed file's number); "*": none of them
UNREAD_V1 = {"zhaomin": ["004"], "lvxin": ["002", "003"], "huanglei": ["*"]}
# who has acknowledged version 2 of the revised policy
READ_V2 = ["wangfang", "lina", "sunli", "zhouqiang", "gaofeng", "zhengkai", "zhangwei", "liuyang"]
REVISED = "004"
REVISION = (
    "\n\n（2026 年修订）第十条 客户投诉应在接到后 24 小时内给予答复；重大投诉当日报客户服务中心负责人。"
    "\n第十一条 本制度每年评审一次，修订后重新下发并由全体员工确认阅知。"
)

# (text, owner, days from today to the due date, percent, status, note)
PLAN_ITEMS = [
    (
        "完成客户服务制度汇编并组织全员学习",
        "lina",
        40,
        60,
        "in_progress",
        "制度汇编初稿已完成，学习计划已排期",
    ),
    ("热线接通率季度考核达到 95%", "zhouqiang", 120, 30, "in_progress", "第一季度接通率 93.8%"),
    ("投诉处理满意度回访覆盖全部已结投诉", "wujing", -12, 70, "in_progress", "仍有 8 件投诉待回访"),
    ("客服系统知识库更新常见问题 200 条", "songyu", 200, 0, "not_started", ""),
    ("年度应急演练至少两次", "chenjie", -30, 100, "done", "上半年消防疏散演练已完成"),
]


def _as(employee: Employee) -> Actor:
    return actor_for(employee.user, origin="cli demo")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone())


def _policies(admin: Actor, people: dict, group: Unit) -> int:
    files = seed_files()
    if not files or Policy.objects.filter(unit=group).exists():
        return 0
    issued_on = clock.today() - timedelta(days=60)
    with clock.frozen_at(_at(issued_on, 9)):
        policy_actions.import_texts(admin, unit=group, paths=files, effective_on=issued_on)
    by_seed = {}
    for path in files:
        title, _body = policy_actions.clean_text(path.read_text(encoding="utf-8"))
        by_seed[path.name[:3]] = Policy.objects.get(unit=group, title=title)
    with clock.frozen_at(_at(issued_on + timedelta(days=3), 16)):
        for seed, policy in by_seed.items():
            version = policy.versions.get(number=1)
            for row in (
                Reading.objects.filter(version=version).select_related("employee__user").order_by("pk")
            ):
                name = row.employee.user.username if row.employee.user else ""
                unread = UNREAD_V1.get(name, [])
                if row.employee.user is None or "*" in unread or seed in unread:
                    continue
                policy_actions.acknowledge(_as(row.employee), version)
    revised = by_seed.get(REVISED)
    if revised is not None:
        with clock.frozen_at(_at(clock.today() - timedelta(days=10), 9)):
            body = revised.versions.get(number=1).body + REVISION
            version = policy_actions.new_version(
                admin,
                revised,
                effective_on=clock.today(),
                body=body,
                note="增加投诉答复时限与年度评审条款",
            )
        with clock.frozen_at(_at(clock.today() - timedelta(days=9), 11)):
            for username in READ_V2:
                policy_actions.acknowledge(_as(people[username]), version)
    return len(by_seed)


FIRST_CONTACT = (
    "第一条 首问负责：客户来电、来访或来函首先接待的客服人员为首问责任人，负责受理、登记并跟踪到办结。",
    "第二条 不推诿：不属于本岗位职责的事项，首问责任人应当引导客户至相关岗位或代为转交，并告知客户办理时限。",
    "第三条 限时答复：一般咨询当场答复；需要核实的事项应在承诺时限内回复客户。",
    "第四条 本办法自发布之日起施行，由客户服务部负责解释。",
)


def _unit_policy(people: dict, units: dict) -> None:
    """王芳's own policy for 华辰置业 (version 1, a month ago): all but 赵敏 and 孙丽 have acknowledged it."""
    with clock.frozen_at(_at(clock.today() - timedelta(days=30), 9)):
        policy = policy_actions.issue(
            _as(people["wangfang"]),
            unit=units["hc-realty"],
            title="客户服务首问负责制实施办法",
            body="\n".join(FIRST_CONTACT),
            effective_on=clock.today(),
        )
    version = policy.versions.get()
    with clock.frozen_at(_at(clock.today() - timedelta(days=28), 10)):
        for row in Reading.objects.filter(version=version).select_related("employee__user").order_by("pk"):
            if row.employee.user and row.employee.user.username not in ("zhaomin", "sunli"):
                policy_actions.acknowledge(_as(row.employee), version)


def _notice(people: dict, units: dict) -> None:
    with clock.frozen_at(_at(clock.today() - timedelta(days=5), 14)):
        notice_actions.publish(
            _as(people["wangfang"]),
            unit=units["hc-realty"],
            kind="notice",
            title="关于调整热线值班安排的通知",
            body=(
                "各班组：\n为保证节假日期间客户来电及时接听，自下周一起热线实行早、中、晚三班值守，"
                "每班不少于两名客服专员在岗。\n请各班组长于本周五前报送值班人员名单，值班期间严格执行首问负责制，"
                "重大投诉当日上报客户服务部经理。\n客户服务部"
            ),
            to_units=[units["realty-cs"]],
        )


def _plan(people: dict, units: dict) -> None:
    today = clock.today()
    manager = _as(people["wangfang"])
    with clock.frozen_at(_at(date(today.year, 1, 1) if today.month > 1 else today - timedelta(days=60), 10)):
        plan = plan_actions.create_plan(
            manager,
            unit=units["hc-realty"],
            kind="annual",
            year=today.year,
            title=f"{today.year} 年客户服务部年度工作计划",
            items=[
                plan_actions.ItemIn(text, people[owner], today + timedelta(days=days))
                for text, owner, days, _p, _s, _n in PLAN_ITEMS
            ],
        )
    with clock.frozen_at(_at(today - timedelta(days=2), 17)):
        for item, (_t, owner, _d, percent, status, note) in zip(
            plan.items.order_by("position"), PLAN_ITEMS, strict=True
        ):
            if percent or status != "not_started":
                plan_actions.report_progress(
                    _as(people[owner]), item, percent=percent, status=status, note=note
                )


def _suggestions(people: dict) -> None:
    with clock.frozen_at(_at(clock.today() - timedelta(days=20), 15)):
        accepted = suggestion_actions.submit(
            _as(people["zhaomin"]),
            title="热线等待时播放常见问题解答",
            body="客户排队等待时播放交房、物业费、维修报修等常见问题的语音解答，可减少重复咨询，缩短通话时长。",
        )
    with clock.frozen_at(_at(clock.today() - timedelta(days=15), 10)):
        suggestion_actions.review(
            _as(people["wangfang"]), accepted, accept=True, reason="可行，由信息专员配合实施"
        )
    with clock.frozen_at(_at(clock.today() - timedelta(days=3), 11)):
        suggestion_actions.submit(
            _as(people["lvxin"]),
            title="停水通知增加短信预约回拨",
            body="计划停水时，客户可通过短信预约回拨时间，减少高峰期热线占线。",
        )


def load_documents(admin: Actor) -> dict:
    """DOC-1 demo records; does nothing when the group's policy library is already there."""
    units = {u.code: u for u in Unit.objects.all()}
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit") if e.user}
    made = _policies(admin, people, units["hc-group"])
    if not WorkPlan.objects.filter(unit=units["hc-realty"]).exists():
        _unit_policy(people, units)
        _notice(people, units)
        _plan(people, units)
        _suggestions(people)
    return {"policies": made}
