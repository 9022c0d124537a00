"""Catalogue changes (PRC-1, seed 004 第九条: "不得擅自调整服务项目和服务价格"): the only code that writes
items and price versions. A change — a new item, a new price, a withdrawal — is a numbered version proposed
by a holder of catalogue.propose and approved by a holder of catalogue.approve who is not the proposer,
before its effective day. An approval after the effective day is refused (docs/decisions.md): the proposer proposes again with a new day. A proposal never approved never takes
effect."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction

from kefu.catalogue.models import ChangeKind, PriceVersion, ServiceItem, VersionState
from kefu.catalogue.queries import items as queries
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Unit

MAX_PRICE = 10_000_000


def _text(value, field: str, zh: str, limit: int) -> str:
    text = " ".join(str(value or "").split())
    if not text or len(text) > limit:
        raise Invalid(
            f"catalogue_{field}",
            f"请填写{zh}（不超过 {limit} 字）",
            f"{field} is required",
            {field: "required"},
        )
    return text


def parse_price(value, field: str = "price") -> Decimal:
    """A price in 元: a non-negative number with at most two decimals (never a float)."""
    try:
        number = Decimal(str(value if value is not None else "").strip())
    except ArithmeticError:
        number = None
    if (
        number is None
        or not number.is_finite()
        or number < 0
        or number > MAX_PRICE
        or number != number.quantize(queries.CENT)
    ):
        raise Invalid(
            f"catalogue_{field}",
            "金额应为不小于 0 的数，最多两位小数（元）",
            "The amount must be a non-negative number with at most two decimals",
            {field: "invalid"},
        )
    return queries.money(number)


def _day(value, field: str = "effective_on") -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid(
            "catalogue_effective_on", "请填写生效日期", "Give the effective day", {field: "invalid"}
        ) from None


def _subsidiary(actor: Actor, unit: Unit, code: str) -> Unit:
    """The subsidiary whose catalogue `unit` names, within the caller's `code` scope."""
    access.require_write(actor, code)
    found = policy.subsidiary_of(unit)
    if found is None or not access.write_in_scope(actor, code, unit=found, owner_id=None):
        raise PermissionDenied("不在您的价目管理范围内", "Outside your catalogue scope")
    return found


def _next_number(item: ServiceItem) -> int:
    last = item.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def propose(
    actor: Actor,
    *,
    kind: str,
    effective_on,
    reason: str,
    price=None,
    unit: Unit | None = None,
    item: ServiceItem | None = None,
    code: str = "",
    name: str = "",
    measure: str = "",
) -> PriceVersion:
    """PRC-1: propose a change. `new` names the subsidiary (`unit`), the item's code, name, measure and
    price; `price` and `withdraw` name the item (and `price` its new price). The effective day may not be
    in the past. Nothing takes effect until another person approves it."""
    if kind not in ChangeKind.values:
        raise Invalid("catalogue_kind", "变更类型无效", "Unknown kind of change", {"kind": "invalid"})
    day = _day(effective_on)
    today = clock.today()
    if day < today:
        raise Invalid(
            "catalogue_effective_past",
            "生效日期不能早于今天",
            "The effective day cannot be in the past",
            {"effective_on": "past"},
        )
    reason = _text(reason, "reason", "变更理由", 500)
    if kind == ChangeKind.NEW:
        if unit is None:
            raise Invalid("catalogue_unit", "请选择子公司", "Choose the subsidiary", {"unit": "required"})
        subsidiary = _subsidiary(actor, unit, queries.PROPOSE)
        code = _text(code, "code", "项目编号", 30)
        name = _text(name, "name", "项目名称", 100)
        measure = _text(measure, "measure", "计价单位", 10)
    else:
        if item is None:
            raise NotFound("服务项目", "service item")
        subsidiary = _subsidiary(actor, item.unit, queries.PROPOSE)
    amount = None if kind == ChangeKind.WITHDRAW else parse_price(price)
    now = clock.now()
    for _attempt in range(10):
        try:
            with transaction.atomic():
                if kind == ChangeKind.NEW:
                    if ServiceItem.objects.filter(unit=subsidiary, code=code).exists():
                        raise Conflict(
                            "catalogue_code_taken",
                            "本公司已有同编号的服务项目",
                            "An item with this code exists",
                            fields={"code": "taken"},
                        )
                    item = ServiceItem.objects.create(
                        unit=subsidiary,
                        code=code,
                        name=name,
                        measure=measure,
                        created_at=now,
                        created_by=actor.user,
                    )
                version = PriceVersion.objects.create(
                    item=item,
                    number=_next_number(item),
                    kind=kind,
                    price=amount,
                    effective_on=day,
                    reason=reason,
                    proposed_by=actor.user,
                    proposed_at=now,
                )
                audit.record(
                    actor,
                    "catalogue.version.propose",
                    version,
                    after={
                        "item": item.code,
                        "version": version.number,
                        "change": kind,
                        "price": str(amount) if amount is not None else None,
                        "effective_on": day.isoformat(),
                    },
                )
            return version
        except IntegrityError:  # two proposals took the same number at once: take the next
            continue
    raise Conflict("catalogue_busy", "价目变更繁忙，请重试", "Try again")


def decide(actor: Actor, version: PriceVersion, *, approve: bool, note: str = "") -> PriceVersion:
    """PRC-1: approve or reject a proposal — by a holder of catalogue.approve over the item's subsidiary who
    did not propose it, while it awaits approval; an approval after its effective day is refused."""
    code = queries.APPROVE
    _subsidiary(actor, version.item.unit, code)
    note = " ".join(str(note or "").split())[:500]
    with transaction.atomic():
        locked = (
            PriceVersion.objects.select_for_update(of=("self",)).select_related("item").get(pk=version.pk)
        )
        if locked.state != VersionState.PROPOSED:
            raise Conflict("PRC-1.decided", "该价格变更已经审批过", "This change was already decided")
        proposer = locked.proposed_by_id
        if proposer in {actor.user.pk if actor.user else None, getattr(actor.principal, "pk", None)}:
            raise PermissionDenied(
                f"提议人不能审批自己的价格变更（{queries.CLAUSE_CHANGE}）",
                "The proposer cannot approve their own change",
                code="PRC-1.same_person",
            )
        if approve and locked.effective_on < clock.today():
            raise Conflict(
                "PRC-1.late",
                "生效日期已过，不能再批准；请以新的生效日期重新提议（未经批准的变更从未生效）",
                "The effective day has passed; propose again with a new day",
            )
        locked.state = VersionState.APPROVED if approve else VersionState.REJECTED
        locked.decided_by = actor.user
        locked.decided_at = clock.now()
        locked.note = note
        try:
            with transaction.atomic():
                locked.save(update_fields=["state", "decided_by", "decided_at", "note"])
        except IntegrityError:
            raise Conflict(
                "PRC-1.same_day",
                "该项目在同一天已有生效的变更",
                "Another approved change of this item takes effect that day",
            ) from None
        audit.record(
            actor,
            "catalogue.version.approve" if approve else "catalogue.version.reject",
            locked,
            after={"item": locked.item.code, "version": locked.number, "note": note},
        )
    return locked
