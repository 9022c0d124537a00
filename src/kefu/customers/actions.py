"""The only functions that change the customer archive. Each checks permission, scope and the
CUS-2 / CUS-3 / CUS-4 / SEC-3 rules, writes, keeps field history and audits — in one transaction.

Public interface (used by claims and governance too; keep stable): create_customer, update_customer,
can_be_deleted, request_change, approve_change, reject_change, mark_archive_complete, add_contact,
assign, record_contact, declassify_due.
"""

import json
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Count, Q

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.scopes import may_place
from kefu.customers import actions_confidentiality as secrecy
from kefu.customers import queries, rules
from kefu.customers.actions_confidentiality import declassify_due  # noqa: F401 — public interface
from kefu.customers.models import (
    AssignmentState,
    AudienceCategory,
    ChangeRequest,
    ChangeRequestState,
    Confidentiality,
    Contact,
    ContactRecord,
    Customer,
    CustomerChange,
    CustomerKind,
    GradeStandard,
)
from kefu.engine.policy.api import lookup, subsidiary_of, version_at
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, RoleAssignment, Unit

SYSTEM = Actor.system("customers")

# fields a person may set through create/update/change requests (CUS-1, CUS-2, SEC-3)
EDITABLE = [
    "kind",
    "name",
    "phone",
    "id_number",
    "address",
    "emergency_contact",
    "gender",
    "birthday",
    "position",
    "company",
    "region",
    "industry",
    "size",
    "assets",
    "founded_on",
    "first_trade_on",
    "qualifications",
    "needs",
    "source",
    "contact_window",
    "no_third_party_contact",
    "consent_external",
    "consent_marketing",
    "unit",
    "owner",
    "tier",
    "audience",
    "family_of",
    "novelty",
    "credit_class",
    "stage",
    "at_risk",
    "confidentiality",
    "confidential_until",
    "annual_amount",
]
# roles whose changes go through a change request verified by the info officer (CUS-4)
REQUEST_ROLES = {"sales", "marketing"}


# ---------------------------------------------------------------- helpers


def _require_in_scope(actor: Actor, code: str, customer: Customer) -> None:
    if not queries.may_view(actor, customer, code):
        if access.record_in_scope(actor, "customer.view", unit=customer.unit, owner_id=customer.owner_id):
            access.require(actor, code)
            raise PermissionDenied("该客户不在您的维护范围内", "That customer is outside your data scope")
        raise NotFound("客户", "customer")


def _policy_version() -> int | None:
    return version_at(clock.now()).number


def grade_for(amount) -> str:
    """CUS-2 grade by the configured GradeStandard: the highest threshold reached ("" if unconfigured)."""
    if amount is None:
        return ""
    standards = list(GradeStandard.objects.order_by("-min_annual_amount"))
    for standard in standards:
        if Decimal(amount) >= standard.min_annual_amount:
            return standard.grade
    return standards[-1].grade if standards else ""


def _check_rules(customer: Customer, *, roles_cache: dict | None = None) -> None:
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


def _index(customer: Customer) -> None:
    customer.phone_index = blind_index(customer.phone) if customer.phone else ""
    customer.id_index = blind_index(customer.id_number, kind="id") if customer.id_number else ""


def _coerce(name: str, value):
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


def _grade(customer: Customer, actor: Actor | None) -> None:
    grade = grade_for(customer.annual_amount)
    if grade and grade != customer.grade:
        customer.grade = grade
        if customer.pk:
            _grade_decision(customer, actor)


def _standard_row(standard: GradeStandard) -> dict:
    return {"grade": standard.grade, "min_annual_amount": standard.min_annual_amount, "note": standard.note}


def save_grade_standard(actor: Actor, standard: GradeStandard) -> GradeStandard:
    """CUS-2 客户分类管理标准, set by an administrator in the admin (which checks the model
    permission): saved and audited with the values before and after, in one transaction."""
    with transaction.atomic():
        old = GradeStandard.objects.filter(pk=standard.pk).first() if standard.pk else None
        standard.save()
        audit.record(
            actor,
            "customers.grade_standard",
            standard,
            before=_standard_row(old) if old is not None else None,
            after=_standard_row(standard),
        )
    return standard


