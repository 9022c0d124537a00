"""Calendar arithmetic on known dates (CAL-1, CAL-2) and the CAL-3 fallback."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from kefu.core.errors import Invalid, NotFound
from kefu.engine.calendars import api, festivals, statutory
from kefu.engine.calendars.models import Calendar, CalendarOverride

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def sh(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_golden_week_2025_business_hours():  # CAL-1 CAL-2
    # Tue 30 Sep 17:00 → 0.5 h that day; 1–8 Oct holiday; Thu 9 Oct 8:30–12:00 (3.5 h), 13:00–17:00 (4 h)
    due = api.add_business("office", sh(2025, 9, 30, 17, 0), timedelta(hours=8))
    assert due == sh(2025, 10, 9, 17, 0)
    assert due.tzinfo == UTC
    assert api.business_between("office", sh(2025, 9, 30, 17, 0), due) == timedelta(hours=8)


def test_golden_week_2025_working_days():  # CAL-1 CAL-2
    assert api.add_working_days("office", sh(2025, 9, 30, 10, 0), 1) == sh(2025, 10, 9, 17, 30)
    assert api.add_working_days("office", sh(2025, 9, 30, 10, 0), 2) == sh(2025, 10, 10, 17, 30)
    # Sat 11 Oct is a 调休 make-up workday; Sun 28 Sep too
    assert api.add_working_days("office", sh(2025, 9, 30, 10, 0), 3) == sh(2025, 10, 11, 17, 30)
    assert api.is_working_day("office", date(2025, 10, 11))
    assert api.is_working_day("office", date(2025, 9, 28))
    assert not api.is_working_day("office", date(2025, 10, 1))
    assert not api.is_working_day("office", date(2025, 10, 8))
    assert not api.is_working_day("office", date(2025, 10, 12))  # an ordinary Sunday


def test_working_day_convention():  # CAL-2 "1个工作日内" = by the end of the next working day
    # received Tuesday at any hour → end of Wednesday; the day of receipt never counts
    for hour in (0, 8, 10, 17, 23):
        assert api.add_working_days("office", sh(2026, 3, 3, hour, 0), 1) == sh(2026, 3, 4, 17, 30)
    # received on Saturday → end of Monday
    assert api.add_working_days("office", sh(2026, 3, 7, 11, 0), 1) == sh(2026, 3, 9, 17, 30)
    # N = 0 is "the same day" while the day is open, else the next working day
    assert api.add_working_days("office", sh(2026, 3, 3, 10, 0), 0) == sh(2026, 3, 3, 17, 30)
    assert api.add_working_days("office", sh(2026, 3, 3, 18, 0), 0) == sh(2026, 3, 4, 17, 30)
    with pytest.raises(Invalid):
        api.add_working_days("office", sh(2026, 3, 3, 10, 0), -1)


def test_spring_festival_2026_matches_chinese_calendar():  # CAL-1
    # 2026: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are make-up workdays
    for offset in range(-5, 20):
        day = date(2026, 2, 10) + timedelta(days=offset)
        assert api.is_working_day("office", day) == chinese_calendar.is_workday(day), day
    assert api.is_working_day("office", date(2026, 2, 14))
    assert api.add_working_days("office", sh(2026, 2, 13, 9, 0), 1) == sh(2026, 2, 14, 17, 30)
    assert api.add_working_days("office", sh(2026, 2, 14, 9, 0), 1) == sh(2026, 2, 24, 17, 30)
    assert api.add_business("office", sh(2026, 2, 14, 17, 0), timedelta(hours=1)) == sh(2026, 2, 24, 9, 0)


def test_whole_library_range_matches_for_weekdays():  # CAL-1: data source 2 is chinese_calendar
    day = date(2004, 1, 1)
    while day.year <= 2026:
        if day.day in (1, 9, 17, 25) or chinese_calendar.get_holiday_detail(day)[1]:
            assert api.is_working_day("office", day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)


def test_lunch_break_and_next_working_instant():  # CAL-1
    assert api.next_working_instant("office", sh(2026, 3, 2, 12, 30)) == sh(2026, 3, 2, 13, 0)
    assert api.next_working_instant("office", sh(2026, 3, 2, 10, 0)) == sh(2026, 3, 2, 10, 0)
    assert api.next_working_instant("office", sh(2026, 3, 2, 17, 30)) == sh(2026, 3, 3, 8, 30)
    assert api.next_working_instant("office", sh(2026, 3, 6, 18, 0)) == sh(2026, 3, 9, 8, 30)
    assert api.business_between("office", sh(2026, 3, 2, 8, 0), sh(2026, 3, 2, 14, 0)) == timedelta(hours=4.5)
    assert api.business_between("office", sh(2026, 3, 2, 14, 0), sh(2026, 3, 2, 8, 0)) == timedelta(0)
    assert api.add_business("office", sh(2026, 3, 2, 11, 0), timedelta(hours=2)) == sh(2026, 3, 2, 14, 0)


def test_24x7_is_always_working():  # CAL-1 "24小时全天候"
    start = sh(2025, 10, 1, 3, 17)
    assert api.add_business("24x7", start, timedelta(hours=50)) == start + timedelta(hours=50)
    assert api.add_working_days("24x7", sh(2025, 10, 1, 3, 0), 1) == sh(2025, 10, 3, 0, 0)
    assert api.is_working_day("24x7", date(2025, 10, 1))
    assert api.next_working_instant("24x7", start) == start
    assert api.business_between("24x7", start, start + timedelta(days=400)) == timedelta(days=400)


def test_overrides_close_and_open_days(admin_actor):  # CAL-1 per-calendar overrides
    from kefu.engine.calendars import actions

    office = Calendar.objects.get(code="office")
    actions.set_override(admin_actor, office, date(2026, 3, 4), "closed", "公司团建")
    actions.set_override(admin_actor, office, date(2026, 3, 7), "workday", "盘点")
    assert not api.is_working_day("office", date(2026, 3, 4))
    assert api.is_working_day("office", date(2026, 3, 7))
    # a workday override on Saturday uses Monday's windows
    assert api.add_business("office", sh(2026, 3, 7, 8, 0), timedelta(hours=4)) == sh(2026, 3, 7, 13, 30)
    assert api.add_working_days("office", sh(2026, 3, 3, 10, 0), 1) == sh(2026, 3, 5, 17, 30)
    assert api.is_working_day("24x7", date(2026, 3, 4))  # overrides belong to one calendar
    actions.remove_override(admin_actor, CalendarOverride.objects.get(date=date(2026, 3, 4)))
    assert api.is_working_day("office", date(2026, 3, 4))


def test_naive_datetimes_and_unknown_calendars_are_refused():
    with pytest.raises(Invalid):
        api.add_business("office", datetime(2026, 3, 2, 10, 0), timedelta(hours=1))
    with pytest.raises(NotFound):
        api.is_working_day("nope", date(2026, 3, 2))
    with pytest.raises(Invalid):
        api.add_business("office", sh(2026, 3, 2, 10, 0), timedelta(hours=-1))


def test_2027_falls_back_to_statutory_festivals():  # CAL-3
    assert statutory.library_year(2027) is None
    assert not api.is_working_day("office", date(2027, 2, 6))  # 春节 (lunar 1/1)
    assert not api.is_working_day("office", date(2027, 2, 5))  # 除夕
    assert not api.is_working_day("office", date(2027, 2, 8))  # lunar 1/3, a Monday
    assert api.is_working_day("office", date(2027, 2, 9))
    assert not api.is_working_day("office", date(2027, 10, 1))
    assert api.is_working_day("office", date(2027, 10, 4))  # no guessing of 调休 beyond the statute
    due = api.add_working_days("office", sh(2027, 2, 4, 10, 0), 1)
    assert due == sh(2027, 2, 9, 17, 30)


def test_no_date_ever_raises():  # CAL-3 "Never fail on a date"
    for year in [1901, 1950, 2000, 2003, 2027, 2050, 2099]:
        for month in range(1, 13):
            api.is_working_day("office", date(year, month, 15))
        api.add_working_days("office", sh(year, 12, 30, 10, 0), 3)
        api.add_business("office", sh(year, 1, 30, 10, 0), timedelta(hours=300))


@pytest.mark.parametrize(
    ("year", "day"),
    [
        (1990, 5),
        (2000, 4),
        (2008, 4),
        (2010, 5),
        (2016, 4),
        (2019, 5),
        (2024, 4),
        (2025, 4),
        (2026, 5),
        (2027, 5),
        (2028, 4),
        (2030, 5),
    ],
)
def test_qingming_known_years(year, day):  # CAL-3 fallback: 清明 is the solar term
    assert festivals.qingming(year) == date(year, 4, day)


def test_qingming_matches_chinese_calendar_solar_terms_1901_2099():  # CAL-3
    for year in range(1901, 2100):
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
        assert terms[0][0] == festivals.qingming(year), year


def test_lunar_festivals_2026():  # CAL-3 fallback uses the lunar calendar
    assert festivals.festival_date("春节", 2026) == date(2026, 2, 17)
    assert festivals.festival_date("yuanxiao", 2026) == date(2026, 3, 3)
    assert festivals.festival_date("清明", 2026) == date(2026, 4, 5)
    assert festivals.festival_date("端午节", 2026) == date(2026, 6, 19)
    assert festivals.festival_date("zhongqiu", 2026) == date(2026, 9, 25)
    assert festivals.festival_date("chunjie", 2027) == date(2027, 2, 6)
    assert festivals.festival_date("chunjie", 2150) is None


def test_fallback_agrees_with_library_on_festival_days():  # CAL-3: the fallback never contradicts
    # the 2025 rules (除夕 became a holiday then) against the official 2025 and 2026 schedules
    for year in (2025, 2026):
        for day in festivals.statutory_fallback(year):
            assert chinese_calendar.is_holiday(day), day


def test_calls_cost_at_most_two_queries(django_assert_max_num_queries):  # CAL-1 speed
    api.add_business("office", sh(2025, 1, 2, 10, 0), timedelta(hours=100))  # warm the cache
    with django_assert_max_num_queries(2):
        api.add_business("office", sh(2025, 1, 2, 10, 0), timedelta(hours=150))
    with django_assert_max_num_queries(2):
        api.business_between("office", sh(2025, 1, 2, 10, 0), sh(2025, 12, 20, 10, 0))
    with django_assert_max_num_queries(2):
        api.add_working_days("office", sh(2025, 9, 30, 10, 0), 20)
