"""Property tests of the business-time arithmetic on `office` (CAL-1, CAL-2)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefu.engine.calendars import api
from kefu.engine.calendars.engine import WorkCalendar

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")

instants = st.datetimes(
    min_value=datetime(2004, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _inside_a_window(work: WorkCalendar, instant: datetime, *, closing_ok: bool) -> bool:
    day = work.local_date(instant)
    for candidate in (day, day - timedelta(days=1)):
        for begin, end in work.intervals(candidate):
            if begin <= instant < end or (closing_ok and instant == end):
                return work.is_working_day(candidate)
    return False


@FAST
@given(start=instants, duration=durations)
def test_add_then_measure_round_trips(start, duration):  # CAL-2
    begin = api.next_working_instant("office", start)
    due = api.add_business("office", begin, duration)
    assert api.business_between("office", begin, due) == duration
    assert due >= begin


@FAST
@given(start=instants, duration=durations)
def test_results_are_never_outside_a_window(start, duration):  # CAL-1
    work = WorkCalendar("office")
    begin = api.next_working_instant("office", start)
    assert begin >= start
    assert _inside_a_window(work, begin, closing_ok=False)
    assert api.business_between("office", start, begin) == timedelta(0)  # nothing skipped was working time
    due = api.add_business("office", begin, duration)
    if duration:
        assert _inside_a_window(work, due, closing_ok=True)


@FAST
@given(start=instants, days=st.integers(min_value=1, max_value=15))
def test_working_days_end_at_a_window_end_of_a_working_day(start, days):  # CAL-2
    work = WorkCalendar("office")
    due = api.add_working_days("office", start, days)
    local = due.astimezone(SH)
    day = local.date()
    assert work.is_working_day(day)
    assert due == work.intervals(day)[-1][1]
    # exactly `days` working days after the day of receipt, that one excluded
    received = work.local_date(start)
    counted = sum(
        1 for i in range(1, (day - received).days + 1) if work.is_working_day(received + timedelta(days=i))
    )
    assert counted == days
