"""Orders (ORD-1, seed 001 · 线上客服 2.1–2.7): the only code that writes orders.

- create: the lines come from the catalogue of the customer's subsidiary at the version in effect (PRC-1,
  "不准乱收费"); goods with a stock row are reserved by one conditional UPDATE each (never below zero: the
  database decides the last unit); the check is recorded as a decision ("核实库存及相关销售政策").
- confirm: the customer confirmed goods, policy and amount by phone, and the payment method (2.3).
- release: finance verified the payment — the amount paid must be the order's amount (2.4).
- ship: only a released order; the carrier, the courier's phone (sealed), the customer told by text
  message through the outbound queue (2.6), and the arrival revisit opened through FUP-1 (2.7).
- cancel: before the shipment; the reserved stock comes back.
- return or exchange: with a reason; the refunds never exceed what was paid (a check constraint too).
Order numbers are DD-YYYYMMDD-<key>: the key comes from the table's own sequence, no counter row."""

from decimal import Decimal

from django.db import transaction
from django.db.models import F

from kefu.catalogue.actions import charges as catalogue
from kefu.catalogue.actions.items import parse_price
from kefu.catalogue.models import ServiceItem
from kefu.core import audit, clock, decisions, keys
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone, normalise_phone
from kefu.core.errors import Conflict, DomainError, Invalid, NotFound, PermissionDenied
from kefu.core.scopes import may_place
from kefu.engine.outbound import api as outbound
from kefu.followups.actions import tasks as revisits
from kefu.orders.models import Order, OrderLine, OrderReturn, OrderState, PaymentMethod, ReturnKind, Stock
from kefu.orders.queries import orders as queries
from kefu.org import access

MAX_LINES = 20
OPEN_STATES = (OrderState.AWAITING_CONFIRMATION, OrderState.AWAITING_FINANCE, OrderState.RELEASED)
PURPOSE = "order"  # the outbound queue's word for an order's messages


def _text(value, field: str, zh: str, limit: int, *, required: bool = True) -> str:
    text = " ".join(str(value or "").split())
    if (required and not text) or len(text) > limit:
        raise Invalid(
            f"orders_{field}",
            f"请填写{zh}（不超过 {limit} 字）" if required else f"{zh}不超过 {limit} 字",
            f"{field} is invalid",
            {field: "invalid"},
        )
    return text


def _write(actor: Actor, code: str, order: Order, *, owner: bool = True) -> None:
    access.require_write(actor, code)
    if not access.write_in_scope(actor, code, unit=order.unit, owner_id=order.owner_id if owner else None):
        raise NotFound("订单", "order")


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update(of=("self",)).select_related("customer", "unit").get(pk=order.pk)


def _state(order: Order, *allowed: str, zh: str, en: str, code: str = "orders_state") -> None:
    if order.state not in allowed:
        raise Conflict(code, zh, en)


