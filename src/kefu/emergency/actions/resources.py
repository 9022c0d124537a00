"""Emergency resources (RES-1): the only code that writes the register, inspections and stock movements,
and the daily sweep that reminds custodians.

An item is registered in a unit (resources.manage in scope) with a custodian of that unit's scope; the
custodian or a manager in scope records its inspections and movements; recording an inspection moves the next due date by the item's interval; an issue never takes the quantity below zero —
the row is locked (`select_for_update(of=("self",))`, only that item) and the database's check constraint
backs it, so two issues of the last unit at once leave one refused. The sweep tells the custodian once per
due date before an inspection is due or the item expires (the pack's reminder windows, 本系统默认值) and flags
it once when overdue or expired."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.emergency.models import InspectionResult, Movement, Resource, ResourceInspection, ResourceKind
from kefu.emergency.queries import resources as queries
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

MAX_QUANTITY = 1_000_000
MAX_INTERVAL_DAYS = 3660


def _require_manage(actor: Actor, unit: Unit) -> None:
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=unit, owner_id=None):
        raise PermissionDenied("不在您的应急物资管理范围内", "Outside your emergency resources scope")


def _require_keeper(actor: Actor, item: Resource) -> None:
    """Inspections and movements: the item's custodian, or resources.manage over its unit."""
    if queries.is_custodian(actor, item):
        return
    _require_manage(actor, item.unit)


