"""Demo handover and attendance (HO-1, ATT-1): 陈杰 drafted and published 热线一组's rota for the last
four weeks with the solver (早/中/晚, 24×7; 赵敏's approved leave kept free), 王芳 imported the
time-clock sheet of those shifts with two late arrivals that the check flagged (李娜 told), and
赵敏's temporary handover to 孙丽 is in progress — 赵敏 has confirmed, 孙丽 not yet. Everything goes
through the actions as the people concerned."""

from datetime import timedelta

from openpyxl import Workbook

from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee
from kefu.workforce.actions import attendance, handovers, rotas
from kefu.workforce.models import Handover, ShiftTemplate

PEOPLE = ("chenjie", "wangfang", "zhaomin", "sunli")
LATE = {("zhaomin", 4): 17, ("sunli", 11): 25}  # (who, her n-th shift of the four weeks) → minutes late
EARLY = timedelta(minutes=10)  # everyone else clocks in ten minutes early and out five minutes late


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _row(shift, late: int) -> list:
    start, end = clock.local(shift.starts_at), clock.local(shift.ends_at)
    tap_in = start + timedelta(minutes=late) if late else start - EARLY
    if tap_in.date() != start.date():  # a night shift: the sheet's row is the day the shift starts
        tap_in = start
    out = end + timedelta(minutes=5)
    return [
        shift.employee.number,
        start.strftime("%Y-%m-%d"),
        tap_in.strftime("%H:%M"),
        out.strftime("%H:%M"),
    ]


def _time_clock_sheet(rota) -> Workbook:
    """The time-clock export of the rota's shifts: on time but for the two late arrivals."""
    book = Workbook()
    book.active.append(list(attendance.COLUMNS))
    seen: dict[str, int] = {}
    for shift in rota.shifts.select_related("employee__user").order_by("starts_at"):
        who = shift.employee.user.username
        seen[who] = seen.get(who, -1) + 1
        book.active.append(_row(shift, LATE.get((who, seen[who]), 0)))
    return book


def load_handover(actor) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.select_related("user", "unit").filter(user__username__in=PEOPLE)
    }
    if len(people) < len(PEOPLE) or Handover.objects.exists():
        return {"handovers": 0}
    chenjie, wangfang, zhaomin, sunli = (people[u] for u in PEOPLE)
    if not ShiftTemplate.objects.filter(unit=zhaomin.unit, active=True).exists():
        return {"handovers": 0}  # the shifts demo sets the team's templates up first
    today = clock.today()
    first, last = today - timedelta(days=28), today - timedelta(days=1)
    rota = rotas.draft(_as(chenjie), zhaomin.unit, first, last, time_limit=10)
    for _ in range(3):  # feedback → final → published (gaps on 赵敏's leave days confirmed)
        rota = rotas.advance(_as(chenjie), rota, confirm_gaps=True)
    attendance.import_sheet(_as(wangfang), _time_clock_sheet(rota))
    flags = sum(attendance.check_day(first + timedelta(days=n)) for n in range(28))
    handover = handovers.open_temporary(
        _as(zhaomin),
        leaves_at=clock.now() + timedelta(minutes=20),
        receiver=sunli,
        note="午间临时离岗，请孙丽接听热线",
    )
    handovers.confirm(_as(zhaomin), handover)
    return {"handovers": 1, "attendance_flags": flags}
