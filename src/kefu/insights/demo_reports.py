"""Demo work reports (RPT-1): 赵敏 wrote last week's daily reports Monday to Friday — Wednesday's came in
the next day after its due time and is flagged late — and her weekly summary; 孙丽 forgot Thursday's,
which the sweep flagged, so 李娜's team view shows submitted, late and missing. 王芳 wrote last month's
service report of realty 客户服务部 with two rectification items: one rectified by 李娜, one open with
周强. Everything goes through the actions as the people concerned, the clock set back where it must."""

from datetime import timedelta

from kefu.core import clock
from kefu.insights.actions import reports
from kefu.insights.queries.reports import midnight
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

WORK = [
    "接听业主来电 12 通，受理咨询 5 件、报修 2 件；跟进交房时间咨询。",
    "处理物业维修进度查询，回访上周报修业主 3 户，均表示满意。",
    "受理投诉 1 件并转投诉处理组，协助整理云栖案场来访客户资料。",
    "整理本周常见问题，补充知识库“交房流程”一条；回访 4 户。",
    "完成本周工单复核，未结工单均已说明原因并约定回复时间。",
]
PLAN = [
    "继续跟进报修工单。",
    "回访剩余 2 户。",
    "跟进投诉处理结果。",
    "参加周五例会。",
    "下周一跟进未结工单。",
]


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _week(employee, monday, *, late_day=None, skip_day=None) -> None:
    me = _as(employee)
    for index in range(5):
        day = monday + timedelta(days=index)
        evening = midnight(day) + timedelta(hours=18)
        with clock.frozen_at(evening):
            report = reports.open_mine(me, "day", day)
        if index == skip_day:
            continue  # drafted, never submitted: the sweep flags it
        submitted = midnight(day) + timedelta(days=1, hours=11) if index == late_day else evening
        with clock.frozen_at(submitted + timedelta(minutes=20)):
            reports.submit(me, report, work=WORK[index], problems="", plan=PLAN[index])
    with clock.frozen_at(midnight(monday) + timedelta(days=4, hours=18, minutes=30)):
        summary = reports.open_mine(me, "week", monday)
        reports.submit(
            me,
            summary,
            work="本周受理咨询与报修共 20 余件，回访 7 户；投诉 1 件已转投诉处理组。",
            problems="报修工单维修单位回复较慢，建议建立催办机制。",
            plan="下周重点跟进未结报修工单。",
        )


def load_reports(actor) -> None:
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    today = clock.today()
    monday = today - timedelta(days=today.weekday() + 7)
    _week(people["zhaomin"], monday, late_day=2)
    _week(people["sunli"], monday, skip_day=3)
    reports.flag_overdue()  # 孙丽's Thursday, due Friday morning, still a draft
    reports.open_mine(_as(people["zhaomin"]), "day", today)

    wangfang = _as(people["wangfang"])
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    realty_cs = Unit.objects.get(code="realty-cs")
    with clock.frozen_at(midnight(today.replace(day=1)) + timedelta(hours=10)):
        report = reports.create_service_report(wangfang, realty_cs, month)
        report = reports.update_service_report(
            wangfang,
            report,
            summary="本月热线受理业主咨询、报修与投诉，回访按计划完成；交房集中期咨询量明显上升。",
            problems="1. 报修工单维修单位回复慢，部分超出承诺时限；\n2. 交房流程咨询重复率高，知识库条目不全。",
        )
        done = reports.add_item(
            wangfang,
            report,
            problem="交房流程咨询重复率高",
            measure="补充知识库交房流程条目，组内培训一次",
            owner=people["lina"],
            due_on=today.replace(day=1) + timedelta(days=9),
        )
        reports.add_item(
            wangfang,
            report,
            problem="报修工单超时",
            measure="建立维修单位催办机制，每周通报超时工单",
            owner=people["zhouqiang"],
            due_on=today.replace(day=1) + timedelta(days=27),
        )
        reports.sign_service_report(wangfang, report)
    with clock.frozen_at(midnight(today.replace(day=1)) + timedelta(days=3, hours=15)):
        reports.advance_item(_as(people["lina"]), done, "done")
