"""Attendance (ATT-1): one-tap clock-in/out, lateness and absence against the published rota, missing
records flagged (decision + team lead told), the time-clock import (all or nothing, errors in Chinese),
the monthly sheet per team."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from kefu.core import clock, decisions
from kefu.core.errors import Invalid, PermissionDenied
from kefu.discipline.models import PenaltyProposal
from kefu.engine.notifications.models import Notification
from kefu.workforce.actions import attendance as actions
from kefu.workforce.models import AttendanceFlag, AttendanceRecord, FlagKind
from kefu.workforce.queries import attendance as queries

pytestmark = pytest.mark.django_db


def test_one_tap_clocks_in_then_out(demo, act, frozen, django_assert_max_num_queries):  # ATT-1
    with django_assert_max_num_queries(12):
        record = actions.clock_tap(act("zhaomin"))
    assert record.clock_in == frozen and record.clock_out is None
    clock.advance(timedelta(hours=8))
    with django_assert_max_num_queries(12):
        record = actions.clock_tap(act("zhaomin"))
    assert record.clock_out == frozen + timedelta(hours=8)
    with pytest.raises(Invalid):
        actions.clock_tap(act("zhaomin"))
    assert AttendanceRecord.objects.filter(employee=demo["zhaomin"]).count() == 1


def test_late_beyond_the_grace_is_flagged_and_the_lead_told(demo, act, shift, frozen):  # ATT-1
    start = frozen - timedelta(minutes=20)
    row = shift("zhaomin", start)
    actions.clock_tap(act("zhaomin"))  # 20 minutes after the shift began
    assert actions.check_day(clock.today()) == 1
    flag = AttendanceFlag.objects.get(shift=row)
    assert flag.kind == FlagKind.LATE and flag.minutes == 20
    decision = decisions.for_object(flag).get()
    assert decision.rule == "ATT-1" and "attendance.late_grace" in decision.inputs
    assert Notification.objects.filter(
        recipient=demo["lina"].user, template="workforce.attendance_flagged"
    ).exists()
    assert actions.check_day(clock.today()) == 0  # once


def test_within_the_grace_is_not_late(demo, act, shift, frozen):  # ATT-1
    shift("zhaomin", frozen - timedelta(minutes=3))
    actions.clock_tap(act("zhaomin"))
    assert actions.check_day(clock.today()) == 0


def test_absence_and_missing_clock_out_after_the_shift(demo, act, shift, frozen):  # ATT-1
    shift("zhaomin", frozen - timedelta(hours=1), hours=2)
    shift("sunli", frozen - timedelta(hours=1), hours=2)
    actions.clock_tap(act("sunli"))
    assert actions.check_day(clock.today()) == 1  # sunli late; absence only once the shift is over
    clock.advance(timedelta(hours=2))
    assert actions.check_day(clock.today()) == 2
    kinds = dict(
        AttendanceFlag.objects.values_list("employee__user__username", "kind").filter(
            kind__in=["absent", "missing"]
        )
    )
    assert kinds == {"zhaomin": FlagKind.ABSENT, "sunli": FlagKind.MISSING}
    absent = AttendanceFlag.objects.get(kind=FlagKind.ABSENT)
    assert "未报备休息" in decisions.for_object(absent).get().outcome
    assert queries.excused(demo["zhaomin"], clock.today()) is False
    # LV-6: the unreported rest became a bonus-deduction proposal for HR, once
    unreported = PenaltyProposal.objects.filter(employee=demo["zhaomin"], offence="unreported_rest")
    assert unreported.count() == 1
    assert actions.check_day(clock.today()) == 0 and unreported.count() == 1


def _sheet(rows) -> Workbook:
    book = Workbook()
    book.active.append(["工号", "日期", "上班打卡", "下班打卡"])
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    return load_workbook(out, data_only=True)


def test_import_is_all_or_nothing_with_errors_in_chinese(demo, act, frozen):  # ATT-1
    bad = _sheet(
        [
            ["RE0003", "2026-03-02", "09:05", "18:00"],
            ["XX9999", "2026-03-02", "09:00", ""],
            ["RE0004", "2026/3/2", "9", ""],
        ]
    )
    with pytest.raises(Invalid) as error:
        actions.import_sheet(act("wangfang"), bad)
    assert "XX9999" in error.value.zh and "第 4 行" in error.value.zh
    assert not AttendanceRecord.objects.exists()  # nothing half-written
    good = _sheet([["RE0003", "2026-03-02", "09:05", "18:00"], ["RE0004", "2026-03-02", "08:55", "17:30"]])
    assert actions.import_sheet(act("wangfang"), good) == 2
    assert AttendanceRecord.objects.filter(source="import").count() == 2


def test_import_needs_attendance_manage(demo, act):  # ATT-1
    with pytest.raises(PermissionDenied):
        actions.import_sheet(act("zhaomin"), _sheet([["RE0003", "2026-03-02", "09:05", "18:00"]]))


def test_monthly_sheet_counts_per_person(demo, act, shift, frozen):  # ATT-1
    shift("zhaomin", frozen - timedelta(minutes=30))
    actions.clock_tap(act("zhaomin"))
    actions.check_day(clock.today())
    rows = {r["employee"].user.username: r for r in queries.month_sheet(demo["zhaomin"].unit, 2026, 3)}
    assert rows["zhaomin"]["shifts"] == 1 and rows["zhaomin"]["present"] == 1
    assert rows["zhaomin"]["late"] == 1 and rows["zhaomin"]["late_minutes"] == 30


def test_att1_a_night_shift_is_one_record_across_midnight(demo, act, shift, frozen):  # ATT-1
    night = frozen.replace(hour=16, minute=0) + timedelta(days=1)  # Tuesday 00:00–08:00 (Shanghai)
    row = shift("zhaomin", night)
    clock.freeze(night - timedelta(minutes=10))  # Monday 23:50: clocks in for Tuesday's night shift
    first = actions.clock_tap(act("zhaomin"))
    clock.freeze(night + timedelta(hours=8, minutes=5))  # Tuesday 08:05: clocks out
    second = actions.clock_tap(act("zhaomin"))
    assert first.pk == second.pk and second.day == clock.local(row.starts_at).date()
    assert actions.check_day(second.day) == 0  # neither absent nor late nor missing


def test_att1_the_sheet_reads_a_clock_out_after_midnight_as_the_next_morning(demo, act, frozen):  # ATT-1
    actions.import_sheet(act("wangfang"), _sheet([["RE0003", "2026-03-02", "15:55", "00:05"]]))
    record = AttendanceRecord.objects.get()
    assert record.clock_out - record.clock_in == timedelta(hours=8, minutes=10)
    with pytest.raises(Invalid) as error:
        actions.import_sheet(act("wangfang"), _sheet([["RE0004", "2026-03-02", "09:00", "09:00"]]))
    assert "打卡时间相同" in error.value.zh


def test_att1_the_monthly_sheet_counts_shifts_begun_so_far(demo, act, shift, frozen):  # ATT-1
    shift("zhaomin", frozen - timedelta(hours=1))
    shift("zhaomin", frozen + timedelta(days=2))  # later this month: not yet attendable
    rows = {r["employee"].user.username: r for r in queries.month_sheet(demo["zhaomin"].unit, 2026, 3)}
    assert rows["zhaomin"]["shifts"] == 1
