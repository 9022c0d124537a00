"""DOC-1 on PostgreSQL with real parallel connections: two workers running the daily acknowledgement
reminders at the same moment send each person's reminder once (the unique (employee, day) claim settles
it). The race is forced: both have found the same people before either claims."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.core import clock
from kefu.documents.actions import policies as actions
from kefu.documents.models import Reminder
from kefu.engine.notifications.models import Notification
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_doc1_two_workers_remind_once(monkeypatch, admin_user):  # DOC-1
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    manager = actor_for(people["wangfang"].user, origin="test")
    for title in ("客户接待规范", "投诉处理办法"):
        actions.issue(
            manager,
            unit=Unit.objects.get(code="hc-realty"),
            title=title,
            body="第一条",
            effective_on=clock.today(),
        )
    clock.advance(timedelta(days=1))
    both_ready = threading.Barrier(2, timeout=20)
    real = actions._claim
    mine = threading.local()

    def claim_together(employee_id, day, pending):
        if not getattr(mine, "waited", False):
            mine.waited = True
            both_ready.wait()  # neither claims before both have found the people to remind
        return real(employee_id, day, pending)

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
    people_told = Reminder.objects.count()
    assert sum(counts) == people_told > 5  # each person reminded by one worker only
    told = list(
        Notification.objects.filter(template="documents.policy_reminder").values_list(
            "recipient_id", flat=True
        )
    )
    assert len(told) == len(set(told)) == people_told
