"""DRL-1 on PostgreSQL with real parallel connections: two workers running the daily drill reminders at the
same moment send the reminder of a drill coming up once (the unique reminder key settles it). The race
is forced: both have found the drill and reach the claim together."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.core import clock
from kefu.emergency.actions import drills as actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.models import DrillReminder
from kefu.engine.notifications.models import Notification
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_drl1_two_workers_remind_once(monkeypatch, admin_user):  # DRL-1
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    manager = actor_for(people["wangfang"].user, origin="test")
    plan = plan_actions.create_from_template(
        manager, unit=Unit.objects.get(code="hc-realty"), plan_type="fire"
    )
    actions.schedule(
        manager,
        plan,
        scheduled_for=clock.now() + timedelta(days=3),
        scenario="火灾疏散",
        place="客服大厅",
        organiser=people["lina"],
    )
    both_ready = threading.Barrier(2, timeout=20)
    real = actions._claim

    def claim_together(key):
        both_ready.wait()  # neither claims before both have found the drill
        return real(key)

    monkeypatch.setattr(actions, "_claim", claim_together)
    counts, errors, guard = [], [], threading.Lock()

    def run():
        try:
            told = actions.remind()
            with guard:
                counts.append(told)
        except Exception as error:
            with guard:
                errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    clock.reset()
    assert errors == [] and len(counts) == 2
    assert sum(counts) == DrillReminder.objects.count() >= 1  # each reminder sent by one worker only
    assert DrillReminder.objects.filter(key__startswith="upcoming:").count() == 1
    told = Notification.objects.filter(template="emergency.drill_upcoming")
    users = list(told.values_list("recipient__username", flat=True))
    assert "lina" in users and len(users) == len(set(users))