def create(actor: Actor, customer, *, lines, note: str = "") -> Order:
    """ORD-1 2.1–2.2: record an order for `customer` (whom the caller may see) with lines
    [{"item_id", "quantity", "price"?}] from the catalogue; reserve the stock; the amount."""
    access.require_write(actor, queries.CREATE)
    employee = access.employee_of(actor.user) if actor.user is not None else None
    if employee is None or not may_place(
        access.write_grants(actor, queries.CREATE), customer.unit.path, employee.pk
    ):
        raise PermissionDenied("不在您的订单范围内", "Outside your order scope")
    if customer.destroyed_at is not None:
        raise NotFound("客户", "customer")
    rows = [r for r in (lines or []) if str(r.get("item_id") or "").strip()]
    if not rows or len(rows) > MAX_LINES:
        raise Invalid(
            "orders_lines",
            f"订单至少要有一项货物或服务（最多 {MAX_LINES} 项）",
            "An order needs at least one line",
            {"lines": "required"},
        )
    note = _text(note, "note", "备注", 500, required=False)
    today = clock.today()
    priced = []
    for n, row in enumerate(rows, start=1):
        item, version = catalogue.check(
            customer.unit, row.get("item_id"), today, price=row.get("price"), field=f"lines.{n}"
        )
        count = catalogue.quantity_of(row.get("quantity"), f"lines.{n}.quantity")
        priced.append((item, version, count))
    wanted: dict[int, int] = {}
    for item, _version, count in priced:
        wanted[item.pk] = wanted.get(item.pk, 0) + count
    total = sum((version.price * Decimal(count) for _i, version, count in priced), Decimal("0.00"))
    now = clock.now()
    with transaction.atomic():
        counted = queries.stock_of(wanted)
        for item_id in sorted(wanted):
            if item_id not in counted:
                continue  # a service: not counted in stock
            taken = Stock.objects.filter(item_id=item_id, on_hand__gte=wanted[item_id]).update(
                on_hand=F("on_hand") - wanted[item_id], updated_at=now
            )
            if not taken:
                name = next(i.name for i, _v, _c in priced if i.pk == item_id)
                left = Stock.objects.filter(item_id=item_id).values_list("on_hand", flat=True).first() or 0
                raise Conflict(
                    "ORD-1.stock",
                    f"库存不足：「{name}」现有 {left}，订购 {wanted[item_id]}",
                    "Not enough stock",
                )
        order = Order(
            customer=customer,
            unit=customer.unit,
            owner=employee,
            total=total,
            note=note,
            created_at=now,
            created_by=actor.user,
        )
        order.pk = keys.next_id(Order)
        order.number = f"DD-{clock.local(now):%Y%m%d}-{order.pk:06d}"
        order.save(force_insert=True)
        OrderLine.objects.bulk_create(
            [
                OrderLine(
                    order=order,
                    position=n,
                    item=item,
                    version=version,
                    name=item.name,
                    measure=item.measure,
                    quantity=count,
                    price=version.price,
                    amount=version.price * Decimal(count),
                )
                for n, (item, version, count) in enumerate(priced, start=1)
            ]
        )
        decisions.record(
            order,
            rule="ORD-1",
            outcome=(
                f"核实库存及销售政策：{len(priced)} 项均在价目表中按生效价格计价"
                f"{'，库存已预留' if any(i in counted for i in wanted) else ''}，合计 {total} 元"
            ),
            inputs={
                "order_lines": len(priced),
                "order_total": str(total),
                "price_versions": [f"{i.name} 第{v.number}版" for i, v, _c in priced],
            },
            policy_version=None,
            clause=queries.CLAUSE_CHECK,
            actor=actor,
        )
        audit.record(
            actor,
            "orders.order.create",
            order,
            after={"number": order.number, "total": str(total), "lines": len(priced)},
        )
    return order


def confirm(actor: Actor, order: Order, *, payment_method: str, note: str = "") -> Order:
    """ORD-1 2.3: the customer confirmed goods, policy and amount, and how they pay."""
    _write(actor, queries.CREATE, order)
    if payment_method not in PaymentMethod.values:
        raise Invalid(
            "orders_payment_method",
            "请选择客户的付款方式",
            "Choose the payment method",
            {"payment_method": "invalid"},
        )
    note = _text(note, "note", "确认说明", 500, required=False)
    with transaction.atomic():
        locked = _locked(order)
        _state(
            locked,
            OrderState.AWAITING_CONFIRMATION,
            zh="订单不在待客户确认状态",
            en="Not awaiting confirmation",
        )
        locked.state = OrderState.AWAITING_FINANCE
        locked.payment_method = payment_method
        locked.confirmation_note = note
        locked.confirmed_at = clock.now()
        locked.confirmed_by = actor.user
        locked.save(
            update_fields=["state", "payment_method", "confirmation_note", "confirmed_at", "confirmed_by"]
        )
        audit.record(actor, "orders.order.confirm", locked, after={"payment_method": payment_method})
    return locked