def delete_grade_standards(actor: Actor, standards) -> None:
    """Remove grade thresholds in the admin (CUS-2), each removal audited, in one transaction."""
    with transaction.atomic():
        for standard in standards:
            audit.record(actor, "customers.grade_standard_delete", standard, before=_standard_row(standard))
            standard.delete()


def _grade_decision(customer: Customer, actor: Actor | None) -> None:
    standard = list(GradeStandard.objects.values_list("grade", "min_annual_amount"))
    decisions.record(
        customer,
        rule="CUS-2",
        outcome=f"grade {customer.grade}",
        inputs={"annual_amount": customer.annual_amount, "standard": standard},
        policy_version=customer.policy_version,
        clause="客户分类管理标准（默认值，制度未规定）",
        actor=actor,
    )


def can_be_deleted(customer: Customer) -> bool:
    """SEC-8 / CUS-2: a category A (company) customer is never deleted; others may be, by approval."""
    return customer.audience != AudienceCategory.A


def needs_change_request(actor: Actor) -> bool:
    """CUS-4: whether the actor's changes must go through a change request (sales / marketing)."""
    user = actor.principal
    if user is None or user.is_superuser:
        return False
    employee = access.employee_of(user)
    if employee is None:
        return False
    codes = set(RoleAssignment.objects.filter(employee=employee).values_list("role__code", flat=True))
    return bool(codes & REQUEST_ROLES) and not access.can(actor, "customer.verify")


# ---------------------------------------------------------------- create / update


def _new_customer(now, *, name, phone, address, kind, unit, owner, fields, roles_cache=None) -> Customer:
    """The unsaved customer with every rule `create_customer` applies before writing checked
    (SEC-2 masks, CUS-1, CUS-2, SEC-3); raises Invalid naming the rule."""
    _without_masks(None, {"phone": phone, "address": address, **fields})
    values = {k: _coerce(k, v) for k, v in fields.items()}
    customer = Customer(
        name=(name or "").strip(),
        phone=(phone or "").strip(),
        address=(address or "").strip(),
        kind=kind,
        unit=unit,
        owner=owner,
        created_at=now,
        updated_at=now,
        **values,
    )
    if "confidentiality" not in fields:
        customer.confidentiality = rules.default_confidentiality(customer.tier, customer.novelty)
    _check_rules(customer, roles_cache=roles_cache)
    secrecy.check_period(customer)
    return customer


def check_new_customer(
    *,
    unit: Unit,
    name: str,
    phone: str = "",
    address: str = "",
    kind: str = CustomerKind.PERSON,
    owner: Employee | None = None,
    roles_cache: dict | None = None,
    **fields,
) -> None:
    """Every rule `create_customer` would apply to these values, writing nothing; raises Invalid.

    CUS-8: an import checks each row with it before committing anything, so that no row fails late
    (issue 11: the import commits in batches). `roles_cache` (employee id → roles) spares reading an
    owner's roles once per row.
    """
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid("CUS-1.fields", "包含未知字段", f"Unknown fields: {', '.join(sorted(unknown))}", {})
    _new_customer(
        clock.now(),
        name=name,
        phone=phone,
        address=address,
        kind=kind,
        unit=unit,
        owner=owner,
        fields=fields,
        roles_cache=roles_cache,
    )


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
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise Invalid("CUS-1.fields", "包含未知字段", f"Unknown fields: {', '.join(sorted(unknown))}", {})
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
    customer = _new_customer(
        now, name=name, phone=phone, address=address, kind=kind, unit=unit, owner=owner, fields=fields
    )
    customer.policy_version = _policy_version()
    period = secrecy.apply_default(customer, now) if secrecy.needs_default(customer) else None
    _index(customer)
    customer.grade = grade_for(customer.annual_amount) or customer.grade
    customer.save()
    if period is not None:
        secrecy.record_default(customer, period, now, actor)
    if "confidentiality" not in fields:
        decisions.record(
            customer,
            rule="SEC-3",
            outcome=f"default confidentiality {customer.confidentiality}",
            inputs={"tier": customer.tier, "novelty": customer.novelty},
            policy_version=customer.policy_version,
            clause="一般→秘密, 重要→机密, 直接影响公司权益→绝密",
            actor=actor,
        )
    if customer.grade and customer.annual_amount is not None:
        _grade_decision(customer, actor)
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


