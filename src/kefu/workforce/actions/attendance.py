"""Attendance (ATT-1): the only code that writes attendance.

`clock` is the one-tap web clock-in/out; `import_sheet` loads a time-clock Excel (all rows or none,
every error in Chinese); `check_day` compares a day's published shifts with the records — late
beyond the grace (pack attendance.late_grace, 本系统默认值), absent, clock-out missing — and flags
each once (decision record, the team lead told). An absence that `excused` does not excuse is
unreported rest (LV-6: wired to leave at merge)."""

from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.workforce.actions import leave
from kefu.workforce.models import (
    AttendanceFlag,
    AttendanceRecord,
    DailyMeeting,
    FlagKind,
    Source,
)
from kefu.workforce.queries import attendance as queries

WORKER = Actor.system("worker")

GRACE = "attendance.late_grace"
MANAGE = "attendance.manage"
# the meeting decision's inputs in words (issue 13)
decisions.describe(
    inputs={
        "late_minutes": ("晚开始（分钟）", "late start (minutes)"),
        "over_minutes": ("超时（分钟）", "overrun (minutes)"),
    }
)
WHAT = {FlagKind.LATE: "迟到", FlagKind.ABSENT: "缺勤", FlagKind.MISSING: "缺少下班打卡记录"}


def clock_tap(actor: Actor) -> AttendanceRecord:
    """ATT-1: one tap — the first of the day clocks in, the second clocks out."""
    me = access.employee_of(actor.principal)
    if me is None:
        raise PermissionDenied("只有员工可以打卡", "Only an employee clocks in", code="attendance_forbidden")
    now = clock.now()
    day = queries.tap_day(me, now)  # a night shift's taps belong to the day it starts
    with transaction.atomic():
        record = AttendanceRecord.objects.select_for_update(of=("self",)).filter(employee=me, day=day).first()
        if record is None:
            try:
                with transaction.atomic():
                    record = AttendanceRecord.objects.create(employee=me, unit=me.unit, day=day, clock_in=now)
            except IntegrityError:  # a second tap at the same instant: the first one clocked in
                record = AttendanceRecord.objects.select_for_update(of=("self",)).get(employee=me, day=day)
            else:
                audit.record(actor, "workforce.attendance.clock_in", record)
                return record
        if record.clock_in is None:
            record.clock_in = now
            field = "clock_in"
        elif record.clock_out is None:
            record.clock_out = now
            field = "clock_out"
        else:
            raise Invalid("attendance_done", "今天已完成上下班打卡", "You have clocked in and out today")
        record.save(update_fields=[field])
        audit.record(actor, f"workforce.attendance.{field}", record)
    return record


COLUMNS = ("工号", "日期", "上班打卡", "下班打卡")


def _cell_time(value, day):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, str):
        value = time.fromisoformat(value.strip())
    if not isinstance(value, time):
        raise ValueError(value)
    return datetime.combine(day, value, tzinfo=clock.zone())


def _cell_day(value):
    if isinstance(value, datetime):
        return value.date()
    if hasattr(value, "year") and hasattr(value, "month"):
        return value
    return datetime.strptime(str(value).strip(), "%Y-%m-%d").date()


def parse_sheet(actor: Actor, workbook) -> tuple[list[dict], list[str]]:
    """ATT-1: the rows of a time-clock sheet (columns 工号, 日期, 上班打卡, 下班打卡) and every error, in
    Chinese, with its row number. Employees outside the actor's attendance.manage scope are errors."""
    sheet = workbook.active
    rows, errors = [], []
    values = list(sheet.iter_rows(values_only=True))
    if not values or tuple(str(c or "").strip() for c in values[0][:4]) != COLUMNS:
        return [], [f"第 1 行：表头应为 {'、'.join(COLUMNS)}"]
    numbers = {str(r[0]).strip() for r in values[1:] if r and r[0] is not None}
    people = {
        e.number: e
        for e in access.scoped(Employee.objects.filter(number__in=numbers), actor, MANAGE).select_related(
            "unit"
        )
    }
    seen = set()
    for index, row in enumerate(values[1:], start=2):
        if not row or all(c in (None, "") for c in row[:4]):
            continue
        number = str(row[0] or "").strip()
        employee = people.get(number)
        if employee is None:
            errors.append(f"第 {index} 行：工号 {number or '（空）'} 不存在或不在您的管理范围内")
            continue
        try:
            day = _cell_day(row[1])
        except (TypeError, ValueError):
            errors.append(f"第 {index} 行：日期无法识别（应为 年-月-日）")
            continue
        try:
            clock_in, clock_out = _cell_time(row[2], day), _cell_time(row[3] if len(row) > 3 else None, day)
        except (TypeError, ValueError):
            errors.append(f"第 {index} 行：打卡时间无法识别（应为 时:分）")
            continue
        if clock_in is None and clock_out is None:
            errors.append(f"第 {index} 行：上班与下班打卡都为空")
            continue
        if clock_in and clock_out and clock_out == clock_in:
            errors.append(f"第 {index} 行：上班与下班打卡时间相同")
            continue
        if clock_in and clock_out and clock_out < clock_in:
            clock_out += timedelta(days=1)  # a shift across midnight: clocked out the next morning
        if (number, day) in seen:
            errors.append(f"第 {index} 行：{number} 在 {day:%Y-%m-%d} 重复")
            continue
        seen.add((number, day))
        rows.append({"employee": employee, "day": day, "clock_in": clock_in, "clock_out": clock_out})
    return rows, errors


