"""The CUS-2, CUS-3 and SEC-3 rules of the archive, as pure functions over a customer.

Actions call these before writing; pages call `completeness()` to show the indicator.

Owner rule by tier (CUS-2 "战略→集团高层, 重点→子公司负责人/相关部门, 普通→销售/客户经理"), precisely:

* 战略 strategic — the owner holds a non-supervisory role of **group** scope (集团领导 executive,
  or an administrator): group senior management. An owner is required.
* 重点 key — the owner holds a non-supervisory role of **department, subsidiary or group** scope
  (客服经理, 客服主管, 财务, 信息员 … — the head or a member of a responsible department) and works in
  the customer's own subsidiary (or at group level). An owner is required.
* 普通 normal — the owner, when one is set, holds a role that grants ``customer.manage``
  (销售, 市场, 客服专员, 案场负责人, 客服主管, 客服经理: the sales person / 客户经理).
* every tier — the owner works in the customer's subsidiary, or holds a group-level role: each
  subsidiary keeps its own archive, and no customer is owned from another one (issue 10).

SEC-3 default 密级 from the relationship (一般→秘密, 重要→机密, 直接影响公司权益→绝密), mapped as:
a strategic customer directly affects the company's interests → 绝密; a key-tier or an important
(重要客户) customer → 机密; every other customer is 一般 → 秘密.
"""

from kefu.customers.models import Confidentiality, CustomerKind, Novelty, Tier
from kefu.engine.policy.api import subsidiary_of
from kefu.org.models import RoleAssignment, Scope

# CUS-3: the basic archive, by kind (field names of Customer). Organisations also need a key person.
REQUIRED = {
    CustomerKind.PERSON: [
        "name",
        "phone",
        "gender",
        "address",
        "region",
        "source",
        "needs",
        "contact_window",
    ],
    CustomerKind.ORGANISATION: [
        "name",
        "phone",
        "id_number",
        "address",
        "region",
        "industry",
        "size",
        "founded_on",
        "qualifications",
        "needs",
        "source",
    ],
}
KEY_PERSON = "key_person"

# CUS-1: the fields a person sets, by kind (the form shows these), and those of both kinds (CUS-2, SEC-3)
PERSON_FIELDS = [
    "name",
    "gender",
    "birthday",
    "phone",
    "id_number",
    "address",
    "emergency_contact",
    "position",
    "company",
    "region",
    "needs",
    "source",
    "contact_window",
]
ORGANISATION_FIELDS = [
    "name",
    "phone",
    "id_number",
    "address",
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
]
COMMON_FIELDS = [
    "unit",
    "owner",
    "tier",
    "audience",
    "family_of",
    "novelty",
    "credit_class",
    "stage",
    "at_risk",
    "annual_amount",
    "confidentiality",
    "confidential_until",
    "no_third_party_contact",
    "consent_external",
    "consent_marketing",
]
# every field a person may set through create/update/change requests (CUS-1, CUS-2, SEC-3)
EDITABLE = ["kind", *dict.fromkeys(PERSON_FIELDS + ORGANISATION_FIELDS + COMMON_FIELDS)]


def default_confidentiality(tier: str, novelty: str) -> str:
    """SEC-3 default level (see the module docstring for the mapping)."""
    if tier == Tier.STRATEGIC:
        return Confidentiality.TOP_SECRET
    if tier == Tier.KEY or novelty == Novelty.IMPORTANT:
        return Confidentiality.CONFIDENTIAL
    return Confidentiality.SECRET


def missing_fields(customer, *, has_key_person: bool | None = None) -> list[str]:
    """CUS-3: the required fields still empty; organisations also list `key_person` when none exists."""
    missing = [name for name in REQUIRED[customer.kind] if getattr(customer, name) in (None, "")]
    if customer.kind == CustomerKind.ORGANISATION:
        if has_key_person is None:
            has_key_person = customer.pk is not None and customer.contacts.filter(is_key_person=True).exists()
        if not has_key_person:
            missing.append(KEY_PERSON)
    return missing


def completeness(customer, *, has_key_person: bool | None = None) -> int:
    """CUS-3 indicator: percentage (0–100) of the basic archive that is filled in."""
    total = len(REQUIRED[customer.kind]) + (1 if customer.kind == CustomerKind.ORGANISATION else 0)
    missing = len(missing_fields(customer, has_key_person=has_key_person))
    return round(100 * (total - missing) / total)


def _roles(employee):
    return [a.role for a in RoleAssignment.objects.filter(employee=employee).select_related("role")]


def archive_path(unit) -> str:
    """The path of the archive a record made at `unit` belongs to: its subsidiary's (each subsidiary
    keeps its own customers), or the whole group's for a unit above any subsidiary."""
    subsidiary = subsidiary_of(unit) if unit is not None else None
    return subsidiary.path if subsidiary is not None else "/"


def owner_problem(tier: str, owner, unit, *, roles_cache: dict | None = None) -> tuple[str, str] | None:
    """CUS-2 owner rule: None when `owner` may own a customer of `tier` at `unit`, else (zh, en).

    `roles_cache` (employee id → roles), when given, is read and filled instead of reading the roles
    each time (an import checks thousands of rows with a few owners)."""
    if owner is None:
        if tier in (Tier.STRATEGIC, Tier.KEY):
            return ("战略、重点客户必须指定负责人", "A strategic or key customer needs an owner")
        return None
    if owner.status != "active":
        return ("负责人已离职或停用", "The owner is no longer active")
    if owner.user.is_superuser:
        return None
    if roles_cache is None:
        held = _roles(owner)
    else:
        held = roles_cache.get(owner.pk)
        if held is None:
            held = roles_cache[owner.pk] = _roles(owner)
    roles = [r for r in held if not r.supervisory_only]
    group_level = any(r.scope == Scope.GROUP for r in roles)
    if not group_level and not owner.unit.path.startswith(archive_path(unit)):
        # every tier: a customer is never owned from another subsidiary (issue 10)
        return (
            "客户的负责人必须属于该客户所在的子公司（或为集团管理层）",
            "A customer's owner must belong to the customer's subsidiary (or to group management)",
        )
    if tier == Tier.STRATEGIC:
        if not any(r.scope == Scope.GROUP for r in roles):
            return (
                "战略客户的负责人必须是集团高层",
                "A strategic customer must be owned by group senior management",
            )
    elif tier == Tier.KEY:
        wide = (Scope.DEPARTMENT, Scope.SUBSIDIARY, Scope.GROUP)
        if not any(r.scope in wide for r in roles):
            return (
                "重点客户的负责人必须是子公司负责人或相关部门人员",
                "A key customer must be owned by the subsidiary's head or a responsible department",
            )
    elif not any("customer.manage" in r.permissions for r in roles):
        return (
            "普通客户的负责人必须是销售或客户经理（有“维护客户档案”权限）",
            "A normal customer must be owned by a sales person or account manager (customer.manage)",
        )
    return None
