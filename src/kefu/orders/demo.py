"""Demo orders (ORD-1): an arrival revisit plan per subsidiary (FUP-1); stock for the goods; orders of the
hotline agents' and the 客服经理's customers in each state — awaiting the customer's confirmation, awaiting finance, shipped
yesterday with the arrival revisit due, and one returned with a partial refund. All through the actions, as
the people concerned, with the clock set back where the story happened."""

from datetime import timedelta

from kefu.catalogue.models import ServiceItem
from kefu.core import clock
from kefu.customers.models import Customer
from kefu.followups.actions import plans
from kefu.orders.actions import orders as actions
from kefu.orders.models import Order
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

PEOPLE = ["wangfang", "gaofeng", "zhaomin", "lvxin", "guoqing", "lina", "wujing"]


def load_orders(actor) -> dict:
    """Idempotent: does nothing once an order exists (or without the demo catalogue)."""
    if Order.objects.exists():
        return {"orders": 0}
    people = {
        e.user.username: e for e in Employee.objects.select_related("user").filter(user__username__in=PEOPLE)
    }
    items = {
        i.code: i for i in ServiceItem.objects.filter(code__in=["LOCK", "REPAIR", "SMART-METER", "DREDGE"])
    }
    if len(people) < len(PEOPLE) or len(items) < 4:
        return {"orders": 0}

    def act(name):
        return actor_for(people[name].user, origin="demo")

    def customer_of(name):
        return (
            Customer.objects.filter(owner=people[name], destroyed_at__isnull=True)
            .exclude(phone="")
            .order_by("pk")
        )

    realty, water = Unit.objects.get(code="hc-realty"), Unit.objects.get(code="hc-water")
    plans.set_plan(act("wangfang"), realty, "arrival")
    plans.set_plan(act("gaofeng"), water, "arrival")
    actions.set_stock(act("wangfang"), items["LOCK"], on_hand=20)
    actions.set_stock(act("gaofeng"), items["SMART-METER"], on_hand=50)
    mine = list(customer_of("zhaomin")[:2])  # 赵敏's customers: her orders wait for them and for finance
    managed = list(customer_of("wangfang")[:2])  # 王芳's key customers: shipped and returned
    theirs = list(customer_of("lvxin")[:1])
    if len(mine) < 2 or len(managed) < 2 or not theirs:
        return {"orders": 0}
    now = clock.now()
    lock = [{"item_id": items["LOCK"].pk, "quantity": 1}, {"item_id": items["REPAIR"].pk, "quantity": 1}]
    made = []
    # awaiting the customer's confirmation (today)
    made.append(actions.create(act("zhaomin"), mine[0], lines=lock, note="客户咨询门锁安装"))
    # awaiting finance
    waiting = actions.create(act("zhaomin"), mine[1], lines=[{"item_id": items["LOCK"].pk, "quantity": 2}])
    made.append(
        actions.confirm(act("zhaomin"), waiting, payment_method="transfer", note="对公转账，下午付款")
    )
    # shipped yesterday: the arrival revisit is due
    with clock.frozen_at(now - timedelta(days=2)):
        shipped = actions.create(act("wangfang"), managed[0], lines=lock)
        actions.confirm(act("wangfang"), shipped, payment_method="online")
        actions.release(act("guoqing"), shipped, paid=shipped.total)
    with clock.frozen_at(now - timedelta(days=1)):
        made.append(
            actions.ship(
                act("lina"), shipped, carrier="顺丰速运", carrier_phone="13905710001", tracking="SF1402688001"
            )
        )
    # returned: shipped a week ago, the lock sent back faulty, the lock refunded (the repair visit was done)
    with clock.frozen_at(now - timedelta(days=8)):
        back = actions.create(act("wangfang"), managed[1], lines=lock)
        actions.confirm(act("wangfang"), back, payment_method="card")
        actions.release(act("guoqing"), back, paid=back.total)
        actions.ship(act("lina"), back, carrier="京东物流", carrier_phone="13905710002", tracking="JD0099871")
    with clock.frozen_at(now - timedelta(days=3)):
        actions.return_goods(
            act("wujing"), back, kind="return", reason="门锁指纹识别失灵，客户要求退货", refund="1200.00"
        )
    made.append(back)
    # water: a smart meter shipped today, released by the administrator (华辰水务 has no 财务 in the demo)
    meter = actions.create(
        act("lvxin"), theirs[0], lines=[{"item_id": items["SMART-METER"].pk, "quantity": 1}]
    )
    actions.confirm(act("lvxin"), meter, payment_method="cash")
    actions.release(actor, meter, paid=meter.total)
    made.append(actions.ship(act("gaofeng"), meter, carrier="水务自有配送", carrier_phone="13705710003"))
    return {"orders": len(made)}