def _without_masks(customer: Customer | None, changes: dict) -> dict:
    """SEC-2: a masked value sent back (138****1234, as a masked reader saw it) means "unchanged" and is
    dropped — it never overwrites the stored value; any other value with "*" (and any on a new
    customer, `customer` None) is refused."""
    kept = {}
    for name, value in changes.items():
        if name in queries.ENCRYPTED and isinstance(value, str) and "*" in value:
            if customer is not None and value.strip() == queries.shown(name, getattr(customer, name), False):
                continue
            raise Invalid(
                "SEC-2.masked_value",
                "SEC-2：请填写完整的新值，或保持掩码不变（掩码不会覆盖原值）",
                "SEC-2: give the complete new value, or leave the masked value as it is (a mask never overwrites the stored value)",
                {name: "SEC-2"},
            )
        kept[name] = value
    return kept


def _apply(
    actor: Actor, customer: Customer, changes: dict, *, request: ChangeRequest | None = None
) -> list[str]:
    """Apply `changes`, check the rules, keep field history (CUS-4) and audit. Returns the changed names."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid("CUS-1.fields", "包含未知字段", f"Unknown fields: {', '.join(sorted(unknown))}", {})
    fresh = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    changes = _without_masks(fresh, changes)
    before = {}
    for name, value in changes.items():
        value = _coerce(name, value)
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
    _check_rules(fresh)
    _index(fresh)
    fresh.updated_at = now
    if "annual_amount" in before:
        _grade(fresh, actor)
    fresh.save()
    if period is not None:
        secrecy.record_default(fresh, period, now, actor)
    CustomerChange.objects.bulk_create(
        CustomerChange(
            customer=fresh,
            field=name,
            old=queries.history_value(name, old),
            new=queries.history_value(name, getattr(fresh, name)),
            changed_at=now,
            changed_by=actor.user,
            request=request,
        )
        for name, old in before.items()
    )
    names = sorted(before)
    snapshot_before = {n: queries.history_value(n, before[n]) for n in names}
    audit.record(actor, "customer.update", fresh, before=snapshot_before, after=audit.snapshot(fresh, names))
    for name in [*EDITABLE, "grade", "phone_index", "id_index", "updated_at"]:
        setattr(customer, name, getattr(fresh, name))
    return names


@transaction.atomic
def update_customer(actor: Actor, customer: Customer, **changes) -> Customer:
    """Change fields directly (customer.manage in scope). Sales and marketing must use
    `request_change` instead (CUS-4). Every changed field gets a CustomerChange row."""
    access.require(actor, "customer.manage")
    _require_in_scope(actor, "customer.manage", customer)
    if needs_change_request(actor):
        raise PermissionDenied(
            "CUS-4：销售、市场人员修改客户资料须提交变更申请，由信息员核实",
            "CUS-4: sales and marketing change customer data through a change request verified by the info officer",
            code="CUS-4.change_request_required",
        )
    _apply(actor, customer, changes)
    return customer


# ---------------------------------------------------------------- CUS-4 change requests


def _payload(changes: dict) -> str:
    def plain(value):
        if hasattr(value, "pk"):
            return value.pk
        return value

    return json.dumps({k: plain(v) for k, v in changes.items()}, ensure_ascii=False, default=str)


_FK = {"unit": Unit, "owner": Employee, "family_of": Employee}


def _resolve(changes: dict) -> dict:
    out = {}
    for name, value in changes.items():
        model = _FK.get(name)
        if model is not None and value not in (None, ""):
            value = model.objects.filter(pk=value).first()
            if value is None:
                raise Invalid(
                    "CUS-4.reference",
                    "引用的记录不存在",
                    "A referenced record does not exist",
                    {name: "CUS-4"},
                )
        out[name] = value
    return out


@transaction.atomic
def request_change(actor: Actor, customer: Customer, changes: dict, *, reason: str = "") -> ChangeRequest:
    """CUS-4: propose changes; nothing changes until an info officer approves."""
    access.require(actor, "customer.manage")
    _require_in_scope(actor, "customer.manage", customer)
    changes = _without_masks(customer, changes)
    if changes.get("unit") not in (None, ""):
        unit = _resolve({"unit": changes["unit"]})["unit"]
        owner = _resolve({"owner": changes.get("owner") or customer.owner_id})["owner"]
        if not may_place(access.grants(actor, "customer.manage"), unit.path, getattr(owner, "pk", None)):
            raise NotFound("组织", "unit")  # issue 10: no request to move a customer out of scope
    unknown = set(changes) - set(EDITABLE)
    if unknown or not changes:
        raise Invalid(
            "CUS-4.empty",
            "CUS-4：变更申请须包含至少一个有效字段",
            "CUS-4: a change request needs at least one known field",
            {"fields": "CUS-4"},
        )
    request = ChangeRequest.objects.create(
        customer=customer,
        fields=sorted(changes),
        payload=_payload(changes),
        reason=reason,
        requested_by=actor.user,
        requested_at=clock.now(),
    )
    audit.record(
        actor,
        "customer.change_request",
        customer,
        after={"request": request.pk, "fields": request.fields},
        reason=reason,
    )
    return request


def _pending(actor: Actor, request: ChangeRequest) -> ChangeRequest:
    access.require(actor, "customer.verify")
    locked = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("customer__unit")
        .get(pk=request.pk)
    )
    _require_in_scope(actor, "customer.verify", locked.customer)
    if locked.state != ChangeRequestState.PENDING:
        raise Invalid(
            "CUS-4.decided", "CUS-4：该变更申请已处理", "CUS-4: this change request was already decided", {}
        )
    return locked


@transaction.atomic
def approve_change(actor: Actor, request: ChangeRequest) -> ChangeRequest:
    """CUS-4: the info officer verifies; the proposed values are applied with field history."""
    locked = _pending(actor, request)
    _apply(actor, locked.customer, _resolve(queries.proposed(locked)), request=locked)
    locked.state, locked.decided_by, locked.decided_at = ChangeRequestState.APPROVED, actor.user, clock.now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    audit.record(actor, "customer.change_approve", locked.customer, after={"request": locked.pk})
    return locked


@transaction.atomic
def reject_change(actor: Actor, request: ChangeRequest, reason: str) -> ChangeRequest:
    locked = _pending(actor, request)
    if not (reason or "").strip():
        raise Invalid(
            "CUS-4.reason", "CUS-4：驳回须写明原因", "CUS-4: a rejection needs a reason", {"reason": "CUS-4"}
        )
    locked.state, locked.decided_by, locked.decided_at = ChangeRequestState.REJECTED, actor.user, clock.now()
    locked.decision_reason = reason.strip()
    locked.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    audit.record(
        actor, "customer.change_reject", locked.customer, after={"request": locked.pk}, reason=reason
    )
    return locked


# ---------------------------------------------------------------- CUS-1 contacts, CUS-3 completeness


@transaction.atomic
def add_contact(
    actor: Actor,
    customer: Customer,
    *,
    name: str,
    phone: str = "",
    position: str = "",
    email: str = "",
    is_key_person: bool = True,
    notes: str = "",
) -> Contact:
    access.require(actor, "customer.manage")
    _require_in_scope(actor, "customer.manage", customer)
    if not (name or "").strip():
        raise Invalid("CUS-1.contact_name", "请填写联系人姓名", "The contact needs a name", {"name": "CUS-1"})
    contact = Contact.objects.create(
        customer=customer,
        name=name.strip(),
        phone=(phone or "").strip(),
        phone_index=blind_index(phone) if phone else "",
        position=position,
        email=email,
        is_key_person=is_key_person,
        notes=notes,
    )
    audit.record(
        actor,
        "customer.contact_add",
        customer,
        after=audit.snapshot(contact, ["name", "phone", "position", "is_key_person"]),
    )
    return contact


@transaction.atomic
def mark_archive_complete(actor: Actor, customer: Customer) -> Customer:
    """CUS-3: declare the basic archive complete — refused while a required field is missing."""
    access.require(actor, "customer.manage")
    _require_in_scope(actor, "customer.manage", customer)
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


# ---------------------------------------------------------------- CUS-7 assignment and first contact


SPECIALIST_ROLES = ("agent", "sales")


def candidates(customer: Customer):
    """Active specialists (roles agent/sales) in the customer's subsidiary, fewest active customers first."""
    subsidiary = subsidiary_of(customer.unit)
    path = subsidiary.path if subsidiary is not None else "/"
    return (
        Employee.objects.filter(
            status="active",
            user__is_active=True,
            unit__path__startswith=path,
            role_assignments__role__code__in=SPECIALIST_ROLES,
        )
        .distinct()
        .annotate(
            load=Count(
                "assigned_customers", filter=Q(assigned_customers__destroyed_at__isnull=True), distinct=True
            )
        )
        .order_by("load", "pk")
    )


