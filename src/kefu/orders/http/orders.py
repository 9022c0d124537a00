"""Orders under /api/v1/orders (ORD-1): my scope's orders, one order, and each step — create, confirm,
finance release, ship, cancel, return or exchange — and the stock of a catalogue item."""

from datetime import datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.catalogue.queries import items as catalogue
from kefu.core.crypto import mask_phone
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.customers.queries import archive as customers
from kefu.orders.actions import orders as actions
from kefu.orders.queries import orders as queries

router = Router(tags=["orders"])


class OrderLineOut(Schema):
    position: int
    item_id: int
    version_id: int
    name: str
    measure: str
    quantity: int
    price: Decimal
    amount: Decimal


class OrderReturnOut(Schema):
    id: int
    kind: str
    reason: str
    refund: Decimal
    created_at: datetime


class OrderListOut(Schema):
    id: int
    number: str
    customer_id: int
    state: str
    total: Decimal
    created_at: datetime


class OrderOut(OrderListOut):
    unit_id: int
    owner_id: int
    paid: Decimal
    refunded: Decimal
    payment_method: str
    confirmed_at: datetime | None
    released_at: datetime | None
    shipped_at: datetime | None
    carrier: str
    carrier_phone: str = Field(description="masked")
    tracking: str
    notice: str
    revisit_id: int | None
    revisit_due_at: datetime | None
    lines: list[OrderLineOut]
    returns: list[OrderReturnOut]


class OrderLineIn(StrictSchema):
    item_id: int
    quantity: int = Field(1, ge=1, le=100_000)
    price: Decimal | None = Field(None, ge=0, le=10_000_000, description="refused unless the price in effect")


class OrderIn(StrictSchema):
    customer_id: int
    lines: list[OrderLineIn] = Field(min_length=1, max_length=20)
    note: str = Field("", max_length=500)


class OrderConfirmIn(StrictSchema):
    payment_method: str = Field(description="transfer / cash / card / online")
    note: str = Field("", max_length=500)


class OrderReleaseIn(StrictSchema):
    paid: Decimal = Field(ge=0, le=10_000_000, description="the amount finance verified as received (元)")


class OrderShipIn(StrictSchema):
    carrier: str = Field(max_length=50)
    carrier_phone: str = Field(max_length=30)
    tracking: str = Field("", max_length=50)


class OrderCancelIn(StrictSchema):
    reason: str = Field(max_length=200)


class OrderReturnIn(StrictSchema):
    kind: str = Field(description="return / exchange")
    reason: str = Field(max_length=500)
    refund: Decimal = Field(Decimal("0"), ge=0, le=10_000_000)


class OrderStockIn(StrictSchema):
    on_hand: int = Field(ge=0, le=10_000_000)


class OrderStockOut(Schema):
    item_id: int
    on_hand: int


def _out(order):
    order.carrier_phone = mask_phone(order.carrier_phone) if order.carrier_phone else ""
    order.revisit_due_at = order.revisit.due_at if order.revisit_id else None
    return order


def _full(me, pk):
    return _out(queries.order(me, pk))


@router.get("", response=list[OrderListOut], summary="Orders of my scope (ORD-1)")
@paginate(Pagination)
def list_orders(request, state: str = ""):
    return queries.orders(actor(request), state=state)


@router.get("/{int:order_id}", response=OrderOut, summary="One order with its lines and returns")
def get_order(request, order_id: int):
    return _full(actor(request), order_id)


@router.post("", response={201: OrderOut}, summary="Record an order from the catalogue (ORD-1, PRC-1)")
def create_order(request, payload: OrderIn):
    me = actor(request)
    customer = customers.customer(me, payload.customer_id)
    order = actions.create(me, customer, lines=[line.dict() for line in payload.lines], note=payload.note)
    return Status(201, _full(me, order.pk))


@router.post("/{int:order_id}/confirm", response=OrderOut, summary="The customer confirmed (ORD-1)")
def confirm(request, order_id: int, payload: OrderConfirmIn):
    me = actor(request)
    actions.confirm(me, queries.order(me, order_id), payment_method=payload.payment_method, note=payload.note)
    return _full(me, order_id)


@router.post("/{int:order_id}/release", response=OrderOut, summary="Finance verified the payment (ORD-1)")
def release(request, order_id: int, payload: OrderReleaseIn):
    me = actor(request)
    actions.release(me, queries.order(me, order_id), paid=payload.paid)
    return _full(me, order_id)


@router.post(
    "/{int:order_id}/ship",
    response=OrderOut,
    summary="Shipped: tell the customer the carrier and courier's phone, open the arrival revisit (ORD-1)",
)
def ship(request, order_id: int, payload: OrderShipIn):
    me = actor(request)
    actions.ship(
        me,
        queries.order(me, order_id),
        carrier=payload.carrier,
        carrier_phone=payload.carrier_phone,
        tracking=payload.tracking,
    )
    return _full(me, order_id)


@router.post("/{int:order_id}/cancel", response=OrderOut, summary="Cancel an order before shipment")
def cancel(request, order_id: int, payload: OrderCancelIn):
    me = actor(request)
    actions.cancel(me, queries.order(me, order_id), reason=payload.reason)
    return _full(me, order_id)


@router.post(
    "/{int:order_id}/returns",
    response={201: OrderReturnOut},
    summary="A return or an exchange; refunds never above what was paid (ORD-1)",
)
def add_return(request, order_id: int, payload: OrderReturnIn):
    me = actor(request)
    row = actions.return_goods(
        me, queries.order(me, order_id), kind=payload.kind, reason=payload.reason, refund=payload.refund
    )
    return Status(201, row)


@router.put("/stock/{int:item_id}", response=OrderStockOut, summary="Set the goods on hand of an item")
def set_stock(request, item_id: int, payload: OrderStockIn):
    me = actor(request)
    stock = actions.set_stock(me, catalogue.item(me, item_id), on_hand=payload.on_hand)
    return {"item_id": stock.item_id, "on_hand": stock.on_hand}
