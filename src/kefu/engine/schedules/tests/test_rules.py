"""Schedule rules and their periods (WF-5), lunar festivals included."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from kefu.engine.schedules import Schedule
from kefu.engine.schedules.actions import period_dates
from kefu.engine.schedules.rules import parse

SH = ZoneInfo("Asia/Shanghai")


def periods(rule, first, last):
    return list(parse(rule).periods(first, last))


def test_daily():  # WF-5
    assert periods("daily", date(2026, 11, 29), date(2026, 12, 1)) == [
        ("2026-11-29", date(2026, 11, 29)),
        ("2026-11-30", date(2026, 11, 30)),
        ("2026-12-01", date(2026, 12, 1)),
    ]


def test_weekly():  # WF-5
    assert periods("weekly:MON", date(2026, 11, 20), date(2026, 12, 7)) == [
        ("2026-W48", date(2026, 11, 23)),
        ("2026-W49", date(2026, 11, 30)),
        ("2026-W50", date(2026, 12, 7)),
    ]
    # ISO week-year at the turn of the year
    assert periods("weekly:FRI", date(2027, 1, 1), date(2027, 1, 1)) == [("2026-W53", date(2027, 1, 1))]


def test_first_monday_of_month():  # WF-5 "first Monday of month"
    assert periods("monthly:first-MON", date(2026, 9, 1), date(2026, 12, 31)) == [
        ("2026-09", date(2026, 9, 7)),
        ("2026-10", date(2026, 10, 5)),
        ("2026-11", date(2026, 11, 2)),
        ("2026-12", date(2026, 12, 7)),
    ]
    assert periods("monthly:15", date(2026, 1, 20), date(2026, 3, 1)) == [("2026-02", date(2026, 2, 15))]


def test_quarterly_and_yearly():  # WF-5
    assert periods("quarterly", date(2026, 5, 1), date(2027, 1, 1)) == [
        ("2026-Q3", date(2026, 7, 1)),
        ("2026-Q4", date(2026, 10, 1)),
        ("2027-Q1", date(2027, 1, 1)),
    ]
    assert periods("yearly:03-15", date(2025, 1, 1), date(2026, 12, 31)) == [
        ("2025", date(2025, 3, 15)),
        ("2026", date(2026, 3, 15)),
    ]


def test_every_n_months_and_numbered_weekdays():  # WF-5, CUS-5 numbers from the policy pack (issue 13)
    assert parse("months:3") == parse("quarterly").__class__(
        "months:3", "quarterly"
    )  # same keys as quarterly
    assert periods("months:1", date(2026, 11, 15), date(2027, 1, 1)) == [
        ("2026-12", date(2026, 12, 1)),
        ("2027-01", date(2027, 1, 1)),
    ]
    assert periods("months:6", date(2026, 2, 1), date(2027, 7, 1)) == [
        ("2026-07", date(2026, 7, 1)),
        ("2027-01", date(2027, 1, 1)),
        ("2027-07", date(2027, 7, 1)),
    ]
    assert periods("monthly:first-2", date(2026, 9, 1), date(2026, 9, 30)) == [("2026-09", date(2026, 9, 1))]
    for wrong in ("months:0", "months:x", "monthly:first-8"):
        with pytest.raises(ValueError):
            parse(wrong)


@pytest.mark.parametrize(
    ("rule", "key", "day"),
    [
        ("before:zhongqiu:3d", "2026-09-25", date(2026, 9, 22)),  # 中秋 2026-09-25
        ("before:中秋节:1d", "2026-09-25", date(2026, 9, 24)),
        ("before:春节:7d", "2026-02-17", date(2026, 2, 10)),  # 春节 2026-02-17
        ("before:chunjie:0d", "2026-02-17", date(2026, 2, 17)),
        ("before:duanwu:2d", "2026-06-19", date(2026, 6, 17)),  # 端午 2026-06-19
        ("before:清明:1d", "2026-04-05", date(2026, 4, 4)),  # 清明 2026-04-05
        ("before:元宵节:3d", "2026-03-03", date(2026, 2, 28)),  # 元宵 2026-03-03
        ("before:12-25:3d", "2026-12-25", date(2026, 12, 22)),
    ],
)
def test_before_festival_2026(rule, key, day):  # WF-5 "N days before a date (lunar festivals included)"
    assert periods(rule, date(2026, 1, 1), date(2026, 12, 31)) == [(key, day)]


def test_before_festival_across_years():  # WF-5
    got = periods("before:zhongqiu:3d", date(2024, 1, 1), date(2027, 12, 31))
    assert got == [
        ("2024-09-17", date(2024, 9, 14)),
        ("2025-10-06", date(2025, 10, 3)),
        ("2026-09-25", date(2026, 9, 22)),
        ("2027-09-15", date(2027, 9, 12)),
    ]
    # a reminder 40 days before 元旦 falls in the previous year but belongs to the festival's year
    assert periods("before:01-01:40d", date(2026, 11, 1), date(2026, 12, 31)) == [
        ("2027-01-01", date(2026, 11, 22))
    ]


@pytest.mark.parametrize(
    "bad",
    [
        "hourly",
        "weekly:XYZ",
        "monthly:first-ABC",
        "monthly:31",
        "yearly:02-29",
        "yearly:13-01",
        "before:christmas:3d",
        "before:zhongqiu:3",
        "before:zhongqiu:999d",
        "",
    ],
)
def test_bad_rules_are_refused_at_registration(bad):  # WF-5
    with pytest.raises(ValueError):
        Schedule("x", bad, run="kefu.engine.schedules.tests.jobs.record")


@pytest.mark.django_db
def test_working_day_shift_on_office():  # WF-5 with CAL-1: Golden Week 2025
    weekly = Schedule("w", "weekly:MON", run="kefu.engine.schedules.tests.jobs.record", working_day=True)
    got = dict(period_dates(weekly, date(2025, 9, 29), date(2025, 10, 13)))
    # Monday 6 Oct is in the National Day holiday → the previous working day, Tuesday 30 Sep
    assert got["2025-W41"] == datetime(2025, 9, 30, 8, 30, tzinfo=SH)
    assert got["2025-W40"] == datetime(2025, 9, 29, 8, 30, tzinfo=SH)
    daily = Schedule("d", "daily", run="kefu.engine.schedules.tests.jobs.record", working_day=True)
    keys = [k for k, _ in period_dates(daily, date(2025, 9, 27), date(2025, 10, 12))]
    # Sun 28 Sep and Sat 11 Oct are 调休 workdays; 1–8 Oct and ordinary weekends have no period
    assert keys == ["2025-09-28", "2025-09-29", "2025-09-30", "2025-10-09", "2025-10-10", "2025-10-11"]
