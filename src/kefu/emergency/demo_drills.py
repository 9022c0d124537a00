"""Demo emergency drills (DRL-1), on the plans of `kefu.emergency.demo`: last year 王芳 drilled 华辰置业's
fire, system-failure and complaint-surge plans and 高峰 华辰水务's outage plan — each held and evaluated; the
fire drill left a corrective action that was closed and the system-failure drill one still open (overdue
now), the latter also opening a plan revision. This year 华辰置业's system-failure drill is coming up within
the reminder window, its complaint-surge drill was held a few days ago and waits for its evaluation
(待评估), and 华辰水务's outage drill is scheduled for later this month — every other plan has no drill this
year yet, so the list shows them as due. All through the actions, as the people concerned, with the clock
set back where the story happened."""

from datetime import date, datetime, time, timedelta

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.emergency.actions import drills as drill_actions
from kefu.emergency.models import Drill, Plan
from kefu.org.access import actor_for
from kefu.org.models import Employee

PEOPLE = {"wangfang", "gaofeng", "lina", "zhaomin", "sunli", "wujing", "hemei", "lvxin", "zhengkai", "xuhao"}

# (unit code, plan type, manager, organiser, participants, days into last year's drill season, scenario,
#  place, score, grade, evaluation, corrective action or None, its owner, closed?)
LAST_YEAR = [
    (
        "hc-realty",
        "fire",
        "wangfang",
        "lina",
        ["lina", "zhaomin", "sunli", "wujing"],
        0,
        "客服中心午间火警，全员按疏散路线撤离并清点人数",
        "客户服务部 热线区",
        86,
        "good",
        "疏散用时 4 分钟，清点及时；东侧安全出口指示灯不亮，已列整改。",
        "更换东侧安全出口指示灯",
        "hemei",
        True,
    ),
    (
        "hc-realty",
        "system_failure",
        "wangfang",
        "lina",
        ["lina", "zhaomin", "hemei"],
        14,
        "热线系统宕机，切换备用话机并人工登记来电",
        "客户服务部 机房",
        72,
        "pass",
        "切换到备用话机用时偏长；人工登记表格式不统一，需在预案中补充模板。",
        "在预案中补充人工登记来电的统一表格",
        "lina",
        False,
    ),
    (
        "hc-realty",
        "complaint_surge",
        "wangfang",
        "lina",
        ["lina", "zhaomin", "sunli"],
        28,
        "交房当天集中投诉，启动分级响应并统一答复口径",
        "客户服务部 会议室",
        91,
        "excellent",
        "口径统一、升级及时，达到预期。",
        None,
        None,
        False,
    ),
    (
        "hc-water",
        "outage",
        "gaofeng",
        "lvxin",
        ["lvxin", "zhengkai", "xuhao"],
        21,
        "城东主管爆裂大面积停水，发布停水公告并安排送水",
        "城东营业厅",
        80,
        "good",
        "公告发布及时；送水车辆调度需提前与物业确认。",
        None,
        None,
        False,
    ),
]


def _as(employee: Employee) -> Actor:
    return actor_for(employee.user, origin="cli demo")


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone())


def _plan(units_plans: dict, unit_code: str, plan_type: str) -> Plan | None:
    return units_plans.get((unit_code, plan_type))


