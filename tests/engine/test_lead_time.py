"""WF-2 warnings by lead time: `TimerSpec.warn_before` names a policy entry; the warning comes that
long before the deadline (calendar time back plainly; working days at the opening of a working day)."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kefu.engine.policy import api as policy
from kefu.engine.workflow import durations

pytestmark = pytest.mark.django_db
DUE = datetime(2026, 10, 5, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai, inside the National Day holiday


def _entry(**changes):
    return replace(policy.lookup("customers.first_contact_warn_before"), **changes)


def test_working_days_lead_opens_the_working_day_before_the_due_day():
    # 1 working day before Mon 5 Oct: 1–4 Oct are holidays → Wed 30 Sep at 08:30 (office)
    assert durations.lead_point(_entry(), DUE) == datetime(2026, 9, 30, 0, 30, tzinfo=UTC)
    assert durations.lead_point(_entry(value=2), DUE) == datetime(2026, 9, 29, 0, 30, tzinfo=UTC)


def test_calendar_time_lead_counts_back_plainly():
    days = _entry(kind="calendar_time", unit="days", value=2, calendar="")
    assert durations.lead_point(days, DUE) == datetime(2026, 10, 3, 2, 0, tzinfo=UTC)
    months = _entry(kind="calendar_time", unit="months", value=1, calendar="")
    assert durations.lead_point(months, DUE) == datetime(2026, 9, 5, 2, 0, tzinfo=UTC)


def test_other_kinds_are_not_lead_times():
    with pytest.raises(ValueError):
        durations.lead_point(_entry(kind="count", unit="count"), DUE)
