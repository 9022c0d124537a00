"""Demo rest and leave (LV-1…LV-5) at 华辰置业's 热线一组: 赵敏's approved two days of leave last week —
李娜 approved it the evening before, her open complaint went to her substitute 孙丽 and she took no new
case while it lasted — and 孙丽's paid rest day next week waiting for 李娜, its one-working-day
clock running. Everything goes through the actions as the people concerned, the clock set to when
they did it."""

from datetime import timedelta

from kefu.cases import actions as cases
from kefu.cases.actions import routing as case_routing
from kefu.core import clock
from kefu.engine.calendars import api as calendars
from kefu.org.access import actor_for
from kefu.org.models import Employee
from kefu.workforce.actions import leave as actions
from kefu.workforce.models import LeaveRequest
from kefu.workforce.queries.leave import local_start

PEOPLE = ("zhaomin", "sunli", "lina", "wangfang")


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def load_leave(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or LeaveRequest.objects.exists():
        return {"leave": 0}
    zhaomin, sunli, lina = people["zhaomin"], people["sunli"], people["lina"]
    today = clock.today()
    first = today - timedelta(days=7)
    start = local_start(first)
    with clock.frozen_at(start - timedelta(days=3, hours=-10)):  # three days before, 10:00
        complaint, _ = cases.create_case(
            _as(zhaomin),
            unit=zhaomin.unit,
            kind="complaint",
            channel="phone",
            title="交房延期投诉",
            description="业主投诉交房时间一再推迟，要求书面答复。",
            contact={"name": "郑先生", "phone": "13512340021"},
        )
        if complaint.owner_id != zhaomin.pk:
            case_routing.transfer(
                _as(people["wangfang"]), complaint, reason="赵敏熟悉该业主，由她跟进", to_owner=zhaomin
            )
        away = actions.request(
            _as(zhaomin),
            kind="leave",
            starts_on=first,
            ends_on=first + timedelta(days=1),
            reason="家中老人住院陪护",
            arrangement="在办投诉交孙丽跟进，回访顺延",
            substitute=sunli.pk,
        )
    with clock.frozen_at(start - timedelta(hours=4)):  # the evening before: approved, work handed over
        actions.decide(_as(lina), away, "approve", reason="同意，注意交接")
    rest_day = today + timedelta(days=7)
    while not calendars.is_working_day("office", rest_day):
        rest_day += timedelta(days=1)
    pending = actions.request(
        _as(sunli),
        kind="rest",
        starts_on=rest_day,
        ends_on=rest_day,
        reason="季度带薪休息",
        arrangement="热线由赵敏顶岗",
        substitute=zhaomin.pk,
    )
    return {"leave": 2, "approved": away.pk, "pending": pending.pk}
