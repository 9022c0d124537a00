"""The periodic revisit run (FUP-1) streams the customers in key-set batches, a transaction per batch,
and is safe to run again: the database refuses a second task for the same plan, customer and run day
— also when two runs race on PostgreSQL."""

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from kefu.core import clock, memo
from kefu.customers.models import Customer
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import plans, tasks
from kefu.followups.models import RevisitPlan, RevisitTask, Trigger
from kefu.org.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def keyed(demo, act):
    water = demo["gaofeng"].unit
    subsidiary = water.parent
    live = Customer.objects.filter(
        unit__path__startswith=subsidiary.path, destroyed_at__isnull=True, merged_into__isnull=True
    )
    live.update(tier="key")
    plans.set_plan(act("gaofeng"), water, Trigger.PERIODIC, tier="key")
    return list(live.order_by("pk"))


def test_fup1_periodic_run_streams_in_batches_and_opens_each_once(keyed, frozen):
    assert tasks.periodic(size=3) == len(keyed)  # several batches
    opened = RevisitTask.objects.filter(plan__trigger=Trigger.PERIODIC)
    assert sorted(opened.values_list("customer_id", flat=True)) == [c.pk for c in keyed]
    assert all(t.slot == clock.today() for t in opened)
    task = opened.first()
    (timer,) = workflow.clocks(task)
    assert timer.name == "revisit_periodic" and timer.due_at == task.due_at
    assert tasks.periodic(size=3) == 0  # run again: nothing twice


def test_fup1_periodic_run_day_is_enforced_by_the_database(keyed, frozen):
    tasks.periodic()
    one = RevisitTask.objects.filter(plan__trigger=Trigger.PERIODIC).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        RevisitTask.objects.create(
            plan=one.plan,
            customer=one.customer,
            unit=one.unit,
            due_at=one.due_at,
            created_at=one.created_at,
            slot=one.slot,
        )


def test_fup1_periodic_run_statements_per_batch_do_not_grow(keyed, frozen):
    half = keyed[: len(keyed) // 2]
    Customer.objects.exclude(pk__in=[c.pk for c in half]).filter(tier="key").update(tier="normal")
    with memo.scope(), CaptureQueriesContext(connection) as few:
        assert tasks.periodic(size=1000) == len(half)
    RevisitTask.objects.all().delete()  # plain rows: no timers kept for this comparison
    Customer.objects.filter(pk__in=[c.pk for c in keyed]).update(tier="key")
    with memo.scope(), CaptureQueriesContext(connection) as many:
        assert tasks.periodic(size=1000) == len(keyed)
    assert len(many) <= len(few) and len(many) <= 20  # one INSERT per table per batch


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_fup1_two_periodic_runs_at_once_open_each_revisit_once(frozen):
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    unit = Unit.objects.create(kind=UnitKind.SUBSIDIARY, name="并发回访公司", code="revisit-race")
    now = clock.now()
    Customer.objects.bulk_create(
        [Customer(name=f"客户{i}", unit=unit, tier="key", created_at=now, updated_at=now) for i in range(60)]
    )
    RevisitPlan.objects.create(unit=unit, trigger=Trigger.PERIODIC, tier="key", created_at=now)
    start, results, errors = threading.Barrier(3, timeout=30), [], []

    def run():
        try:
            start.wait()
            results.append(tasks.periodic(size=7))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and sum(results) == 60
    assert RevisitTask.objects.filter(customer__unit=unit).count() == 60
