"""Demo QC group (QC-1): 王芳 formed 「服务之星QC小组」 in realty's 客户服务部 five months ago with 李娜 as
leader; 马军 (行政人事部, playing 综合部) registered its topic; 李娜 recorded an activity in each month
since but one, which the monthly check flagged (王芳 and 李娜 told). Through the actions as the
people concerned, with the clock set back where the story happened."""

from datetime import date, datetime, time, timedelta

from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit
from kefu.quality.actions import qcgroups as actions

MEETINGS = [
    ("analysis", "plan", "现状调查：统计上月热线重复来电 312 通，按原因分类。", "找出三类主要原因"),
    ("meeting", "do", "对策讨论：交房进度类咨询统一答复口径，知识库补充条目。", "新增知识条目 6 条"),
    ("review", "check", "效果检查：重复来电下降至 241 通。", "重复来电率下降 23%"),
]


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _month(today: date, back: int) -> date:
    """The first day of the month `back` months before today's."""
    index = today.year * 12 + today.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=clock.zone())


def load_qcgroups(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.filter(
            user__username__in=["wangfang", "lina", "zhaomin", "sunli", "zhouqiang", "majun"]
        ).select_related("user", "unit")
    }
    if len(people) < 6:
        return {"qcgroups": 0}
    today = clock.today()
    formed = _month(today, 5) + timedelta(days=19)  # the 20th, five months ago
    with clock.frozen_at(_at(formed)):
        group = actions.create_group(
            _as(people["wangfang"]),
            name="服务之星QC小组",
            unit=Unit.objects.get(code="realty-cs"),
            leader=people["lina"],
            members=[people["zhaomin"], people["sunli"], people["zhouqiang"]],
            topic="降低热线重复来电率",
        )
        actions.request_registration(_as(people["lina"]), group)
    with clock.frozen_at(_at(formed + timedelta(days=2))):
        group = actions.register_topic(_as(people["majun"]), group)
    leader = _as(people["lina"])
    attendees = [people["lina"], people["zhaomin"], people["sunli"], people["zhouqiang"]]
    # months 4, 3 and 1 back have an activity; month 2 back has none → flagged
    for back, (kind, stage, minutes, result) in zip((4, 3, 1), MEETINGS, strict=True):
        day = _month(today, back) + timedelta(days=9)
        with clock.frozen_at(_at(day, 16)):
            actions.record_activity(
                leader,
                group,
                day=day,
                kind=kind,
                stage=stage,
                minutes=minutes,
                result=result,
                attendees=attendees,
            )
    flagged = 0
    for back in (4, 3, 2, 1):
        first = _month(today, back)
        flagged += actions.check_month(first.year, first.month)
    return {"qcgroups": 1, "flags": flagged}
