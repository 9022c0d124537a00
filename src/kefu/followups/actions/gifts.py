"""Holiday gift lists (CARE-2): "指向客户赠送礼品(价格200元以内)"; approved before the holiday.

A list per subsidiary and festival; each line a customer, a gift and its price in 元 (two decimals,
never a float), at most `care.gift_max` — a higher price is refused with the clause. The list goes
through the approval chain `followups.gift_list` (`lifecycle_gifts`) and must be submitted and approved
before the holiday's day. Once approved, each gift's issue is registered (when, by whom) and then its
receipt (received or returned).
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.models import Customer
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow
from kefu.followups.actions.greetings import occasion_day, occasion_zh
from kefu.followups.lifecycle_gifts import CHAIN
from kefu.followups.models import GiftItem, GiftList, GiftListState, GiftReceipt, Occasion
from kefu.followups.queries import care
from kefu.org import access
from kefu.org.models import Unit

GIFT_MAX = "care.gift_max"
CENT = Decimal("0.01")
EDITABLE = (GiftListState.DRAFT, GiftListState.RETURNED)


def _before_holiday(gift_list: GiftList, doing_zh: str, doing_en: str) -> None:
    if clock.today() >= gift_list.occasion_on:
        raise Invalid(
            "CARE-2.holiday_passed",
            f"节日礼品清单须在节日（{gift_list.occasion_on:%Y-%m-%d}）前{doing_zh}，节日当天及之后不能再{doing_zh}（CARE-2）",
            f"A holiday gift list is {doing_en} before the holiday ({gift_list.occasion_on:%Y-%m-%d}) (CARE-2)",
        )


def create_list(actor: Actor, unit: Unit, *, occasion: str, year: int, title: str = "") -> GiftList:
    """Open the subsidiary's gift list for a festival (CARE-2)."""
    care.require(actor, care.MANAGE, unit, "子公司", "subsidiary")
    if occasion not in Occasion.values or occasion == Occasion.BIRTHDAY:
        raise Invalid("care_occasion", "请选择节日", "Choose the festival", {"occasion": "invalid"})
    day = occasion_day(occasion, year) if isinstance(year, int) and 1900 < year < 2100 else None
    if day is None or day <= clock.today():
        raise Invalid(
            "CARE-2.holiday_passed",
            "该节日已到或已过，不能再安排节日礼品（CARE-2：节日礼品须在节日前审批）",
            "The holiday has come: too late for its gift list (CARE-2)",
            {"year": "passed"},
        )
    owner = access.employee_of(actor.user)
    if owner is None:
        raise Invalid("care_no_employee", "只有员工可以安排客户关怀", "Only staff plan customer care")
    title = (title or "").strip()[:200] or f"{year}年{occasion_zh(occasion)}礼品清单"
    with transaction.atomic():
        if GiftList.objects.filter(unit=unit, occasion=occasion, year=year).exists():
            raise Conflict(
                "care_gift_list_exists", "本公司该节日的礼品清单已存在", "This holiday's gift list exists"
            )
        gift_list = GiftList.objects.create(
            unit=unit,
            occasion=occasion,
            year=year,
            occasion_on=day,
            title=title,
            owner=owner,
            created_at=clock.now(),
        )
        audit.record(actor, "followups.gifts.create", gift_list, after={"occasion": occasion, "year": year})
    return gift_list


def price_of(value, unit: Unit) -> Decimal:
    """The price in 元 with two decimals, within `care.gift_max`; refused with the clause otherwise."""
    if isinstance(value, float):
        value = repr(value)
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        price = None
    if price is None or not price.is_finite() or price <= 0 or price != price.quantize(CENT):
        raise Invalid(
            "care_price",
            "价格须为大于0的金额，最多两位小数（元）",
            "The price is a positive amount in yuan, two decimals at most",
            {"price": "invalid"},
        )
    entry = policy.lookup(GIFT_MAX, unit=unit)
    if price > Decimal(entry.value):
        raise Invalid(
            "CARE-2.over_limit",
            f"礼品价格 {price} 元超过上限 {entry.value} 元：「{entry.clause}」（CARE-2）",
            f"The gift's price {price} yuan is over the limit of {entry.value} yuan (CARE-2)",
            {"price": "over_limit"},
        )
    return price.quantize(CENT)


def _editable(actor: Actor, gift_list: GiftList) -> GiftList:
    care.require(actor, care.MANAGE, gift_list.unit, "礼品清单", "gift list")
    gift_list = GiftList.objects.select_for_update(of=("self",)).select_related("unit").get(pk=gift_list.pk)
    if gift_list.state not in EDITABLE:
        raise Conflict(
            "care_gift_list_locked", "清单已提交审批，不能再修改", "The list was submitted: it cannot change"
        )
    return gift_list


