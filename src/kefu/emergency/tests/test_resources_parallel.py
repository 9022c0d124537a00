"""RES-1 with real parallel connections on PostgreSQL: two people issue the last unit of an item at the
same moment — one succeeds, the other is refused (库存不足), the quantity ends at zero."""

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.errors import Invalid
from kefu.emergency.actions import resources as actions
from kefu.emergency.models import Movement, Resource
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_res1_two_issues_of_the_last_unit_one_wins(monkeypatch, admin_user):  # RES-1
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    item = actions.register_item(
        actor_for(people["wangfang"].user, origin="test"),
        unit=Unit.objects.get(code="hc-realty"),
        kind="stock",
        name="应急手电",
        location="仓库",
        quantity=1,
        custodian=people["lina"],
        inspect_every_days=30,
    )
    both_ready = threading.Barrier(2, timeout=20)
    real = actions._locked

    def lock_together(found):
        both_ready.wait()  # neither locks before both have passed their checks
        return real(found)

    monkeypatch.setattr(actions, "_locked", lock_together)
    outcomes, guard = [], threading.Lock()

    def issue(username):
        try:
            me = actor_for(people[username].user, origin="test")
            actions.move(me, Resource.objects.get(pk=item.pk), kind="issue", amount=1)
            with guard:
                outcomes.append("issued")
        except Invalid as error:
            with guard:
                outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(u,)) for u in ("wangfang", "lina")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    clock.reset()
    assert sorted(outcomes) == ["issued", "resource_stock_short"]
    assert Resource.objects.get(pk=item.pk).quantity == 0
    assert Movement.objects.filter(resource_id=item.pk).count() == 1