def _last_year(people: dict, plans: dict) -> int:
    """Last year's drills, each after the plans were drawn up and inside last calendar year."""
    today = clock.today()
    drawn_up = min(p.created_at for p in plans.values())
    base = max(clock.local(drawn_up).date() + timedelta(days=10), date(today.year - 1, 1, 10))
    made = 0
    for (
        unit,
        kind,
        manager,
        organiser,
        party,
        offset,
        scenario,
        place,
        score,
        grade,
        text,
        fix,
        owner,
        closed,
    ) in LAST_YEAR:
        plan = _plan(plans, unit, kind)
        if plan is None:
            continue
        day = base + timedelta(days=offset)
        me = _as(people[manager])
        with clock.frozen_at(_at(day - timedelta(days=14), 9)):
            drill = drill_actions.schedule(
                me,
                plan,
                scheduled_for=_at(day, 14),
                scenario=scenario,
                place=place,
                organiser=people[organiser],
            )
        with clock.frozen_at(_at(day, 16)):
            drill_actions.record_held(
                me,
                drill,
                held_at=_at(day, 14),
                summary=f"按计划实施：{scenario}。",
                participants=[(people[p], True) for p in party],
                steps=[
                    {
                        "position": 1,
                        "started_at": _at(day, 14),
                        "finished_at": _at(day, 14) + timedelta(minutes=6),
                        "result": "ok",
                    },
                    {
                        "position": 2,
                        "duration_minutes": 12,
                        "result": "problem" if fix else "ok",
                        "note": fix or "",
                    },
                ],
            )
        with clock.frozen_at(_at(day + timedelta(days=2), 10)):
            drill_actions.evaluate(me, drill, score=score, grade=grade, evaluation=text)
            if fix:
                row = drill_actions.add_action(
                    me,
                    drill,
                    text=fix,
                    owner=people[owner],
                    due_on=day + timedelta(days=20),
                    revise_plan=not closed,
                )
        if fix and closed:
            with clock.frozen_at(_at(day + timedelta(days=12), 11)):
                drill_actions.close_action(me, row, note="已完成并复查。")
        made += 1
    return made


def _this_year(people: dict, plans: dict) -> int:
    now = clock.now()
    today = clock.today()
    made = 0
    upcoming = _plan(plans, "hc-realty", "system_failure")
    if upcoming is not None:
        with clock.frozen_at(now - timedelta(days=10)):
            drill_actions.schedule(
                _as(people["wangfang"]),
                upcoming,
                scheduled_for=_at(today + timedelta(days=5), 15),
                scenario="热线系统宕机，验证补充后的人工登记表",
                place="客户服务部 机房",
                organiser=people["lina"],
            )
        made += 1
    held = _plan(plans, "hc-realty", "complaint_surge")
    held_day = max(today - timedelta(days=3), date(today.year, 1, 1))
    if held is not None and _at(held_day, 10) < now:
        me = _as(people["wangfang"])
        with clock.frozen_at(_at(held_day, 8) - timedelta(days=7)):
            drill = drill_actions.schedule(
                me,
                held,
                scheduled_for=_at(held_day, 10),
                scenario="周末集中报修投诉，演练分级响应与口径发布",
                place="客户服务部 会议室",
                organiser=people["lina"],
            )
        with clock.frozen_at(min(_at(held_day, 12), now)):
            drill_actions.record_held(
                me,
                drill,
                held_at=_at(held_day, 10),
                summary="按计划实施，待评估。",
                participants=[(people[p], True) for p in ("lina", "zhaomin", "sunli")]
                + [(people["wujing"], False)],
            )
        made += 1
    water = _plan(plans, "hc-water", "outage")
    if water is not None:
        with clock.frozen_at(now - timedelta(days=2)):
            drill_actions.schedule(
                _as(people["gaofeng"]),
                water,
                scheduled_for=_at(today + timedelta(days=20), 9),
                scenario="冬季管网冻裂停水，演练停水公告与送水安排",
                place="城东营业厅",
                organiser=people["lvxin"],
            )
        made += 1
    return made


def load_drills(actor: Actor | None = None) -> dict:
    """The demo drills (needs the demo people and `load_emergency`'s plans; does nothing without them, and
    nothing a second time)."""
    people = {
        e.user.username: e
        for e in Employee.objects.filter(user__username__in=PEOPLE).select_related("user", "unit")
    }
    plans = {(p.unit.code, p.plan_type): p for p in Plan.objects.select_related("unit")}
    if len(people) < len(PEOPLE) or not plans or Drill.objects.exists():
        return {"drills": 0}
    return {"drills": _last_year(people, plans) + _this_year(people, plans)}