@transaction.atomic
def assign(actor: Actor, customer: Customer, specialist: Employee | None = None) -> Customer:
    """CUS-7: assign to `specialist`, or to the least-loaded active specialist of the subsidiary.

    The workflow transition `assign` records the move in the history, audits it and (re)starts the
    first-contact timer with its warning; the choice and its load are kept as a decision record.
    """
    access.require(actor, "customer.manage")
    _require_in_scope(actor, "customer.manage", customer)
    pool = candidates(customer)
    if specialist is None:
        chosen = pool.first()
        if chosen is None:
            raise Invalid(
                "CUS-7.no_specialist",
                "CUS-7：本公司没有可分配的客服专员",
                "CUS-7: no active specialist to assign",
                {},
            )
    else:
        chosen = pool.filter(pk=specialist.pk).first()
        if chosen is None:
            raise Invalid(
                "CUS-7.not_specialist",
                "CUS-7：只能分配给本公司在职的客服专员或销售",
                "CUS-7: assign only to an active specialist or sales person of the customer's subsidiary",
                {"specialist": "CUS-7"},
            )
    moved = workflow.transition(
        actor, customer, "assign", data={"specialist": chosen}, reason=f"CUS-7 → {chosen.name}"
    )
    now = clock.now()
    Customer.objects.filter(pk=moved.pk).update(updated_at=now)
    timer = queries.first_contact_timer(moved)
    entry = lookup("customers.first_contact_within", at=timer.started_at, unit=moved.unit)
    decisions.record_from_entry(
        moved,
        entry,
        outcome=f"assigned to {chosen.name}",
        inputs={
            "chosen": chosen.pk,
            "load": getattr(chosen, "load", None),
            "requested": specialist.pk if specialist else None,
            "first_contact_due": timer.due_at,
            "warn_at": timer.warn_at,
        },
        actor=actor,
    )
    customer.specialist, customer.assignment_state, customer.updated_at = chosen, moved.assignment_state, now
    return customer