def _text(value, field: str, zh: str, limit: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(
            f"resource_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
        )
    if len(text) > limit:
        raise Invalid(f"resource_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return text


def _count(value, field: str, zh: str, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise Invalid(
            f"resource_{field}",
            f"{zh}应为 {low} 至 {high} 之间的整数",
            f"{field} out of range",
            {field: "range"},
        )
    return number


def _day(value, field: str, zh: str, *, required: bool) -> date | None:
    if value in (None, ""):
        if required:
            raise Invalid(
                f"resource_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
            )
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise Invalid(
            f"resource_{field}",
            f"{zh}格式不正确（例如 2026-03-01）",
            f"{field} is not a date",
            {field: "date"},
        ) from None


def register_item(
    actor: Actor,
    *,
    unit: Unit,
    kind: str,
    name: str,
    location: str,
    quantity,
    custodian: Employee,
    inspect_every_days,
    next_inspection=None,
    expires_on=None,
) -> Resource:
    """RES-1: a new item of the register; the first inspection is due after one interval unless given."""
    _require_manage(actor, unit)
    if kind not in ResourceKind.values:
        raise Invalid("resource_kind", "请选择物资类别", "Choose a kind", {"kind": "choice"})
    name = _text(name, "name", "名称", 100)
    location = _text(location, "location", "存放位置", 200)
    quantity = _count(quantity, "quantity", "数量", 0, MAX_QUANTITY)
    every = _count(inspect_every_days, "inspect_every_days", "检查周期（天）", 1, MAX_INTERVAL_DAYS)
    if (
        custodian is None
        or custodian.status != EmploymentStatus.ACTIVE
        or not access.record_in_scope(actor, queries.MANAGE, unit=custodian.unit, owner_id=None)
    ):
        raise Invalid(
            "resource_custodian",
            "请选择本单位在职的保管人",
            "Choose an active custodian",
            {"custodian": "scope"},
        )
    today = clock.today()
    due = _day(next_inspection, "next_inspection", "下次检查日期", required=False) or today + timedelta(
        days=every
    )
    expires = _day(expires_on, "expires_on", "有效期至", required=False)
    with transaction.atomic():
        item = Resource.objects.create(
            kind=kind,
            name=name,
            location=location,
            quantity=quantity,
            unit=unit,
            custodian=custodian,
            inspect_every_days=every,
            next_inspection=due,
            expires_on=expires,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "emergency.resource.register",
            item,
            after={"unit": unit.pk, "kind": kind, "quantity": quantity, "custodian": custodian.pk},
        )
    return item


def _locked(item: Resource) -> Resource:
    return Resource.objects.select_for_update(of=("self",)).get(pk=item.pk)


def record_inspection(
    actor: Actor, item: Resource, *, result: str, inspected_on=None, note: str = ""
) -> ResourceInspection:
    """RES-1: who inspected, when, the result and a note; the next due date moves to the inspection day
    plus the item's interval (and the reminder/overdue flags start over for the new date)."""
    _require_keeper(actor, item)
    if result not in InspectionResult.values:
        raise Invalid("resource_result", "请选择检查结果", "Choose a result", {"result": "choice"})
    note = _text(note, "note", "备注", 500, required=False)
    today = clock.today()
    day = _day(inspected_on, "inspected_on", "检查日期", required=False) or today
    if day > today:
        raise Invalid(
            "resource_inspected_future",
            "检查日期不能晚于今天",
            "The inspection date is in the future",
            {"inspected_on": "future"},
        )
    me = access.employee_of(actor.principal)
    if me is None:
        raise PermissionDenied("只有在职员工可以登记检查", "Only an employee may record an inspection")
    with transaction.atomic():
        locked = _locked(item)
        next_due = day + timedelta(days=locked.inspect_every_days)
        row = ResourceInspection.objects.create(
            resource=locked,
            inspected_by=me,
            inspected_on=day,
            result=result,
            note=note,
            next_due=next_due,
            recorded_at=clock.now(),
        )
        before = locked.next_inspection
        Resource.objects.filter(pk=locked.pk).update(
            next_inspection=next_due, inspection_reminded_for=None, inspection_overdue_for=None
        )
        audit.record(
            actor,
            "emergency.resource.inspect",
            locked,
            before={"next_inspection": str(before)},
            after={"next_inspection": str(next_due), "result": result},
        )
    item.refresh_from_db()
    return row


def move(actor: Actor, item: Resource, *, kind: str, amount, note: str = "") -> Movement:
    """RES-1: an issue (出库) or a restock (入库). An issue larger than what is left is refused; the item's
    row is locked first, so two issues of the last unit at once: one succeeds, the other is refused."""
    _require_keeper(actor, item)
    if kind not in Movement.Kind.values:
        raise Invalid(
            "resource_movement_kind", "请选择出库或入库", "Choose issue or restock", {"kind": "choice"}
        )
    amount = _count(amount, "amount", "数量", 1, MAX_QUANTITY)
    note = _text(note, "note", "备注", 200, required=False)
    with transaction.atomic():
        locked = _locked(item)
        if kind == Movement.Kind.ISSUE:
            if amount > locked.quantity:
                raise Invalid(
                    "resource_stock_short",
                    f"库存不足：现有 {locked.quantity}，不能出库 {amount}",
                    "Not enough in stock",
                    {"amount": "short"},
                )
            balance = locked.quantity - amount
        else:
            balance = locked.quantity + amount
            if balance > MAX_QUANTITY:
                raise Invalid("resource_quantity", "数量过大", "Quantity too large", {"amount": "range"})
        Resource.objects.filter(pk=locked.pk).update(quantity=balance)
        row = Movement.objects.create(
            resource=locked,
            kind=kind,
            amount=amount,
            balance=balance,
            note=note,
            by=actor.user,
            at=clock.now(),
        )
        audit.record(
            actor,
            "emergency.resource.move",
            locked,
            before={"quantity": locked.quantity},
            after={"quantity": balance, "kind": kind, "amount": amount},
        )
    item.refresh_from_db()
    return row


def _tell(item: Resource, template: str, when: date) -> None:
    user = item.custodian.user
    if user is None:
        return
    notify(
        [user],
        template,
        {"name": item.name, "location": item.location, "date": f"{when:%Y-%m-%d}"},
        obj=item,
        link=reverse("emergency:resource", args=[item.pk]),
        channels=("inbox",),
    )


def _claim(item: Resource, field: str, when: date) -> bool:
    """Set the once-only flag for `when`; True only for the one sweep that set it."""
    return bool(
        Resource.objects.filter(pk=item.pk)
        .filter(Q(**{f"{field}__isnull": True}) | ~Q(**{field: when}))
        .update(**{field: when})
    )


def sweep(run=None) -> int:
    """The daily schedule `emergency.resources_check`: remind custodians before an inspection is due or an
    item expires, and flag overdue inspections and expired items — each once per due date."""
    today = clock.today()
    inspect_days = int(policy.lookup(queries.INSPECTION_REMIND).value)
    expiry_days = int(policy.lookup(queries.EXPIRY_REMIND).value)
    told = 0
    checks = [
        (
            Q(next_inspection__lt=today),
            "next_inspection",
            "inspection_overdue_for",
            "emergency.resource_overdue",
        ),
        (
            Q(next_inspection__gte=today, next_inspection__lte=today + timedelta(days=inspect_days)),
            "next_inspection",
            "inspection_reminded_for",
            "emergency.resource_inspection_due",
        ),
        (Q(expires_on__lt=today), "expires_on", "expired_flagged_for", "emergency.resource_expired"),
        (
            Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=expiry_days)),
            "expires_on",
            "expiry_reminded_for",
            "emergency.resource_expiring",
        ),
    ]
    for condition, date_field, flag, template in checks:
        rows = (
            Resource.objects.filter(condition)
            .exclude(**{flag: F(date_field)})
            .select_related("custodian__user")
            .order_by("pk")
        )
        for item in rows:
            when = getattr(item, date_field)
            with transaction.atomic():
                if _claim(item, flag, when):
                    _tell(item, template, when)
                    told += 1
    return told
