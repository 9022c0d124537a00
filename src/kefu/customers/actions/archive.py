"""The archive's own record (CUS-1…CUS-3, SEC-3): create a customer, change it directly, declare its
basic archive complete. Each checks permission, scope and the rules, writes, keeps field history and
audits — in one transaction. Sales and marketing change a customer through `changes` (CUS-4)."""

from django.db import transaction
from django.utils import translation

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.scopes import may_place
from kefu.customers import rules
from kefu.customers.actions import blocks, changes, grades
from kefu.customers.actions import confidentiality as secrecy
from kefu.customers.models import AudienceCategory, Customer, CustomerKind
from kefu.org import access
from kefu.org.models import Employee, Unit


def new_customer(now, *, unit: Unit, owner: Employee | None, values: dict, roles_cache=None) -> Customer:
    """The unsaved customer of `values` (name, phone, address, kind and the other EDITABLE fields) with
    every rule `create_customer` applies before writing checked (SEC-2 masks, CUS-1, CUS-2, SEC-3);
    raises Invalid naming the rule."""
    blocks.without_masks(None, values)
    fields = {k: blocks.coerce(k, v) for k, v in values.items()}
    for name in ("name", "phone", "address"):
        fields[name] = (fields.get(name) or "").strip()
    customer = Customer(unit=unit, owner=owner, created_at=now, updated_at=now, **fields)
    if "confidentiality" not in values:
        customer.confidentiality = rules.default_confidentiality(customer.tier, customer.novelty)
    blocks.check_rules(customer, roles_cache=roles_cache)
    secrecy.check_period(customer)
    return customer


@transaction.atomic
def create_customer(
    actor: Actor,
    *,
    name: str,
    phone: str = "",
    address: str = "",
    kind: str = CustomerKind.PERSON,
    unit: Unit | None = None,
    owner: Employee | None = None,
    **fields,
) -> Customer:
    """Create a customer (CUS-1) with the SEC-3 default level unless one is given, encrypted data and
    blind indexes (SEC-1), the CUS-2 rules checked and the grade from the standard; audited.

    `unit` defaults to the actor's unit, else the owner's. Needs customer.manage over that unit; an
    "own" scope creates only in the holder's own unit (or below), owned by them (`may_place`). The
    system actor may create anything. The owner must work in the customer's subsidiary (CUS-2).
    """
    blocks.check_known(fields)
    if unit is None:
        employee = (access.employee_of(actor.principal) if not actor.is_system else None) or owner
        if employee is None:
            raise Invalid("CUS-1.unit", "请选择所属组织", "Choose the customer's unit", {"unit": "CUS-1"})
        unit = employee.unit
    if not actor.is_system:
        access.require(actor, "customer.manage")
        grants = access.grants(actor, "customer.manage")
        mine = access.employee_of(actor.principal)
        if owner is None and mine is not None and not may_place(grants, unit.path, None):
            owner = mine  # an "own"-scope holder (agent, sales) creates customers they own themselves
        if not may_place(grants, unit.path, owner.pk if owner else None):
            # issue 10 / ORG-3: the unit must be in the actor's customer.manage scope; for an "own"
            # scope, their own unit (or below it) and owned by them. Missing and out of scope look alike.
            raise NotFound("组织", "unit")
    now = clock.now()
    values = {"name": name, "phone": phone, "address": address, "kind": kind, **fields}
    customer = new_customer(now, unit=unit, owner=owner, values=values)
    customer.policy_version = blocks.policy_version()
    period = secrecy.apply_default(customer, now) if secrecy.needs_default(customer) else None
    blocks.index(customer)
    customer.grade = grades.grade_for(customer.annual_amount) or customer.grade
    customer.save()
    if period is not None:
        secrecy.record_default(customer, period, now, actor)
    if "confidentiality" not in fields:
        with translation.override("zh-hans"):  # the outcome is stored in both languages
            level_zh = str(customer.get_confidentiality_display())
        decisions.record(
            customer,
            rule="SEC-3",
            outcome=f"默认密级：{level_zh} / default confidentiality {customer.confidentiality}",
            inputs={"tier": customer.tier, "novelty": customer.novelty},
            policy_version=customer.policy_version,
            clause="一般→秘密, 重要→机密, 直接影响公司权益→绝密",
            actor=actor,
        )
    if customer.grade and customer.annual_amount is not None:
        grades.record(customer, actor)
    audit.record(
        actor,
        "customer.create",
        customer,
        after=audit.snapshot(
            customer,
            [
                "kind",
                "name",
                "phone",
                "id_number",
                "address",
                "unit",
                "owner",
                "tier",
                "audience",
                "confidentiality",
                "confidential_until",
            ],
        ),
    )
    return customer


@transaction.atomic
def update_customer(actor: Actor, customer: Customer, **changed) -> Customer:
    """Change fields directly (customer.manage in scope). Sales and marketing must use
    `changes.request_change` instead (CUS-4). Every changed field gets a CustomerChange row."""
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    if changes.needs_change_request(actor):
        raise PermissionDenied(
            "CUS-4：销售、市场人员修改客户资料须提交变更申请，由信息员核实",
            "CUS-4: sales and marketing change customer data through a change request verified by the info officer",
            code="CUS-4.change_request_required",
        )
    blocks.apply(actor, customer, changed)
    return customer


def can_be_deleted(customer: Customer) -> bool:
    """SEC-8 / CUS-2: a category A (company) customer is never deleted; others may be, by approval."""
    return customer.audience != AudienceCategory.A


@transaction.atomic
def mark_archive_complete(actor: Actor, customer: Customer) -> Customer:
    """CUS-3: declare the basic archive complete — refused while a required field is missing."""
    access.require(actor, "customer.manage")
    blocks.require_in_scope(actor, "customer.manage", customer)
    missing = rules.missing_fields(customer)
    if missing:
        raise Invalid(
            "CUS-3.incomplete",
            "CUS-3：客户基本资料档案不完整，不能标记为建档完成",
            "CUS-3: the basic archive is incomplete and cannot be marked complete",
            {name: "CUS-3" for name in missing},
        )
    customer.archived_complete_at = clock.now()
    customer.save(update_fields=["archived_complete_at"])
    audit.record(
        actor,
        "customer.archive_complete",
        customer,
        after={"archived_complete_at": customer.archived_complete_at},
    )
    return customer
