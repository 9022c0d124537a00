"""Building blocks of the archive's actions, below the concern modules that coordinate them: the
scope check on the target customer, the CUS-1 / CUS-2 / SEC-2 / SEC-3 checks of a customer as it
would be saved, and `apply` — a change with field history (CUS-4) and its audit row."""

from decimal import Decimal, InvalidOperation

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.customers import rules
from kefu.customers.actions import confidentiality as secrecy
from kefu.customers.actions import grades
from kefu.customers.models import (
    AudienceCategory,
    ChangeRequest,
    Confidentiality,
    Customer,
    CustomerChange,
    CustomerKind,
)
from kefu.customers.queries import archive as scoped
from kefu.customers.queries import masks
from kefu.engine.policy.api import lookup, version_at
from kefu.org import access


def require_in_scope(actor: Actor, code: str, customer: Customer) -> None:
    if not scoped.may_view(actor, customer, code):
        if access.record_in_scope(actor, "customer.view", unit=customer.unit, owner_id=customer.owner_id):
            access.require(actor, code)
            raise PermissionDenied("该客户不在您的维护范围内", "That customer is outside your data scope")
        raise NotFound("客户", "customer")


def governed(actor: Actor, code: str, customer: Customer) -> None:
    """People need `code` over the customer; the system actor (an approved request) always passes."""
    if actor.is_system:
        return
    access.require(actor, code)
    if not access.record_in_scope(actor, code, unit=customer.unit, owner_id=customer.owner_id):
        raise NotFound("客户", "customer")


def gone(customer: Customer) -> None:
    if customer.destroyed_at is not None:
        raise Conflict("CUS-6.gone", "该客户已销毁或已合并", "That customer is destroyed or merged")


def policy_version() -> int | None:
    return version_at(clock.now()).number


def check_known(names) -> None:
    """CUS-1: only the fields a person may set (`rules.EDITABLE`)."""
    unknown = set(names) - set(rules.EDITABLE)
    if unknown:
        raise Invalid("CUS-1.fields", "包含未知字段", f"Unknown fields: {', '.join(sorted(unknown))}", {})


def check_rules(customer: Customer, *, roles_cache: dict | None = None) -> None:
    """CUS-2 rules on the customer as it would be saved; raises Invalid naming the rule."""
    if customer.kind not in CustomerKind.values:
        raise Invalid("CUS-1.kind", "客户类型无效", "Unknown customer kind", {"kind": "CUS-1"})
    if not (customer.name or "").strip():
        raise Invalid("CUS-1.name", "请填写客户名称", "The customer needs a name", {"name": "CUS-1"})
    problem = rules.owner_problem(customer.tier, customer.owner, customer.unit, roles_cache=roles_cache)
    if problem is not None:
        raise Invalid("CUS-2.owner_rule", f"CUS-2：{problem[0]}", f"CUS-2: {problem[1]}", {"owner": "CUS-2"})
    if customer.audience == AudienceCategory.D:
        if customer.family_of is None or not customer.family_of.is_confirmed:
            raise Invalid(
                "CUS-2.audience_d",
                "CUS-2：D 类（员工家属）客户必须关联一名已转正员工",
                "CUS-2: a category D (employee family) customer must name a confirmed (转正) employee",
                {"family_of": "CUS-2"},
            )
    elif customer.family_of is not None:
        raise Invalid(
            "CUS-2.audience_d",
            "CUS-2：只有 D 类客户才能关联员工家属",
            "CUS-2: only a category D customer names an employee as family",
            {"family_of": "CUS-2"},
        )
    if customer.credit_class is not None:
        classes = lookup("customers.credit_classes", at=customer.created_at, unit=customer.unit).value
        if not 1 <= customer.credit_class <= classes:
            raise Invalid(
                "CUS-2.credit_class",
                f"CUS-2：信用分类应为 1–{classes}",
                f"CUS-2: the credit class must be 1–{classes}",
                {"credit_class": "CUS-2"},
            )
    if customer.confidentiality not in Confidentiality.values:
        raise Invalid("SEC-3.level", "SEC-3：密级无效", "SEC-3: unknown confidentiality level", {})