def import_sheet(actor: Actor, workbook) -> int:
    """ATT-1: load a time-clock sheet — every row or, on any error, none (the errors say why)."""
    access.require_write(actor, MANAGE)
    rows, errors = parse_sheet(actor, workbook)
    if errors:
        raise Invalid(
            "attendance_import", "；".join(errors[:20]), "The sheet has errors", {"file": "invalid"}
        )
    if not rows:
        raise Invalid(
            "attendance_import_empty", "表格中没有打卡记录", "The sheet has no rows", {"file": "empty"}
        )
    with transaction.atomic():
        existing = {
            (r.employee_id, r.day): r
            for r in AttendanceRecord.objects.select_for_update(of=("self",)).filter(
                employee__in=[r["employee"] for r in rows], day__in={r["day"] for r in rows}
            )
        }
        new, changed = [], []
        for row in rows:
            record = existing.get((row["employee"].pk, row["day"]))
            if record is None:
                new.append(AttendanceRecord(unit=row["employee"].unit, source=Source.IMPORT, **row))
            else:
                record.clock_in = row["clock_in"] or record.clock_in
                record.clock_out = row["clock_out"] or record.clock_out
                changed.append(record)
        AttendanceRecord.objects.bulk_create(new)
        AttendanceRecord.objects.bulk_update(changed, ["clock_in", "clock_out"])
        audit.record(
            actor,
            "workforce.attendance.import",
            object_type="workforce.attendancerecord",
            after={"new": len(new), "updated": len(changed)},
        )
    return len(rows)


def _flag(shift, kind: str, minutes: int, now, entry, unreported: bool = False) -> AttendanceFlag | None:
    try:
        with transaction.atomic():
            flag = AttendanceFlag.objects.create(
                employee=shift.employee,
                unit=shift.employee.unit,
                shift=shift,
                day=clock.local(shift.starts_at).date(),
                kind=kind,
                minutes=minutes,
                raised_at=now,
            )
    except IntegrityError:
        return None  # flagged before: once per shift and kind
    what = WHAT[kind] + (f" {minutes} 分钟" if kind == FlagKind.LATE else "")
    if unreported:
        what += "（未报备休息）"
    decisions.record_from_entry(
        flag,
        entry,
        outcome=f"{shift.employee.name}：{what}",
        inputs={"shift_starts_at": clock.local(shift.starts_at).strftime("%Y-%m-%d %H:%M")},
    )
    leads = [s.user for s in shift.employee.supervisors.all() if s.user_id]
    if leads:
        notify(
            leads,
            "workforce.attendance_flagged",
            {"employee": shift.employee.name, "day": flag.day, "what": what},
            obj=flag,
            link=reverse("workforce:attendance_team", args=[shift.employee.unit_id]),
            channels=("inbox",),
        )
    return flag