def release(actor: Actor, order: Order, *, paid) -> Order:
    """ORD-1 2.4, the finance gate: finance verified the payment of the order's amount; only then it may
    be shipped."""
    _write(actor, queries.RELEASE, order, owner=False)
    amount = parse_price(paid, "paid")
    with transaction.atomic():
        locked = _locked(order)
        _state(locked, OrderState.AWAITING_FINANCE, zh="订单不在待财务核实状态", en="Not awaiting finance")
        if amount != locked.total:
            raise Invalid(
                "ORD-1.payment_mismatch",
                f"到款 {amount} 元与订单金额 {locked.total} 元不一致，不能放行",
                "The payment differs from the order's amount",
                {"paid": "mismatch"},
            )
        locked.state = OrderState.RELEASED
        locked.paid = amount
        locked.released_at = clock.now()
        locked.released_by = actor.user
        locked.save(update_fields=["state", "paid", "released_at", "released_by"])
        audit.record(actor, "orders.order.release", locked, after={"paid": str(amount)})
    return locked


def _notice(actor: Actor, order: Order, carrier: str, phone: str, tracking: str) -> str:
    body = (
        f"您好，您的订单 {order.number} 已发货，承运：{carrier}"
        f"{f'，运单号 {tracking}' if tracking else ''}，配送师傅电话 {phone}，请您准备接货。"
    )
    try:
        outbound.send(
            actor,
            order.customer,
            channel=outbound.Channel.SMS,
            body=body,
            purpose=PURPOSE,
            due_at=clock.now(),  # outside the contact window the message waits for it (FUP-2)
            obj=order,
        )
    except DomainError as error:  # no number, opted out, the daily cap: staff call instead
        return f"短信未发出（{error.zh}），请电话告知客户"[:200]
    return "已短信告知客户承运公司与配送师傅电话"


def ship(actor: Actor, order: Order, *, carrier: str, carrier_phone: str, tracking: str = "") -> Order:
    """ORD-1 2.5–2.7: the goods left — only after the finance gate. The customer is told the carrier and the
    courier's phone by text message; the arrival revisit is opened through FUP-1 (due within the pack's
    `followups.arrival_revisit_within` of the shipment)."""
    _write(actor, queries.SHIP, order)
    if not access.write_in_scope(actor, revisits.HANDLE, unit=order.unit, owner_id=None):
        raise PermissionDenied(
            "登记发货会同时安排到货跟踪回访，需要本单位的回访办理权限",
            "Recording a shipment opens the arrival revisit: it needs revisit.handle over the order",
        )
    carrier = _text(carrier, "carrier", "承运（配送）公司", 50)
    tracking = _text(tracking, "tracking", "运单号", 50, required=False)
    phone = normalise_phone(str(carrier_phone or ""))
    if not phone.isdigit() or not 7 <= len(phone) <= 15:
        raise Invalid(
            "ORD-1.carrier_phone",
            "请填写配送师傅的电话（告知客户以便接货）",
            "Give the courier's phone",
            {"carrier_phone": "invalid"},
        )
    with transaction.atomic():
        locked = _locked(order)
        if locked.state in (OrderState.AWAITING_CONFIRMATION, OrderState.AWAITING_FINANCE):
            raise Conflict(
                "ORD-1.finance_gate",
                "财务尚未核实客户到款，不能发货（经财务核实确定客户打款后，方可转接厂家配送）",
                "Finance has not released the order",
            )
        _state(locked, OrderState.RELEASED, zh="订单不在待发货状态", en="Not released for shipment")
        now = clock.now()
        locked.state = OrderState.SHIPPED
        locked.shipped_at = now
        locked.shipped_by = actor.user
        locked.carrier = carrier
        locked.carrier_phone = phone
        locked.tracking = tracking
        locked.revisit = revisits.shipped(
            actor, locked.customer, shipped_at=now, reference=locked.number, carrier=carrier
        )
        locked.notice = _notice(actor, locked, carrier, phone, tracking)
        locked.save(
            update_fields=[
                "state",
                "shipped_at",
                "shipped_by",
                "carrier",
                "carrier_phone",
                "tracking",
                "revisit",
                "notice",
            ]
        )
        audit.record(
            actor,
            "orders.order.ship",
            locked,
            after={
                "carrier": carrier,
                "carrier_phone": mask_phone(phone),
                "tracking": tracking,
                "revisit": locked.revisit_id,
            },
        )
    return locked