@transaction.atomic
def record_contact(
    actor: Actor, customer: Customer, note: str, *, at: datetime | None = None
) -> ContactRecord:
    """CUS-7 备案: record a contact; the first one after an assignment makes the transition `contact`,
    which stops the first-contact timer."""
    access.require(actor, "customer.manage")
    _require_in_scope(actor, "customer.manage", customer)
    if not (note or "").strip():
        raise Invalid("CUS-7.note", "CUS-7：请填写沟通记录", "CUS-7: describe the contact", {"note": "CUS-7"})
    when = at or clock.now()
    record = ContactRecord.objects.create(customer=customer, at=when, by=actor.user, note=note.strip())
    locked = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    if locked.assignment_state == AssignmentState.ASSIGNED:
        locked = workflow.transition(actor, locked, "contact", reason="CUS-7 首次沟通 / first contact")
    locked.last_contact_at = when
    locked.save(update_fields=["last_contact_at"])
    customer.last_contact_at, customer.assignment_state = locked.last_contact_at, locked.assignment_state
    audit.record(actor, "customer.contact_record", customer, after={"record": record.pk})
    return record


# --- governance support: merge and wipe (called by customers.governance) ---
#
# The archive's side of CUS-6 merges and SEC-8 destruction. Customer governance decides *whether*
# (approval chains, live 报备 claims, retention); these functions are the only writes to the archive
# that follow. Each locks, writes, keeps field history and audits in one transaction.

