"""The orders read paths (ORD-1): the orders of the caller's scope (by the customer's unit, or their own
for "own" grants), one order with its lines and returns, and the customer timeline's entries (CUS-9)."""

from django.db.models import Prefetch

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.customers.timeline import Entry
from kefu.orders.models import Order, OrderLine, OrderState, Stock
from kefu.org import access

VIEW = "order.view"
CREATE = "order.create"
RELEASE = "order.release"
SHIP = "order.ship"
RETURN = "order.return"
STOCK = "order.stock"
CODES = (VIEW, CREATE, RELEASE, SHIP, RETURN)
ID_LIMIT = 2**31
# the seed's words for each step (001 · 客服部门机制方案初稿, 线上客服)
CLAUSE_CHECK = "根据客户订单内容核实库存及相关销售政策,核算货物的总金额"
CLAUSE_CONFIRM = "再次与客户电话确认货物、政策、货款是否一致"
CLAUSE_FINANCE = "经财务核实确定客户打款后,及时将订单转接至厂家"
CLAUSE_SHIP = "待货物发出后第一时间告知客户及配送公司的联系方式(最好能确定快递师傅的电话)"
CLAUSE_REVISIT = "货物发出后三天内(正常情况)进行客户到货跟踪回访"


def orders(actor: Actor, *, state: str = ""):
    grants = [g for code in CODES for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner="owner_id")
    if condition is None:
        return Order.objects.none()
    found = Order.objects.filter(condition).select_related("customer", "owner", "unit")
    if state in OrderState.values:
        found = found.filter(state=state)
    return found.order_by("-created_at", "-pk")


def order(actor: Actor, pk) -> Order:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = (
        orders(actor)
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("item", "version")),
            "returns",
        )
        .select_related("revisit", "released_by__employee", "shipped_by__employee", "confirmed_by__employee")
        .filter(pk=pk)
        .first()
        if 0 < pk < ID_LIMIT
        else None
    )
    if found is None:
        raise NotFound("订单", "order")
    return found


def stock_of(item_ids) -> dict[int, int]:
    return dict(Stock.objects.filter(item_id__in=list(item_ids)).values_list("item_id", "on_hand"))


def timeline_entries(actor: Actor, customer) -> list[Entry]:
    """CUS-9: the customer's orders the viewer may see (one query)."""
    rows = orders(actor).filter(customer=customer)[:50]
    return [
        Entry(
            at=o.created_at,
            kind="order",
            title=f"订单 {o.number}",
            detail=f"{o.get_state_display()} · {o.total} 元",
            link=f"/orders/{o.pk}/",
            by=o.owner.name,
        )
        for o in rows
    ]
