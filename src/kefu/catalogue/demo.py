"""Demo catalogues (PRC-1): each subsidiary's service items priced a month ago by its 客服经理 and approved by
another person (华辰置业: 财务 郭庆; 华辰水务: 集团副总 刘洋); one price change approved and in effect since a
few days, one proposal awaiting approval. All through the actions, with the clock set back where the story
happened."""

from datetime import timedelta

from kefu.catalogue.actions import items as actions
from kefu.catalogue.models import ServiceItem
from kefu.core import clock
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

# subsidiary → (proposer, approver, [(code, name, measure, price)], (raised code, new price),
#               (pending code, proposed price, days ahead))
CATALOGUES = {
    "hc-realty": (
        "wangfang",
        "guoqing",
        [
            ("REPAIR", "上门维修", "次", "80.00"),
            ("LOCK", "智能门锁", "把", "1200.00"),
            ("CARD", "门禁卡补办", "张", "30.00"),
            ("ERRAND", "管家代办服务", "次", "50.00"),
        ],
        ("REPAIR", "100.00"),
        ("CARD", "25.00", 7),
    ),
    "hc-water": (
        "gaofeng",
        "liuyang",
        [
            ("METER-CHECK", "水表检定", "次", "60.00"),
            ("DREDGE", "管道疏通", "次", "150.00"),
            ("SMART-METER", "智能水表", "只", "480.00"),
        ],
        ("DREDGE", "180.00"),
        ("METER-CHECK", "50.00", 10),
    ),
}


def load_catalogue(actor) -> dict:
    """Idempotent: does nothing once any service item exists."""
    if ServiceItem.objects.exists():
        return {"items": 0}
    people = {e.user.username: e for e in Employee.objects.select_related("user").filter(user__isnull=False)}
    needed = {name for proposer, approver, *_rest in CATALOGUES.values() for name in (proposer, approver)}
    if not needed <= set(people):
        return {"items": 0}

    def act(name):
        return actor_for(people[name].user, origin="demo")

    made = 0
    now = clock.now()
    for code, (proposer, approver, rows, raised, pending) in CATALOGUES.items():
        unit = Unit.objects.get(code=code)
        by_code = {}
        with clock.frozen_at(now - timedelta(days=35)):
            start = clock.today() + timedelta(days=5)
            for item_code, name, measure, price in rows:
                version = actions.propose(
                    act(proposer),
                    kind="new",
                    unit=unit,
                    code=item_code,
                    name=name,
                    measure=measure,
                    price=price,
                    effective_on=start,
                    reason="按公司收费标准建立价目表",
                )
                actions.decide(act(approver), version, approve=True, note="符合收费标准")
                by_code[item_code] = version.item
                made += 1
        with clock.frozen_at(now - timedelta(days=10)):
            change = actions.propose(
                act(proposer),
                kind="price",
                item=by_code[raised[0]],
                price=raised[1],
                effective_on=clock.today() + timedelta(days=5),
                reason="人工及材料成本上涨，经测算调整",
            )
        with clock.frozen_at(now - timedelta(days=8)):
            actions.decide(act(approver), change, approve=True, note="已核对测算表")
        actions.propose(
            act(proposer),
            kind="price",
            item=by_code[pending[0]],
            price=pending[1],
            effective_on=clock.today() + timedelta(days=pending[2]),
            reason="年度收费标准复核，拟下调",
        )
    return {"items": made}