# survivor fields filled from the duplicate when the survivor has none (CUS-6)
MERGE_FILLS = [
    "phone",
    "id_number",
    "address",
    "emergency_contact",
    "company",
    "position",
    "needs",
    "qualifications",
]
# personal data cleared on the retired duplicate (it keeps its number, unit, owner and claims)
MERGE_CLEARS = ["phone", "phone_index", "id_number", "id_index", "address", "emergency_contact"]
# what a destruction wipes from the customer row (SEC-8)
WIPE_FIELDS = [
    "name",
    "phone",
    "phone_index",
    "id_number",
    "id_index",
    "address",
    "emergency_contact",
    "gender",
    "birthday",
    "position",
    "company",
    "qualifications",
    "needs",
    "contact_window",
    "family_of",
    "region",
    "assets",
    "founded_on",
    "annual_amount",
]


def _governed(actor: Actor, code: str, customer: Customer) -> None:
    """People need `code` over the customer; the system actor (an approved request) always passes."""
    if actor.is_system:
        return
    access.require(actor, code)
    if not access.record_in_scope(actor, code, unit=customer.unit, owner_id=customer.owner_id):
        raise NotFound("客户", "customer")


def _gone(customer: Customer) -> None:
    if customer.destroyed_at is not None:
        raise Conflict("CUS-6.gone", "该客户已销毁或已合并", "That customer is destroyed or merged")


@transaction.atomic
def merge_customers(actor: Actor, survivor: Customer, duplicate: Customer, *, reason: str = "") -> Customer:
    """CUS-6: retire `duplicate` into `survivor`, keeping ownership and claim history.

    The survivor keeps its owner; only an ownerless survivor takes the duplicate's (checked against
    the CUS-2 owner rule). Its empty fields are filled from the duplicate with field history (CUS-4);
    contacts move over. The duplicate keeps its number, owner and 报备 claims, loses its personal
    data and points at the survivor (`merged_into`), so the survivor's claim history includes it.
    Callers (customer governance) have checked the approval and that no live claim changes hands.
    """
    if survivor.pk == duplicate.pk:
        raise Invalid("CUS-6.same", "不能与自身合并", "A customer cannot be merged with itself")
    for customer in (survivor, duplicate):
        _governed(actor, "customer.merge", customer)
    both = (
        Customer.objects.select_for_update(of=("self",))
        .filter(pk__in=[survivor.pk, duplicate.pk])
        .order_by("pk")
    )
    locked = {c.pk: c for c in both}
    keep, retire = locked[survivor.pk], locked[duplicate.pk]
    _gone(keep)
    _gone(retire)
    fills = {
        name: getattr(retire, name)
        for name in MERGE_FILLS
        if not getattr(keep, name) and getattr(retire, name)
    }
    if keep.owner_id is None and retire.owner_id is not None:
        fills["owner"] = retire.owner
    filled = _apply(actor, keep, fills) if fills else []  # field history (CUS-4), rules, audit
    now = clock.now()
    moved = Contact.objects.filter(customer=retire).update(customer=keep)
    retired_before = audit.snapshot(retire, ["name", *MERGE_CLEARS])
    for name in MERGE_CLEARS:
        setattr(retire, name, "")
    retire.name = f"已合并至 #{keep.pk}"[:200]
    retire.merged_into = keep
    retire.destroyed_at = now
    retire.updated_at = now
    retire.save()
    audit.record(
        actor,
        "customer.merge",
        keep,
        reason=reason,
        after={"merged": retire.pk, "filled": filled, "owner": keep.owner_id, "contacts_moved": moved},
    )
    audit.record(
        actor,
        "customer.merged_into",
        retire,
        reason=reason,
        before=retired_before,
        after={"merged_into": keep.pk, "owner": retire.owner_id},
    )
    for target in (survivor, duplicate):
        fresh = locked[target.pk]
        for name in [*MERGE_FILLS, *MERGE_CLEARS, "name", "owner", "merged_into", "destroyed_at"]:
            setattr(target, name, getattr(fresh, name))
        target.updated_at = fresh.updated_at
    return keep