def cancel(actor: Actor, order: Order, *, reason: str) -> Order:
    """Cancel an order before it is shipped; the reserved stock comes back."""
    _write(actor, queries.CREATE, order)
    reason = _text(reason, "reason", "取消原因", 200)
    with transaction.atomic():
        locked = _locked(order)
        _state(
            locked, *OPEN_STATES, zh="已发货或已结束的订单不能取消", en="Only an open order can be cancelled"
        )
        now = clock.now()
        for line in locked.lines.all():
            Stock.objects.filter(item_id=line.item_id).update(
                on_hand=F("on_hand") + line.quantity, updated_at=now
            )
        locked.state = OrderState.CANCELLED
        locked.cancelled_at = now
        locked.cancel_reason = reason
        locked.save(update_fields=["state", "cancelled_at", "cancel_reason"])
        audit.record(actor, "orders.order.cancel", locked, after={"reason": reason})
    return locked


def return_goods(actor: Actor, order: Order, *, kind: str, reason: str, refund="0") -> OrderReturn:
    """ORD-1 退货/换货 (seed 001: "处理订单问题和退货请求"): with a reason; the refunds of an order never exceed
    what the customer paid (checked under the order's lock, and by the table's constraint)."""
    _write(actor, queries.RETURN, order, owner=False)
    if kind not in ReturnKind.values:
        raise Invalid(
            "orders_return_kind", "请选择退货或换货", "Choose return or exchange", {"kind": "invalid"}
        )
    reason = _text(reason, "reason", "退换原因", 500)
    amount = parse_price(refund if refund not in (None, "") else "0", "refund")
    if kind == ReturnKind.EXCHANGE and amount:
        raise Invalid(
            "orders_exchange_refund",
            "换货不退款；需要退款请办理退货",
            "An exchange refunds nothing",
            {"refund": "invalid"},
        )
    with transaction.atomic():
        locked = _locked(order)
        _state(
            locked,
            OrderState.SHIPPED,
            OrderState.RETURNED,
            zh="只有已发货的订单可以退换",
            en="Only a shipped order can be returned",
        )
        if locked.refunded + amount > locked.paid:
            raise Invalid(
                "ORD-1.refund_above_paid",
                f"退款合计不能超过客户已付的 {locked.paid} 元（已退 {locked.refunded} 元）",
                "Refunds cannot exceed what was paid",
                {"refund": "too_much"},
            )
        row = OrderReturn.objects.create(
            order=locked,
            kind=kind,
            reason=reason,
            refund=amount,
            created_at=clock.now(),
            created_by=actor.user,
        )
        locked.refunded += amount
        if kind == ReturnKind.RETURN:
            locked.state = OrderState.RETURNED
        locked.save(update_fields=["refunded", "state"])
        audit.record(
            actor,
            "orders.return.create",
            row,
            after={"order": locked.number, "kind": kind, "refund": str(amount)},
        )
    return row


def set_stock(actor: Actor, item: ServiceItem, *, on_hand) -> Stock:
    """The goods on hand of a catalogue item (an item with a stock row is checked on every order)."""
    access.require_write(actor, queries.STOCK)
    if not access.write_in_scope(actor, queries.STOCK, unit=item.unit, owner_id=None):
        raise NotFound("服务项目", "service item")
    text = str(on_hand if on_hand is not None else "").strip()
    if not text.isdigit() or int(text) > 10_000_000:
        raise Invalid(
            "orders_stock", "库存应为不小于 0 的整数", "Stock must be a whole number", {"on_hand": "invalid"}
        )
    with transaction.atomic():
        stock, _created = Stock.objects.update_or_create(
            item=item, defaults={"on_hand": int(text), "updated_at": clock.now()}
        )
        audit.record(actor, "orders.stock.set", stock, after={"item": item.code, "on_hand": int(text)})
    return stock