def index(customer: Customer) -> None:
    customer.phone_index = blind_index(customer.phone) if customer.phone else ""
    customer.id_index = blind_index(customer.id_number, kind="id") if customer.id_number else ""


def coerce(name: str, value):
    if name == "annual_amount" and value not in (None, ""):
        try:
            return Decimal(str(value))
        except InvalidOperation as error:
            raise Invalid(
                "CUS-1.amount", "年交易额格式错误", "The annual amount is not a number", {name: "CUS-1"}
            ) from error
    if name in ("birthday", "founded_on", "first_trade_on", "confidential_until") and value == "":
        return None
    if name == "annual_amount" and value == "":
        return None
    return value


def without_masks(customer: Customer | None, changes: dict) -> dict:
    """SEC-2: a masked value sent back (138****1234, as a masked reader saw it) means "unchanged" and is
    dropped — it never overwrites the stored value; any other value with "*" (and any on a new
    customer, `customer` None) is refused."""
    kept = {}
    for name, value in changes.items():
        if name in masks.ENCRYPTED and isinstance(value, str) and "*" in value:
            if customer is not None and value.strip() == masks.shown(name, getattr(customer, name), False):
                continue
            raise Invalid(
                "SEC-2.masked_value",
                "SEC-2：请填写完整的新值，或保持掩码不变（掩码不会覆盖原值）",
                "SEC-2: give the complete new value, or leave the masked value as it is (a mask never overwrites the stored value)",
                {name: "SEC-2"},
            )
        kept[name] = value
    return kept


def apply(
    actor: Actor, customer: Customer, changes: dict, *, request: ChangeRequest | None = None
) -> list[str]:
    """Apply `changes`, check the rules, keep field history (CUS-4) and audit. Returns the changed names."""
    check_known(changes)
    fresh = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    changes = without_masks(fresh, changes)
    before = {}
    for name, value in changes.items():
        value = coerce(name, value)
        if isinstance(value, str) and name not in (
            "kind",
            "tier",
            "audience",
            "novelty",
            "stage",
            "confidentiality",
        ):
            value = value.strip()
        old = getattr(fresh, name)
        if old == value or (old in (None, "") and value in (None, "")):
            continue
        before[name] = old
        setattr(fresh, name, value)
    if not before:
        return []
    if "confidential_until" in before:
        secrecy.check_period(fresh)
    now = clock.now()
    period = None
    if secrecy.needs_default(fresh, level_changed="confidentiality" in before):
        before.setdefault("confidential_until", fresh.confidential_until)
        period = secrecy.apply_default(fresh, now)
    if "unit" in before and not actor.is_system:
        code = "customer.verify" if request is not None else "customer.manage"
        if fresh.unit is None or not access.unit_in_scope(actor, code, fresh.unit):
            raise NotFound("组织", "unit")  # issue 10: out of scope looks like missing
    check_rules(fresh)
    index(fresh)
    fresh.updated_at = now
    if "annual_amount" in before:
        grades.regrade(fresh, actor)
    fresh.save()
    if period is not None:
        secrecy.record_default(fresh, period, now, actor)
    CustomerChange.objects.bulk_create(
        CustomerChange(
            customer=fresh,
            field=name,
            old=masks.history_value(name, old),
            new=masks.history_value(name, getattr(fresh, name)),
            changed_at=now,
            changed_by=actor.user,
            request=request,
        )
        for name, old in before.items()
    )
    names = sorted(before)
    snapshot_before = {n: masks.history_value(n, before[n]) for n in names}
    audit.record(actor, "customer.update", fresh, before=snapshot_before, after=audit.snapshot(fresh, names))
    for name in [*rules.EDITABLE, "grade", "phone_index", "id_index", "updated_at"]:
        setattr(customer, name, getattr(fresh, name))
    return names