@transaction.atomic
def wipe_customer(actor: Actor, customer: Customer, *, reason: str = "") -> Customer:
    """SEC-8: irreversibly wipe a customer's personal data — the row's WIPE_FIELDS, its contacts, the
    values in its field history, proposed changes and contact notes. Category A is never wiped.
    Customer governance calls it after the three approvals and the SEC-7 retention check."""
    _governed(actor, "customer.destroy", customer)
    locked = Customer.objects.select_for_update(of=("self",)).get(pk=customer.pk)
    _gone(locked)
    if not can_be_deleted(locked):
        raise Invalid(
            "SEC-8.category_a",
            "A 类客户一经登陆，不得删除（SEC-8）",
            "Audience-category A customers are never deleted (SEC-8)",
        )
    now = clock.now()
    for name in WIPE_FIELDS:
        field = locked._meta.get_field(name)
        setattr(locked, field.attname, None if field.null else "")
    locked.name = f"已销毁客户 #{locked.pk}"
    locked.destroyed_at = now
    locked.updated_at = now
    locked.save()
    contacts = 0
    for contact in Contact.objects.filter(customer=locked):
        contact.name, contact.position, contact.phone, contact.phone_index = "已销毁", "", "", ""
        contact.email, contact.birthday, contact.notes = "", None, ""
        contact.save()
        contacts += 1
    # what the archive kept about it: field history values, proposed changes, contact notes
    CustomerChange.objects.filter(customer=locked).update(old="", new="")
    ChangeRequest.objects.filter(customer=locked).update(payload="", reason="", decision_reason="")
    ContactRecord.objects.filter(customer=locked).update(note="已销毁")
    audit.record(
        actor,
        "customer.destroy",
        locked,
        reason=reason,
        after={"fields": WIPE_FIELDS, "contacts": contacts, "destroyed_at": now.isoformat()},
    )
    for name in [*WIPE_FIELDS, "destroyed_at", "updated_at"]:
        field = locked._meta.get_field(name)
        setattr(customer, field.attname, getattr(locked, field.attname))
    return customer


@transaction.atomic
def import_customer(actor: Actor, *, unit: Unit, contacts: list[dict] = (), **fields) -> Customer:
    """CUS-8: one imported row — the customer, with every rule of `create_customer`, and its contacts
    (key persons), audited. Customer governance calls it inside the all-or-nothing import as the
    system actor after checking `customer.import` over `unit`; people need that permission themselves."""
    if not actor.is_system:
        access.require(actor, "customer.import")
        if not access.unit_in_scope(actor, "customer.import", unit):
            raise NotFound("单位", "unit")
        actor = Actor.system(f"import · {actor.name}")
    customer = create_customer(actor, unit=unit, **fields)
    for contact in contacts:
        phone = (contact.get("phone") or "").strip()
        row = Contact.objects.create(
            customer=customer,
            name=contact["name"].strip(),
            phone=phone,
            phone_index=blind_index(phone) if phone else "",
            position=contact.get("position", ""),
            is_key_person=True,
        )
        audit.record(
            actor,
            "customer.contact_add",
            customer,
            after=audit.snapshot(row, ["name", "phone", "position", "is_key_person"]),
        )
    return customer