def add_item(actor: Actor, gift_list: GiftList, *, customer: Customer, gift: str, price) -> GiftItem:
    """Add a gift for a customer of the subsidiary; the price within `care.gift_max` (CARE-2)."""
    price = price_of(price, gift_list.unit)
    gift = (gift or "").strip()
    if not gift or len(gift) > 100:
        raise Invalid(
            "care_gift",
            "请填写礼品名称（不超过100字）",
            "Name the gift (100 characters at most)",
            {"gift": "required"},
        )
    if (
        customer is None
        or customer.destroyed_at is not None
        or customer.merged_into_id is not None
        or not customer.unit.path.startswith(gift_list.unit.path)
    ):
        raise NotFound("客户", "customer")
    with transaction.atomic():
        gift_list = _editable(actor, gift_list)
        if gift_list.items.filter(customer=customer).exists():
            raise Conflict("care_gift_exists", "该客户已在清单中", "This customer is already on the list")
        item = GiftItem.objects.create(gift_list=gift_list, customer=customer, gift=gift, price=price)
        audit.record(
            actor,
            "followups.gifts.add",
            gift_list,
            after={"customer": customer.pk, "gift": gift, "price": str(price)},
        )
    return item


def remove_item(actor: Actor, item: GiftItem) -> None:
    with transaction.atomic():
        gift_list = _editable(actor, item.gift_list)
        audit.record(
            actor,
            "followups.gifts.remove",
            gift_list,
            before={"customer": item.customer_id, "gift": item.gift},
        )
        item.delete()


def submit(actor: Actor, gift_list: GiftList) -> GiftList:
    """Send the list for approval (WF-4), before the holiday (CARE-2)."""
    with transaction.atomic():
        gift_list = _editable(actor, gift_list)
        _before_holiday(gift_list, "提交审批", "submitted")
        items = list(gift_list.items.values_list("price", flat=True))
        if not items:
            raise Invalid("care_gift_list_empty", "清单中还没有礼品", "The list has no gift yet")
        entry = policy.lookup(GIFT_MAX, unit=gift_list.unit)
        gift_list.state, gift_list.submitted_at = GiftListState.PENDING, clock.now()
        gift_list.save(update_fields=["state", "submitted_at"])
        total = sum(items, Decimal("0"))
        workflow.start_approval(
            actor, gift_list, CHAIN.name, inputs={"gifts": len(items), "total": str(total)}
        )
        decisions.record_from_entry(
            gift_list,
            entry,
            outcome=f"{len(items)} 份礼品均在 {entry.value} 元以内，合计 {total} 元，提交客服经理审批（须在节日前批准）",
            inputs={"gift_count": len(items), "gift_total": str(total)},
            actor=actor,
        )
        audit.record(
            actor, "followups.gifts.submit", gift_list, after={"gifts": len(items), "total": str(total)}
        )
    return gift_list


def decide(actor: Actor, gift_list: GiftList, decision: str, *, reason: str = "") -> GiftList:
    """The approver's verdict on a pending list; approving on or after the holiday is refused (CARE-2)."""
    request = workflow.pending_approval(gift_list)
    step = (
        request.steps.filter(status=workflow.StepStatus.PENDING, approvers=actor.principal).first()
        if request is not None and actor.principal is not None
        else None
    )
    if step is None:
        raise NotFound("审批步骤", "approval step")
    if decision == "approve":
        _before_holiday(gift_list, "批准", "approved")
    workflow.decide(actor, step.pk, decision, reason=reason)
    gift_list.refresh_from_db()
    return gift_list


def _item(actor: Actor, item: GiftItem) -> GiftItem:
    care.require(actor, care.MANAGE, item.gift_list.unit, "礼品", "gift")
    item = GiftItem.objects.select_for_update(of=("self",)).select_related("gift_list").get(pk=item.pk)
    if item.gift_list.state != GiftListState.APPROVED:
        raise Conflict(
            "CARE-2.not_approved",
            "清单尚未批准，不能发放礼品（CARE-2）",
            "The list is not approved yet (CARE-2)",
        )
    return item


def issue(actor: Actor, item: GiftItem) -> GiftItem:
    """Register that the gift was handed out (the issue register: when and by whom)."""
    by = access.employee_of(actor.user)
    if by is None:
        raise Invalid("care_no_employee", "只有员工可以登记发放", "Only staff register issues")
    with transaction.atomic():
        item = _item(actor, item)
        if item.issued_at is not None:
            raise Conflict("care_gift_issued", "该礼品已登记发放", "This gift was already issued")
        item.issued_at, item.issued_by = clock.now(), by
        item.save(update_fields=["issued_at", "issued_by"])
        audit.record(actor, "followups.gifts.issue", item.gift_list, after={"item": item.pk})
    return item


def confirm(actor: Actor, item: GiftItem, receipt: str) -> GiftItem:
    """Record that the customer received the gift, or returned it."""
    if receipt not in (GiftReceipt.RECEIVED, GiftReceipt.RETURNED):
        raise Invalid(
            "care_receipt", "请选择已签收或已退回", "Choose received or returned", {"receipt": "invalid"}
        )
    with transaction.atomic():
        item = _item(actor, item)
        if item.issued_at is None:
            raise Conflict("care_gift_not_issued", "礼品尚未发放", "The gift was not issued yet")
        item.receipt, item.receipt_at = receipt, clock.now()
        item.save(update_fields=["receipt", "receipt_at"])
        audit.record(
            actor, "followups.gifts.receipt", item.gift_list, after={"item": item.pk, "receipt": receipt}
        )
    return item
