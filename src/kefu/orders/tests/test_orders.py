"""ORD-1 orders and delivery follow-up (seed 001 · 线上客服 2.1–2.7): lines from the catalogue (PRC-1), the
stock and sales-policy check, the amount, the customer's confirmation, the finance gate, the shipment
notice with the courier's phone, the arrival revisit within three days (FUP-1), returns."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import decisions
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.customers.timeline import collect
from kefu.engine.outbound.models import OutboundMessage
from kefu.followups.models import RevisitTask
from kefu.orders.actions import orders
from kefu.orders.models import Order, OrderState, Stock
from kefu.orders.queries import orders as queries


def _lines(goods, locks=1, services=2):
    return [
        {"item_id": goods["lock"].item_id, "quantity": locks},
        {"item_id": goods["service"].item_id, "quantity": services},
    ]


def test_ord1_order_to_arrival_revisit(demo, act, frozen, goods, customer):  # ORD-1
    order = orders.create(act("zhaomin"), customer, lines=_lines(goods), note="客户要求上午送货")
    assert order.state == OrderState.AWAITING_CONFIRMATION
    assert order.total == Decimal("1360.00") and isinstance(order.total, Decimal)
    assert order.number.startswith("DD-20260302-")
    assert Stock.objects.get(item_id=goods["lock"].item_id).on_hand == 4  # reserved
    why = decisions.for_object(order).get()
    assert why.rule == "ORD-1" and "核实库存" in why.outcome and "1360.00" in why.outcome
    order = orders.confirm(act("zhaomin"), order, payment_method="transfer", note="对公转账")
    assert order.state == OrderState.AWAITING_FINANCE
    order = orders.release(act("guoqing"), order, paid="1360.00")
    assert order.state == OrderState.RELEASED and order.paid == Decimal("1360.00")
    order = orders.ship(
        act("lina"), order, carrier="顺丰速运", carrier_phone="139-0000-1234", tracking="SF100"
    )
    assert order.state == OrderState.SHIPPED
    task = RevisitTask.objects.get(pk=order.revisit_id)
    assert task.reference == order.number and task.customer_id == customer.pk
    assert frozen < task.due_at <= frozen + timedelta(days=3, hours=12)  # within three days (pack, FUP-1)
    message = OutboundMessage.objects.get(purpose="order", customer=customer)
    assert "13900001234" in message.body and "顺丰速运" in message.body
    assert "已短信告知" in order.notice
    with connection.cursor() as cursor:  # the courier's phone is sealed at rest
        cursor.execute("SELECT carrier_phone FROM orders_order WHERE id = %s", [order.pk])
        assert "13900001234" not in cursor.fetchone()[0]
    assert Order.objects.get(pk=order.pk).carrier_phone == "13900001234"


def test_ord1_finance_gate(demo, act, frozen, goods, customer):  # ORD-1
    order = orders.create(act("zhaomin"), customer, lines=_lines(goods, locks=0 + 1, services=1))
    with pytest.raises(Conflict) as error:  # not even confirmed
        orders.ship(act("lina"), order, carrier="顺丰", carrier_phone="13900001234")
    assert error.value.code == "ORD-1.finance_gate"
    orders.confirm(act("zhaomin"), order, payment_method="cash")
    with pytest.raises(Conflict) as error:  # confirmed, payment not verified
        orders.ship(act("lina"), order, carrier="顺丰", carrier_phone="13900001234")
    assert error.value.code == "ORD-1.finance_gate"
    with pytest.raises(PermissionDenied):  # finance releases, not the agent
        orders.release(act("zhaomin"), order, paid="1280.00")
    with pytest.raises(Invalid) as error:
        orders.release(act("guoqing"), order, paid="1000.00")
    assert error.value.code == "ORD-1.payment_mismatch"
    with pytest.raises(PermissionDenied):  # water's manager holds no finance right
        orders.release(act("gaofeng"), order, paid="1280.00")
    orders.release(act("guoqing"), order, paid="1280.00")
    with pytest.raises(Invalid) as error:
        orders.ship(act("lina"), order, carrier="顺丰", carrier_phone="")
    assert error.value.code == "ORD-1.carrier_phone"
    with pytest.raises(PermissionDenied):  # the agent neither ships nor opens revisits
        orders.ship(act("zhaomin"), order, carrier="顺丰", carrier_phone="13900001234")


def test_ord1_lines_only_from_catalogue_and_stock(demo, act, frozen, goods, customer):  # ORD-1, PRC-1
    with pytest.raises(Invalid) as error:
        orders.create(
            act("zhaomin"),
            customer,
            lines=[{"item_id": goods["lock"].item_id, "quantity": 1, "price": "999"}],
        )
    assert error.value.code == "PRC-1.off_catalogue" and "不准乱收费" in error.value.zh
    with pytest.raises(Invalid):
        orders.create(act("zhaomin"), customer, lines=[{"item_id": 424242, "quantity": 1}])
    with pytest.raises(Invalid):
        orders.create(act("zhaomin"), customer, lines=[])
    with pytest.raises(Conflict) as error:
        orders.create(act("zhaomin"), customer, lines=_lines(goods, locks=6))
    assert error.value.code == "ORD-1.stock" and Stock.objects.get(item_id=goods["lock"].item_id).on_hand == 5
    order = orders.create(act("zhaomin"), customer, lines=_lines(goods, locks=5))
    assert Stock.objects.get(item_id=goods["lock"].item_id).on_hand == 0
    orders.cancel(act("zhaomin"), order, reason="客户改期")
    assert Stock.objects.get(item_id=goods["lock"].item_id).on_hand == 5
    with pytest.raises(PermissionDenied):  # water's agent takes no realty order
        orders.create(act("lvxin"), customer, lines=_lines(goods))


def _shipped(act, goods, customer):
    order = orders.create(act("zhaomin"), customer, lines=_lines(goods, services=0 + 1))
    orders.confirm(act("zhaomin"), order, payment_method="card")
    orders.release(act("guoqing"), order, paid=order.total)
    return orders.ship(act("lina"), order, carrier="京东物流", carrier_phone="13700001111")


def test_ord1_returns_never_refund_above_paid(demo, act, frozen, goods, customer):  # ORD-1
    order = _shipped(act, goods, customer)
    exchange = orders.return_goods(act("lina"), order, kind="exchange", reason="门锁颜色不符，换一把")
    assert exchange.refund == Decimal("0.00")
    with pytest.raises(Invalid):
        orders.return_goods(act("lina"), order, kind="exchange", reason="换货", refund="10")
    with pytest.raises(Invalid):
        orders.return_goods(act("lina"), order, kind="return", reason="", refund="10")
    with pytest.raises(Invalid) as error:
        orders.return_goods(act("lina"), order, kind="return", reason="质量问题", refund="1280.01")
    assert error.value.code == "ORD-1.refund_above_paid"
    orders.return_goods(act("wujing"), order, kind="return", reason="质量问题", refund="1200.00")
    order.refresh_from_db()
    assert order.state == OrderState.RETURNED and order.refunded == Decimal("1200.00")
    with pytest.raises(Invalid):
        orders.return_goods(act("lina"), order, kind="return", reason="再退", refund="80.01")
    with pytest.raises(PermissionDenied):
        orders.return_goods(act("zhaomin"), order, kind="return", reason="再退", refund="1")


def test_ord1_timeline_and_scope(demo, act, frozen, goods, customer):  # ORD-1, CUS-9
    order = orders.create(act("zhaomin"), customer, lines=_lines(goods))
    entries = [e for e in collect(act("zhaomin"), customer) if e.kind == "order"]
    assert [e.title for e in entries] == [f"订单 {order.number}"] and entries[0].kind_label == "订单"
    assert not [e for e in collect(act("lvxin"), customer) if e.kind == "order"]
    assert list(queries.orders(act("guoqing"))) == [order]
    assert not queries.orders(act("sunli")).exists()  # another agent's own order
    with pytest.raises(NotFound):
        queries.order(act("gaofeng"), order.pk)


def test_ord1_api_flow(demo, frozen, goods, customer):  # ORD-1
    agent = Client(**bearer(demo["zhaomin"].user))
    made = agent.post(
        "/api/v1/orders",
        {"customer_id": customer.pk, "lines": [{"item_id": goods["lock"].item_id, "quantity": 2}]},
        content_type="application/json",
    )
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["total"] == "2400.00"
    assert (
        agent.post(
            f"/api/v1/orders/{pk}/confirm", {"payment_method": "online"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert (
        agent.post(
            f"/api/v1/orders/{pk}/release", {"paid": "2400.00"}, content_type="application/json"
        ).status_code
        == 403
    )
    finance = Client(**bearer(demo["guoqing"].user))
    assert (
        finance.post(
            f"/api/v1/orders/{pk}/release", {"paid": "2400.00"}, content_type="application/json"
        ).status_code
        == 200
    )
    supervisor = Client(**bearer(demo["lina"].user))
    shipped = supervisor.post(
        f"/api/v1/orders/{pk}/ship",
        {"carrier": "顺丰", "carrier_phone": "13900002222"},
        content_type="application/json",
    )
    assert shipped.status_code == 200 and shipped.json()["carrier_phone"] == "139****2222"
    assert shipped.json()["revisit_id"] and shipped.json()["revisit_due_at"]
    refund = supervisor.post(
        f"/api/v1/orders/{pk}/returns",
        {"kind": "return", "reason": "不需要了", "refund": "2400.01"},
        content_type="application/json",
    )
    assert refund.status_code == 400
    listed = finance.get("/api/v1/orders?state=shipped").json()
    assert [o["id"] for o in listed["items"]] == [pk]
    assert Client(**bearer(demo["lvxin"].user)).get(f"/api/v1/orders/{pk}").status_code == 404


def test_ord1_pages(demo, frozen, goods, customer, client):  # ORD-1
    client.force_login(demo["zhaomin"].user)
    page = client.get("/orders/")
    assert page.status_code == 200 and "智能门锁" in page.content.decode()
    made = client.post(
        "/orders/", {"customer": customer.pk, "item_1": goods["lock"].item_id, "quantity_1": "1"}, follow=True
    )
    order = Order.objects.get()
    assert order.number in made.content.decode()
    client.post(f"/orders/{order.pk}/confirm/", {"payment_method": "transfer"})
    client.force_login(demo["guoqing"].user)
    refused = client.post(f"/orders/{order.pk}/release/", {"paid": "1"}, follow=True)
    assert "不一致" in refused.content.decode()
    client.post(f"/orders/{order.pk}/release/", {"paid": "1200.00"})
    client.force_login(demo["lina"].user)
    shipped = client.post(
        f"/orders/{order.pk}/ship/", {"carrier": "顺丰", "carrier_phone": "13900003333"}, follow=True
    ).content.decode()
    assert 'id="arrival-revisit"' in shipped and "139****3333" in shipped
    assert "13900003333" not in shipped
