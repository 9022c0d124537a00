"""Demo handover and attendance (HO-1, ATT-1): 热线一组 has a published rota for the last four weeks
(weekdays 9:00–18:00 for 赵敏 and 孙丽), their time-clock sheet imported by 王芳 with two late
arrivals that the check flagged (李娜 told), and 赵敏's temporary handover to 孙丽 in progress — 赵敏
has confirmed, 孙丽 not yet. Everything goes through the actions as the people concerned."""

from datetime import datetime, time, timedelta

from openpyxl import Workbook

from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee
from kefu.workforce.actions import attendance, handovers
from kefu.workforce.models import Handover

PEOPLE = ("wangfang", "zhaomin", "sunli")
LATE = {("zhaomin", 4): 17, ("sunli", 11): 25}  # (who, n-th working day of the four weeks) → minutes late


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=clock.zone())


def load_handover(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or Handover.objects.exists():
        return {"handovers": 0}
    wangfang, zhaomin, sunli = (people[u] for u in PEOPLE)
    today = clock.today()
    days = [today - timedelta(days=n) for n in range(28, 0, -1)]
    workdays = [d for d in days if d.weekday() < 5]
    shifts = [(e, _at(d, 9), _at(d, 18)) for d in workdays for e in (zhaomin, sunli)]
    attendance.publish_rota(_as(wangfang), zhaomin.unit, days[0], days[-1], shifts)
    book = Workbook()
    book.active.append(list(attendance.COLUMNS))
    for n, d in enumerate(workdays):
        for e in (zhaomin, sunli):
            late = LATE.get((e.user.username, n), 0)
            start = _at(d, 9, late) if late else _at(d, 8, 50)
            book.active.append([e.number, d.strftime("%Y-%m-%d"), start.strftime("%H:%M"), "18:05"])
    attendance.import_sheet(_as(wangfang), book)
    flags = sum(attendance.check_day(d) for d in workdays)
    handover = handovers.open_temporary(
        _as(zhaomin),
        leaves_at=clock.now() + timedelta(minutes=20),
        receiver=sunli,
        note="午间临时离岗，请孙丽接听热线",
    )
    handovers.confirm(_as(zhaomin), handover)
    return {"handovers": 1, "attendance_flags": flags}
