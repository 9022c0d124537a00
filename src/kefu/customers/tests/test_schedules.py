"""CUS-5 upkeep schedules produce each period's task (notifications) once."""

from datetime import UTC, datetime

import pytest

from kefu.core import clock
from kefu.customers import jobs
from kefu.engine.notifications.models import Notification
from kefu.engine.policy.actions import set_value
from kefu.engine.policy.api import lookup
from kefu.engine.schedules import actions as schedules
from kefu.engine.schedules.models import ScheduleRun
from kefu.engine.schedules.registry import SCHEDULES
from kefu.org.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db


def test_cus5_schedules_are_registered():
    # CUS-5: how often is the policy pack's (issue 13): 3 months = quarterly, the first Monday (weekday 1)
    now = clock.now()
    assert schedules.rule_at(SCHEDULES["customers.reverify"], now).kind == "quarterly"
    assert schedules.rule_at(SCHEDULES["customers.important_review"], now).kind == "quarterly"
    competition = schedules.rule_at(SCHEDULES["customers.competition"], now)
    assert (competition.kind, competition.weekday) == ("monthly_first", 0)


def test_policy_pack_honesty_cus5_schedules_read_the_pack(demo, actor_of):
    # issue 13: customers.reverify_every, customers.important_review_every and the CUS-5 weekday are read
    # from the pack, not written in code — a monthly re-verification and a first-Tuesday input follow an edit
    assert lookup("customers.competition_input_weekday").display("zh-hans") == "星期一"
    RoleAssignment.objects.create(employee=demo["wangfang"], role=Role.objects.get(code="admin"))
    admin = actor_of(demo["wangfang"])
    clock.freeze(datetime(2026, 4, 20, 3, 0, tzinfo=UTC))
    set_value(admin, "customers.reverify_every", 1, effective_from=clock.today(), reason="每月核定")
    set_value(admin, "customers.competition_input_weekday", 2, effective_from=clock.today(), reason="改周二")
    clock.freeze(datetime(2026, 5, 5, 3, 0, tzinfo=UTC))  # Tue 5 May 2026 11:00 (1 May: 劳动节 holiday)
    run = schedules.sweep_one(SCHEDULES["customers.reverify"], clock.now())
    assert run.period_key == "2026-05"  # monthly now, not 2026-Q2
    competition = schedules.sweep_one(SCHEDULES["customers.competition"], clock.now())
    assert competition is not None and competition.period_key == "2026-05"
    assert competition.due_at.astimezone(clock.zone()).date().isoformat() == "2026-05-05"  # first Tuesday


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
