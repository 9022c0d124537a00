"""ORD-1 on PostgreSQL with real parallel connections: the last unit in stock goes to one order only, and
refunds racing on one order never exceed what was paid."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from kefu import demo as demo_data
from kefu.catalogue.actions import items
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid
from kefu.customers.models import Customer
from kefu.emergency.tests.parallel import together
from kefu.orders.actions import orders
from kefu.orders.models import Order, Stock
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

pytestmark = [pytest.mark.pg_only, pytest.mark.django_db(transaction=True)]


def _world(on_hand: int):
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}

    def act(name):
        return actor_for(people[name].user, origin="test")

    lock = items.propose(
        act("wangfang"),
        kind="new",
        unit=Unit.objects.get(code="hc-realty"),
        code="LOCK",
        name="智能门锁",
        measure="把",
        price="1200.00",
        effective_on=clock.today(),
        reason="门锁销售",
    )
    lock = items.decide(act("guoqing"), lock, approve=True)
    orders.set_stock(act("wangfang"), lock.item, on_hand=on_hand)
    customer = Customer.objects.filter(owner=people["zhaomin"]).exclude(phone="").first()
    return act, lock, customer


def test_ord1_last_unit_one_winner(admin_user):  # ORD-1
    act, lock, customer = _world(1)
    line = [{"item_id": lock.item_id, "quantity": 1}]
    outcomes = together(lambda _n: orders.create(act("zhaomin"), customer, lines=line), range(4))
    made = [o for o in outcomes if isinstance(o, Order)]
    assert len(made) == 1, outcomes
    assert all(isinstance(o, Conflict) for o in outcomes if not isinstance(o, Order))
    assert Stock.objects.get(item_id=lock.item_id).on_hand == 0


def test_ord1_racing_refunds_never_above_paid(admin_user):  # ORD-1
    act, lock, customer = _world(5)
    order = orders.create(act("zhaomin"), customer, lines=[{"item_id": lock.item_id, "quantity": 1}])
    orders.confirm(act("zhaomin"), order, payment_method="card")
    orders.release(act("guoqing"), order, paid="1200.00")
    orders.ship(act("lina"), order, carrier="顺丰", carrier_phone="13900004444")
    outcomes = together(
        lambda who: orders.return_goods(
            act(who), Order.objects.get(pk=order.pk), kind="return", reason="退货", refund="700"
        ),
        ["lina", "wujing", "wangfang"],
    )
    assert sum(1 for o in outcomes if not isinstance(o, Exception)) == 1, outcomes
    assert all(isinstance(o, Invalid) for o in outcomes if isinstance(o, Exception))
    assert Order.objects.get(pk=order.pk).refunded == Decimal("700.00")
