"""Typed durations: Entry.duration() and Entry.due() (CAL-2, POL-1)."""

from datetime import UTC, datetime, timedelta

import pytest

from kefu.core.errors import DomainError
from kefu.engine.policy import api

pytestmark = pytest.mark.django_db

MONDAY_10 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 Asia/Shanghai


def test_calendar_time_is_plain_elapsed_time(db):  # CAL-2
    assert api.lookup("claims.walk_in_protection").due(MONDAY_10) == MONDAY_10 + timedelta(days=7)
    assert api.lookup("emergency.activate_within").due(MONDAY_10) == MONDAY_10 + timedelta(minutes=30)
    assert api.lookup("sla.major_quality_onsite").duration() == timedelta(hours=24)


def test_months_follow_the_calendar_in_shanghai(db):  # CAL-2, SEC-7
    retention = api.lookup("retention.min_months")
    assert retention.due(MONDAY_10) == datetime(2026, 6, 2, 2, 0, tzinfo=UTC)
    # 30 November 20:00 Shanghai + 3 months → 28 February (clamped), same wall-clock time
    late = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert retention.due(late) == datetime(2027, 2, 28, 12, 0, tzinfo=UTC)
    with pytest.raises(DomainError) as caught:
        retention.duration()
    assert caught.value.code == "policy_not_a_duration"


def test_amounts_have_no_duration(db):  # POL-1
    with pytest.raises(DomainError) as caught:
        api.lookup("care.gift_max").due(MONDAY_10)
    assert caught.value.code == "policy_not_a_duration"
    with pytest.raises(ValueError):
        api.lookup("claims.walk_in_protection").due(datetime(2026, 3, 2, 10, 0))  # naive


def test_working_days_use_the_office_calendar(db):  # CAL-2, LV-2
    # received Monday 10:00 → "1个工作日内" = end of Tuesday's last office window (17:30 Shanghai)
    due = api.lookup("leave.approval_within").due(MONDAY_10)
    assert due == datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
    # received Friday 16:00 → end of Monday
    friday = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    assert api.lookup("leave.approval_within").due(friday) == datetime(2026, 3, 9, 9, 30, tzinfo=UTC)


def test_same_day_email_reply_is_the_end_of_the_working_day(db):  # SLA-1
    assert api.lookup("sla.email_first_response").due(MONDAY_10) == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_business_time_skips_closed_hours(db):  # CAL-2, SLA-2
    # 2 office hours from Friday 17:00 Shanghai: 30 min on Friday, 90 min on Monday from 8:30
    friday_17 = datetime(2026, 3, 6, 9, 0, tzinfo=UTC)
    due = api.lookup("sla.complaint_first_response").due(friday_17)
    assert due == datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
