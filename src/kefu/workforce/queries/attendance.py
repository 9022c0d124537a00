"""Read paths of attendance (ATT-1): a person's day, the published shifts of a day, the records and
flags of a team, the monthly sheet per team for HR; `excused` — whether approved leave covers an absence."""

import calendar
from datetime import date, datetime, time, timedelta

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.workforce.models import (
    AttendanceFlag,
    AttendanceRecord,
    DailyMeeting,
    FlagKind,
    LeaveRequest,
    LeaveState,
    RotaShift,
    RotaState,
)

VIEW = "attendance.view"
MANAGE = "attendance.manage"


def excused(employee: Employee, day: date) -> bool:
    """Whether an absence of `employee` on `day` is excused (ATT-1, LV-6 "unreported rest"): an
    approved rest or leave request covers part of that day."""
    start, end = day_bounds(day)
    return LeaveRequest.objects.filter(
        employee=employee, state=LeaveState.APPROVED, starts_at__lt=end, ends_at__gt=start
    ).exists()


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=clock.zone())
    return start, start + timedelta(days=1)


def shifts_starting(day: date, *, units=None):
    """Published shifts that start on the local `day` (a night shift belongs to the day it starts)."""
    start, end = day_bounds(day)
    found = RotaShift.objects.filter(rota__state=RotaState.PUBLISHED, starts_at__gte=start, starts_at__lt=end)
    if units is not None:
        found = found.filter(employee__unit__in=units)
    return found.select_related("employee__user", "employee__unit").order_by("starts_at", "pk")


# a tap this long before a shift starts or after it ends still belongs to it (engineering setting:
# a night shift clocked in at 23:50 or a late shift clocked out at 00:05 stays one record)
TAP_WINDOW = timedelta(hours=2)


def shift_at(employee: Employee, at: datetime) -> RotaShift | None:
    """The person's published shift that `at` belongs to: running, starting within TAP_WINDOW or
    ended within it."""
    return (
        RotaShift.objects.filter(
            employee=employee,
            rota__state=RotaState.PUBLISHED,
            starts_at__lte=at + TAP_WINDOW,
            ends_at__gt=at - TAP_WINDOW,
        )
        .order_by("starts_at")
        .first()
    )


def tap_day(employee: Employee, at: datetime) -> date:
    """The attendance day of a tap at `at`: the day its shift starts (a night shift belongs to the day
    it starts), else the local day."""
    shift = shift_at(employee, at)
    return clock.local(shift.starts_at if shift else at).date()


def today_of(employee: Employee) -> AttendanceRecord | None:
    return AttendanceRecord.objects.filter(employee=employee, day=tap_day(employee, clock.now())).first()


def my_shift_today(employee: Employee) -> RotaShift | None:
    now = clock.now()
    current = shift_at(employee, now)
    if current is not None:
        return current
    start, end = day_bounds(clock.today())
    return (
        RotaShift.objects.filter(
            employee=employee, rota__state=RotaState.PUBLISHED, starts_at__gte=start, starts_at__lt=end
        )
        .order_by("starts_at")
        .first()
    )


def my_records(employee: Employee, *, limit: int = 31):
    return AttendanceRecord.objects.filter(employee=employee).order_by("-day")[:limit]


def teams(actor: Actor):
    """The teams (and departments) whose attendance the actor may read."""
    return access.scoped(Unit.objects.all(), actor, VIEW, unit_path="path").order_by("path")


def team(actor: Actor, pk: int) -> Unit:
    found = teams(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("团队", "team")
    return found


def flags(actor: Actor, *, unit: Unit | None = None, since: date | None = None):
    found = access.scoped(AttendanceFlag.objects.all(), actor, VIEW)
    if unit is not None:
        found = found.filter(unit__path__startswith=unit.path)
    if since is not None:
        found = found.filter(day__gte=since)
    return found.select_related("employee", "shift").order_by("-day", "employee__number")


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_sheet(unit: Unit, year: int, month: int) -> list[dict]:
    """ATT-1: the monthly sheet of a team for HR — per person, shifts on the published rota begun so
    far, days clocked in, late arrivals (and minutes), absences, missing records. Four reads."""
    first, last = month_bounds(year, month)
    start, end = day_bounds(first)[0], day_bounds(last)[1]
    people = list(
        Employee.objects.filter(unit__path__startswith=unit.path).select_related("unit").order_by("number")
    )
    rows = {
        e.pk: {
            "employee": e,
            "shifts": 0,
            "present": 0,
            "late": 0,
            "late_minutes": 0,
            "absent": 0,
            "missing": 0,
        }
        for e in people
    }
    # shifts so far: a shift still to come cannot yet be attended, so it is not counted against anyone
    shifts = RotaShift.objects.filter(
        employee__in=people,
        rota__state=RotaState.PUBLISHED,
        starts_at__gte=start,
        starts_at__lt=min(end, clock.now()),
    ).values_list("employee_id", flat=True)
    for employee_id in shifts:
        rows[employee_id]["shifts"] += 1
    present = AttendanceRecord.objects.filter(
        employee__in=people, day__gte=first, day__lte=last, clock_in__isnull=False
    ).values_list("employee_id", flat=True)
    for employee_id in present:
        rows[employee_id]["present"] += 1
    for employee_id, kind, minutes in AttendanceFlag.objects.filter(
        employee__in=people, day__gte=first, day__lte=last
    ).values_list("employee_id", "kind", "minutes"):
        row = rows[employee_id]
        if kind == FlagKind.LATE:
            row["late"] += 1
            row["late_minutes"] += minutes
        elif kind == FlagKind.ABSENT:
            row["absent"] += 1
        else:
            row["missing"] += 1
    return list(rows.values())


MEETING_START = "attendance.daily_meeting_start"
MEETING_END = "attendance.daily_meeting_end"


def time_of(value) -> time:
    """A pack time of day written as hhmm (800 → 08:00, 830 → 08:30)."""
    number = int(value)
    return time(number // 100, number % 100)


def meetings(unit: Unit, *, since: date):
    """ATT-1: the team's daily meetings from `since`, newest first."""
    return DailyMeeting.objects.filter(unit=unit, day__gte=since).select_related("recorded_by__employee")
