"""Arrival revisits (FUP-1 "货物发出后三天内…跟踪回访"): a shipment told by an ERP opens a revisit
due within the pack's `followups.arrival_revisit_within`, once per shipment, in the contact window."""

from datetime import timedelta

import pytest

from kefu.core import clock, decisions
from kefu.core.errors import Invalid, NotFound
from kefu.customers.models import Customer
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import plans, tasks
from kefu.followups.models import RevisitTask, Trigger
from kefu.followups.tests.test_api import Api

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(demo):
    found = (
        Customer.objects.filter(unit__path__startswith=demo["gaofeng"].unit.parent.path)
        .order_by("pk")
        .first()
    )
    Customer.objects.filter(pk=found.pk).update(contact_window="")
    return Customer.objects.get(pk=found.pk)


@pytest.fixture
def arrival(demo, act):
    return plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, Trigger.ARRIVAL)


def test_fup1_no_arrival_plan_no_revisit(act, customer, frozen):
    assert tasks.shipped(act("gaofeng"), customer, shipped_at=frozen, reference="FH-1") is None


def test_fup1_shipment_opens_an_arrival_revisit_within_the_packs_days(demo, act, customer, arrival, frozen):
    shipped_at = frozen - timedelta(hours=5)
    task = tasks.shipped(act("gaofeng"), customer, shipped_at=shipped_at, reference="FH-1", carrier="顺丰")
    entry = lookup("followups.arrival_revisit_within")
    assert entry.rule == "FUP-1" and int(entry.value) == 3 and entry.unit == "days"
    assert task.due_at == shipped_at + timedelta(days=int(entry.value))
    assert task.assignee == demo["zhengkai"] and task.plan == arrival and task.case is None
    (timer,) = workflow.clocks(task)
    assert timer.name == "revisit_arrival" and timer.due_at == task.due_at
    assert "到货跟踪回访" in decisions.for_object(task).get().outcome
    again = tasks.shipped(act("gaofeng"), customer, shipped_at=shipped_at, reference="FH-1")
    assert again.pk == task.pk and RevisitTask.objects.filter(reference="FH-1").count() == 1


def test_fup1_fup2_arrival_due_outside_the_window_waits_for_it(act, customer, arrival, frozen):
    Customer.objects.filter(pk=customer.pk).update(contact_window="12:00–14:00")
    customer.refresh_from_db()
    task = tasks.shipped(act("gaofeng"), customer, shipped_at=frozen, reference="FH-2")  # due 10:00 local
    assert clock.local(task.due_at).hour == 12 and task.due_at == frozen + timedelta(days=3, hours=2)
    (timer,) = workflow.clocks(task)
    assert timer.due_at == task.due_at


def test_fup1_shipment_refusals(demo, act, customer, arrival, frozen):
    with pytest.raises(Invalid):
        tasks.shipped(act("gaofeng"), customer, shipped_at=frozen + timedelta(days=1), reference="FH-3")
    with pytest.raises(Invalid):
        tasks.shipped(act("gaofeng"), customer, shipped_at=frozen, reference=" ")
    with pytest.raises(NotFound):  # 吕欣 handles cases, not revisits
        tasks.shipped(act("lvxin"), customer, shipped_at=frozen, reference="FH-3")


def test_fup1_shipments_endpoint_for_an_erp(demo, customer, arrival, frozen):
    api = Api(demo["gaofeng"].user)
    body = {
        "customer_id": customer.pk,
        "shipped_at": frozen.isoformat(),
        "reference": "ERP-9",
        "carrier": "德邦",
    }
    made = api.send("post", "/shipments", body)
    assert made.status_code == 200, made.content
    assert made.json()["opened"] is True and made.json()["task"]["trigger"] == "arrival"
    assert api.send("post", "/shipments", body).json()["task"]["id"] == made.json()["task"]["id"]
    realty = Customer.objects.filter(unit__path__startswith=demo["wangfang"].unit.path).first()
    outside = api.send("post", "/shipments", {**body, "customer_id": realty.pk})
    assert outside.status_code == 404
    assert api.send("post", "/shipments", {**body, "reference": ""}).status_code in (400, 422)