def check_day(day, *, now=None) -> int:
    """ATT-1: compare the published shifts that started on `day` with the records; flag lateness beyond
    the grace, absence and a missing clock-out (the latter only once the shift has ended). Run by the
    worker each night and after an import; a flag is raised once."""
    now = now or clock.now()
    shifts = [s for s in queries.shifts_starting(day) if s.starts_at <= now]
    records = {
        r.employee_id: r
        for r in AttendanceRecord.objects.filter(employee__in=[s.employee_id for s in shifts], day=day)
    }
    raised = 0
    with transaction.atomic():
        for shift in shifts:
            entry = policy.lookup(GRACE, at=shift.starts_at, unit=shift.employee.unit)
            record = records.get(shift.employee_id)
            if record is None or record.clock_in is None:
                if shift.ends_at <= now and not queries.excused(shift.employee, day):
                    flag = _flag(shift, FlagKind.ABSENT, 0, now, entry, unreported=True)
                    if flag is not None:  # LV-6: unreported rest → a bonus-deduction proposal, once
                        leave.unreported_rest(WORKER, shift.employee, day)
                    raised += bool(flag)
                continue
            late = record.clock_in - shift.starts_at
            if late > entry.duration():
                raised += bool(_flag(shift, FlagKind.LATE, int(late.total_seconds() // 60), now, entry))
            if record.clock_out is None and shift.ends_at <= now:
                raised += bool(_flag(shift, FlagKind.MISSING, 0, now, entry))
    return raised


def daily(run=None) -> int:
    """The daily schedule (ATT-1): yesterday's shifts checked once every record could be in."""
    return check_day(clock.today() - timedelta(days=1))


def _minutes(delta: timedelta) -> int:
    return max(0, int(delta.total_seconds() // 60))


def record_meeting(actor: Actor, unit: Unit, *, day, starts: time, ends: time, topics: str) -> DailyMeeting:
    """ATT-1 每日例会: record a team's daily meeting ("准时开会。时间:8:00-8:30"). The window is the pack's
    `attendance.daily_meeting_start` / `_end`; a late start or an overrun is recorded in minutes and the
    decision record says so. One meeting per team and day (the database refuses a second)."""
    access.require_write(actor, MANAGE)
    if not access.record_in_scope(actor, MANAGE, unit=unit, owner_id=None):
        raise NotFound("班组", "team")
    topics = (topics or "").strip()
    if not topics:
        raise Invalid(
            "attendance_meeting_topics",
            "请填写例会内容（前一天的问题、新一天的工作、经验交流或培训）（ATT-1）",
            "Say what the meeting covered (ATT-1)",
            {"topics": "required"},
        )
    if ends <= starts:
        raise Invalid(
            "attendance_meeting_times",
            "例会结束时间须晚于开始时间",
            "The meeting must end after it starts",
            {"ends": "before start"},
        )
    started_at = datetime.combine(day, starts, tzinfo=clock.zone())
    ended_at = datetime.combine(day, ends, tzinfo=clock.zone())
    if started_at > clock.now():
        raise Invalid(
            "attendance_meeting_future",
            "不能记录尚未开始的例会",
            "A meeting is recorded once it has been held",
            {"starts": "future"},
        )
    start_entry = policy.lookup(queries.MEETING_START, at=started_at, unit=unit)
    end_entry = policy.lookup(queries.MEETING_END, at=started_at, unit=unit)
    window_start = datetime.combine(day, queries.time_of(start_entry.value), tzinfo=clock.zone())
    window_end = datetime.combine(day, queries.time_of(end_entry.value), tzinfo=clock.zone())
    late, over = _minutes(started_at - window_start), _minutes(ended_at - window_end)
    with transaction.atomic():
        try:
            with transaction.atomic():
                meeting = DailyMeeting.objects.create(
                    unit=unit,
                    day=day,
                    started_at=started_at,
                    ended_at=ended_at,
                    topics=topics,
                    late_minutes=late,
                    over_minutes=over,
                    recorded_by=actor.user,
                    recorded_at=clock.now(),
                )
        except IntegrityError as exc:
            raise Conflict(
                "attendance_meeting_exists",
                f"{unit.name} {day:%Y-%m-%d} 的例会已记录",
                "This team's meeting of that day is already recorded",
            ) from exc
        window = f"{queries.time_of(start_entry.value):%H:%M}–{queries.time_of(end_entry.value):%H:%M}"
        held = f"{starts:%H:%M}–{ends:%H:%M}"
        faults = []
        if late:
            faults.append(f"晚开始 {late} 分钟")
        if over:
            faults.append(f"超时 {over} 分钟")
        outcome = f"例会 {held}：" + ("，".join(faults) if faults else "按时召开") + f"（规定 {window}）"
        decisions.record_from_entry(
            meeting,
            start_entry,
            outcome=outcome,
            inputs={
                end_entry.key: f"{queries.time_of(end_entry.value):%H:%M}",
                "late_minutes": late,
                "over_minutes": over,
            },
            actor=actor,
        )
        audit.record(
            actor, "workforce.attendance.meeting", meeting, after={"held": held, "late": late, "over": over}
        )
    return meeting
