import pytest

from kefu.catalogue.actions import items
from kefu.catalogue.tests.conftest import act, priced, realty, water  # noqa: F401  the catalogue's fixtures
from kefu.customers.models import Customer
from kefu.followups.actions import plans
from kefu.orders.actions import orders


@pytest.fixture
def goods(demo, act, realty, frozen, priced):  # noqa: F811  (the fixtures imported above)
    """Realty's catalogue: 上门维修 (a service, 80.00) and 智能门锁 (goods, 1200.00, 5 in stock); an arrival
    revisit plan for realty (FUP-1)."""
    lock = items.propose(
        act("wangfang"),
        kind="new",
        unit=realty,
        code="LOCK",
        name="智能门锁",
        measure="把",
        price="1200.00",
        effective_on=frozen.date(),
        reason="门锁销售",
    )
    lock = items.decide(act("guoqing"), lock, approve=True)
    orders.set_stock(act("wangfang"), lock.item, on_hand=5)
    plans.set_plan(act("wangfang"), realty, "arrival")
    return {"service": priced, "lock": lock}


@pytest.fixture
def customer(demo):
    """A realty customer that 赵敏 (客服专员) owns."""
    return Customer.objects.filter(owner=demo["zhaomin"], destroyed_at__isnull=True).exclude(phone="").first()
