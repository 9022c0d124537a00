"""HRD-1 with real parallel connections on PostgreSQL: several workers sweep the 逾期报备 reminders at
the same moment — each reminder is sent once (one notification, one next monthly reminder planned)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from kefu import demo as demo_data
from kefu.cases.actions import hardship as actions
from kefu.cases.models import HardshipReminder, ReminderKind
from kefu.core import clock
from kefu.emergency.tests.parallel import together
from kefu.engine.notifications.models import Notification
from kefu.org.access import actor_for
from kefu.org.models import Employee

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"
)


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_hrd1_parallel_reminders_fire_once(admin_user):  # HRD-1
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Monday 10:00 in Shanghai
    try:
        agent = Employee.objects.select_related("user", "unit").get(user__username="zhaomin")
        me = actor_for(agent.user, origin="test")
        reports = [
            actions.create_report(
                me,
                unit=agent.unit,
                phone=f"1351234{i:04d}",
                overdue_on=date(2026, 3, 5),
                hardship="失业，暂时无力还款",
                willingness="willing_unable",
                window_start="12:00",
                window_end="14:00",
            )
            for i in range(3)
        ]
        clock.freeze(clock.now() + timedelta(days=1))  # Tuesday: the calls before the overdue date
        sent = together(lambda _: actions.remind(), range(4))
        assert all(isinstance(n, int) for n in sent), sent
        assert sum(sent) == 3, sent
        told = Notification.objects.filter(template="cases.hardship_reminder")
        assert told.count() == 3
        clock.freeze(datetime(2026, 3, 17, 2, 0, tzinfo=UTC))  # the monthly calls of the 16th
        sent = together(lambda _: actions.remind(), range(4))
        assert sum(sent) == 3 and told.count() == 6, sent
        for report in reports:  # one next monthly reminder each, for April 1st
            waiting = HardshipReminder.objects.filter(report=report, sent_at__isnull=True)
            assert waiting.count() == 1 and waiting.get().kind == ReminderKind.MONTHLY
            assert clock.local(waiting.get().due_at).date() == date(2026, 4, 1)
    finally:
        clock.reset()
