"""EMG-5 on PostgreSQL with real parallel connections: two workers sweeping at the same moment after a
burst of 报修 raise one surge and one alert per person (the partial unique constraint on the ongoing
surge settles it). The race is forced: both have counted the burst and decided to raise it."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.cases import actions as case_actions
from kefu.core import clock
from kefu.emergency.actions import surges
from kefu.emergency.models import Surge, SurgeCase
from kefu.emergency.queries import surges as queries
from kefu.engine.notifications.models import Notification
from kefu.engine.policy import actions as policy_actions
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_emg5_two_workers_sweeping_at_once_raise_one_alert(monkeypatch, admin_user):  # EMG-5
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    water = Unit.objects.get(code="hc-water")
    admin = actor_for(admin_user, origin="test")
    policy_actions.set_override(admin, water, surges.THRESHOLD, 5, clock.today(), reason="测试")
    for i in range(5):  # water main burst: 报修 through the real intake
        case_actions.create_case(
            actor_for(people["lvxin"].user, origin="test"),
            unit=people["lvxin"].unit,
            kind="repair",
            channel="phone",
            title=f"水管爆裂 {i}",
            extra={"location": f"{i + 1}号楼"},
        )
    both_counted = threading.Barrier(2, timeout=20)
    real = queries.baseline_counts

    def counted_together(*args, **kwargs):
        found = real(*args, **kwargs)
        both_counted.wait()  # neither inserts before both have decided to raise
        return found

    monkeypatch.setattr(queries, "baseline_counts", counted_together)
    raised, errors = [], []

    def sweep():
        try:
            raised.append(surges.sweep())
        except Exception as error:  # pragma: no cover - shown in the assertion
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    clock.reset()
    assert not errors and sorted(raised) == [0, 1]
    surge = Surge.objects.get()
    assert surge.unit == water and surge.count == 5 and SurgeCase.objects.count() == 5
    recipients = list(
        Notification.objects.filter(template="emergency.surge_alert").values_list("recipient", flat=True)
    )
    assert recipients and len(recipients) == len(set(recipients))  # one alert each
    assert people["gaofeng"].user_id in recipients
