"""CUS-5 upkeep schedules produce each period's task (notifications) once."""

from datetime import UTC, datetime

import pytest

from kefu.core import clock
from kefu.customers import jobs
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules import actions as schedules
from kefu.engine.schedules.models import ScheduleRun
from kefu.engine.schedules.registry import SCHEDULES

pytestmark = pytest.mark.django_db


def test_cus5_schedules_are_registered():
    # CUS-5
    assert SCHEDULES["customers.reverify"].rule == "quarterly"
    assert SCHEDULES["customers.important_review"].rule == "quarterly"
    assert SCHEDULES["customers.competition"].rule == "monthly:first-MON"


def test_cus5_quarterly_reverification_tells_owners_and_info_officers(make_customer, demo):
    # CUS-5: 每季度重新核定一次
    make_customer(by="huanglei", novelty="important")
    clock.freeze(datetime(2026, 4, 1, 3, 0, tzinfo=UTC))  # Wed 1 Apr 11:00 Shanghai
    run = schedules.sweep_one(SCHEDULES["customers.reverify"], clock.now())
    assert run.period_key == "2026-Q2" and run.status == "done"
    told = set(
        Notification.objects.filter(subject__contains="重新核定").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"huanglei", "hemei", "songyu"} <= told
    assert "guoqing" not in told  # finance: neither owner nor info officer
    assert schedules.sweep_one(SCHEDULES["customers.reverify"], clock.now()) is None  # once per period
    review = schedules.sweep_one(SCHEDULES["customers.important_review"], clock.now())
    assert review.status == "done"
    body = Notification.objects.get(recipient=demo["huanglei"].user, subject__contains="重要客户").body
    assert "1 户" in body


def test_cus5_competition_input_first_monday(demo):
    # CUS-5: competitive-environment input on the first Monday of each month
    clock.freeze(datetime(2026, 4, 6, 3, 0, tzinfo=UTC))  # Monday 6 Apr 2026, 11:00 Shanghai
    run = schedules.sweep_one(SCHEDULES["customers.competition"], clock.now())
    assert run is not None and run.status == "done"
    told = set(
        Notification.objects.filter(subject__contains="竞争环境").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {"huanglei", "linxiao"}
    assert ScheduleRun.objects.filter(schedule="customers.competition").count() == 1
    assert jobs.competition(run) == 2
