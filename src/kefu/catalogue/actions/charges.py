"""Charges (PRC-1, seed 004: "不准乱收费", 第十六条 "不得不按规定的收费标准执行服务，严禁乱收费"): the only code
that writes a charge on a case, and the one check every charge — a case's or an order line's — passes:
the item must be in the catalogue of the record's subsidiary with a price in effect on the day, and the
amount asked must be that price. Anything else is refused with the clause."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from kefu.catalogue.actions.items import parse_price
from kefu.catalogue.models import CaseCharge, ChangeKind, PriceVersion, ServiceItem
from kefu.catalogue.queries import items as queries
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Unit

HANDLE = "case.handle"
MAX_QUANTITY = 100_000


def _refuse(why_zh: str, why_en: str, field: str) -> Invalid:
    return Invalid(
        "PRC-1.off_catalogue",
        f"「{queries.CLAUSE_CHARGE}」：{why_zh}，只能按价目表中生效的价格收费",
        f"Charges come only from the catalogue in effect: {why_en}",
        {field: "off_catalogue"},
    )


def quantity_of(value, field: str = "quantity") -> int:
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_QUANTITY:
        raise Invalid(
            "catalogue_quantity",
            "数量应为正整数",
            "The quantity must be a positive whole number",
            {field: "invalid"},
        )
    return int(text)


def check(
    unit: Unit, item_id, day: date, *, price=None, field: str = "item"
) -> tuple[ServiceItem, PriceVersion]:
    """PRC-1: the item named and its version in effect on `day` for a record at `unit`; refused with the
    clause when the item is not in the unit's subsidiary's catalogue, is not (yet or any more) priced, or
    `price` (when given) differs from the price in effect."""
    subsidiary = policy.subsidiary_of(unit)
    try:
        pk = int(str(item_id).strip())
    except (TypeError, ValueError):
        pk = 0
    item = (
        ServiceItem.objects.filter(pk=pk, unit=subsidiary).first()
        if subsidiary is not None and 0 < pk < queries.ID_LIMIT
        else None
    )
    if item is None:
        raise _refuse("该项目不在本公司价目表中", "the item is not in the catalogue", field)
    version = queries.in_effect(item.pk, day)
    if version is None:
        raise _refuse(f"「{item.name}」尚无生效的价格", "the item has no price in effect", field)
    if version.kind == ChangeKind.WITHDRAW:
        raise _refuse(f"「{item.name}」已停止收费", "the item is withdrawn", field)
    if price not in (None, "") and parse_price(price) != version.price:
        raise _refuse(
            f"「{item.name}」的生效价格是 {version.price} 元，不能按 {parse_price(price)} 元收取",
            "the amount differs from the price in effect",
            "price",
        )
    return item, version


def charge_case(actor: Actor, case, *, item_id, quantity, price=None, note: str = "") -> CaseCharge:
    """PRC-1: charge the customer of `case` for a catalogue item at the version in effect today — by whoever
    handles the case (case.handle over it)."""
    access.require_write(actor, HANDLE)
    if not access.write_in_scope(actor, HANDLE, unit=case.unit, owner_id=case.owner_id):
        raise NotFound("工单", "case")
    count = quantity_of(quantity)
    note = " ".join(str(note or "").split())
    if len(note) > 200:
        raise Invalid("catalogue_note", "备注不超过 200 字", "The note is too long", {"note": "invalid"})
    today = clock.today()
    item, version = check(case.unit, item_id, today, price=price)
    amount = queries.money(version.price * Decimal(count))
    with transaction.atomic():
        charge = CaseCharge.objects.create(
            case=case,
            item=item,
            version=version,
            quantity=count,
            price=version.price,
            amount=amount,
            charged_on=today,
            note=note,
            created_by=actor.user,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "catalogue.charge.create",
            charge,
            after={
                "case_number": case.number,
                "item": item.code,
                "version": version.number,
                "quantity": count,
                "amount": str(amount),
            },
        )
    return charge
