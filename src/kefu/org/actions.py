"""The only functions that change organisation state. Each checks permission and rules, writes,
and audits — in one transaction."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from kefu.core import audit, clock, decisions, memo
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.workflow.actions import approvals
from kefu.org import access
from kefu.org.lifecycle import CHAIN as DELEGATION_CHAIN
from kefu.org.models import (
    SCOPE_ORDER,
    Delegation,
    DelegationState,
    Employee,
    EmploymentStatus,
    Role,
    RoleAssignment,
    Site,
    Unit,
    UnitKind,
)
from kefu.org.permissions import CATALOGUE, not_supervisory, unknown

User = get_user_model()

# ORG-1: which kind of unit may sit under which.
ALLOWED_PARENTS = {
    UnitKind.GROUP: {None},
    UnitKind.SUBSIDIARY: {UnitKind.GROUP},
    UnitKind.DEPARTMENT: {UnitKind.GROUP, UnitKind.SUBSIDIARY},
    UnitKind.TEAM: {UnitKind.DEPARTMENT},
}
UNIT_FIELDS = ["kind", "name", "code", "parent", "is_active"]
EMPLOYEE_FIELDS = [
    "number",
    "name",
    "unit",
    "post",
    "site",
    "employment_type",
    "confirmed_on",
    "status",
    "phone",
    "email",
    "supervisors",
]
ROLE_FIELDS = ["code", "name", "description", "permissions", "scope", "supervisory_only"]


def _require_unit(actor: Actor, unit: Unit | None) -> None:
    """Writing under `unit` needs org.manage over it (ORG-3)."""
    access.require(actor, "org.manage")
    if unit is not None and not access.unit_in_scope(actor, "org.manage", unit):
        raise PermissionDenied("该组织不在您的管理范围内", "That unit is outside your data scope")


def _check_tree(kind: str, parent: Unit | None, unit: Unit | None = None) -> None:
    parent_kind = parent.kind if parent is not None else None
    if kind not in ALLOWED_PARENTS:
        raise Invalid("unit_kind", "组织类型无效", "Unknown unit kind", {"kind": kind})
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise Invalid(
            "ORG-1.tree",
            f"“{UnitKind(kind).label}”不能挂在该上级之下（集团→子公司→部门→组）",
            "ORG-1: a unit of this kind cannot sit under that parent (group → subsidiary → department → team)",
            {"parent": "ORG-1"},
        )
    if unit is not None and parent is not None and parent.path.startswith(unit.path):
        raise Invalid(
            "ORG-1.cycle",
            "不能把组织移到它自己的下级",
            "A unit cannot move under itself",
            {"parent": "ORG-1"},
        )


def _save_unique(obj, zh: str, en: str, field: str):
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise Conflict("duplicate", zh, en, fields={field: "duplicate"}) from exc


def create_unit(actor: Actor, *, kind: str, name: str, code: str, parent: Unit | None = None) -> Unit:
    with transaction.atomic():
        _require_unit(actor, parent)
        _check_tree(kind, parent)
        if kind == UnitKind.GROUP and Unit.objects.filter(kind=UnitKind.GROUP).exists():
            raise Invalid("ORG-1.one_group", "只能有一个集团", "There is only one group", {"kind": "ORG-1"})
        unit = Unit(kind=kind, name=name.strip(), code=code.strip(), parent=parent, path="")
        _save_unique(unit, "名称或编码已存在", "Name or code already in use", "code")
        unit.path = f"{parent.path if parent else '/'}{unit.pk}/"
        unit.save(update_fields=["path"])
        audit.record(actor, "org.unit.create", unit, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(actor: Actor, unit: Unit, **changes) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.select_for_update(of=("self",)).get(pk=unit.pk)
        _require_unit(actor, unit)
        before = audit.snapshot(unit, UNIT_FIELDS)
        new_parent = changes.pop("parent", unit.parent)
        if (new_parent.pk if new_parent else None) != unit.parent_id:
            _require_unit(actor, new_parent)
            _check_tree(unit.kind, new_parent, unit)
        if (
            changes.get("is_active") is False
            and Employee.objects.filter(
                unit__path__startswith=unit.path, status=EmploymentStatus.ACTIVE
            ).exists()
        ):
            raise Invalid(
                "unit_has_staff",
                "该组织仍有在职人员，不能停用",
                "The unit still has active employees",
                {"is_active": "staff"},
            )
        for field, value in changes.items():
            setattr(unit, field, value.strip() if isinstance(value, str) else value)
        old_path = unit.path
        unit.parent = new_parent
        unit.path = f"{new_parent.path if new_parent else '/'}{unit.pk}/"
        _save_unique(unit, "名称或编码已存在", "Name or code already in use", "code")
        if unit.path != old_path:
            for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
                child.path = unit.path + child.path[len(old_path) :]
                child.save(update_fields=["path"])
            memo.forget("org.subsidiary")  # the subsidiaries above the moved units (issue 11)
        audit.record(actor, "org.unit.update", unit, before=before, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def save_site(
    actor: Actor, *, site: Site | None = None, name: str, kind: str, unit: Unit, address: str = ""
) -> Site:
    with transaction.atomic():
        _require_unit(actor, unit)
        before = None
        if site is not None:
            site = Site.objects.select_for_update(of=("self",)).get(pk=site.pk)
            _require_unit(actor, site.unit)
            before = audit.snapshot(site, ["name", "kind", "unit", "address"])
        else:
            site = Site()
        site.name, site.kind, site.unit, site.address = name.strip(), kind, unit, address.strip()
        site.save()
        audit.record(
            actor,
            "org.site.update" if before else "org.site.create",
            site,
            before=before,
            after=audit.snapshot(site, ["name", "kind", "unit", "address"]),
        )
    return site


def _check_password(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(
            "password_weak",
            "密码不符合要求：" + "；".join(exc.messages),
            "Password rejected: " + "; ".join(exc.messages),
            {"password": exc.messages},
        ) from exc


def create_employee(
    actor: Actor,
    *,
    username: str,
    name: str,
    number: str,
    unit: Unit,
    post,
    password: str = "",
    site=None,
    employment_type: str = "regular",
    confirmed_on=None,
    phone: str = "",
    email: str = "",
    supervisors=(),
    account=None,
) -> tuple[Employee, str]:
    """Create the personal account and the employee (ORG-2, ORG-6). Returns (employee, initial password).

    `account` links an existing account that has no employee yet (the installation's `admin`).
    """
    username = (username or "").strip()
    if not username:
        raise Invalid("username_required", "请填写登录名", "Username is required", {"username": "required"})
    with transaction.atomic():
        _require_unit(actor, unit)
        initial = ""
        if account is not None:
            user = account
        elif User.objects.filter(username__iexact=username).exists():
            raise Conflict(
                "username_taken",
                "登录名已被使用（每人一个账号，不得共用）",
                "Username already taken (accounts are personal, never shared)",
                fields={"username": "duplicate"},
            )
        else:
            user = User(username=username, email=email)
            initial = password or secrets.token_urlsafe(12)
            if password:
                _check_password(password, user)
            user.set_password(initial)
            user.save()
        employee = Employee(
            user=user,
            name=name.strip(),
            number=number.strip(),
            unit=unit,
            post=post,
            site=site,
            employment_type=employment_type,
            confirmed_on=confirmed_on,
            phone=phone,
            phone_index=blind_index(phone) if phone else "",
            email=email,
        )
        _save_unique(employee, "工号已存在", "Employee number already in use", "number")
        employee.supervisors.set(supervisors)
        audit.record(
            actor,
            "org.employee.create",
            employee,
            after=audit.snapshot(employee, EMPLOYEE_FIELDS) | {"username": username},
        )
    return employee, initial


def update_employee(actor: Actor, employee: Employee, *, supervisors=None, **changes) -> Employee:
    with transaction.atomic():
        employee = (
            Employee.objects.select_for_update(of=("self",))
            .select_related("user", "unit")
            .get(pk=employee.pk)
        )
        _require_unit(actor, employee.unit)
        if "unit" in changes:
            _require_unit(actor, changes["unit"])
        before = audit.snapshot(employee, EMPLOYEE_FIELDS)
        for field, value in changes.items():
            setattr(employee, field, value.strip() if isinstance(value, str) else value)
        if "phone" in changes:
            employee.phone_index = blind_index(employee.phone) if employee.phone else ""
        if supervisors is not None:
            if any(s.pk == employee.pk for s in supervisors):
                raise Invalid(
                    "ORG-2.self_supervisor",
                    "不能把自己设为上级",
                    "An employee cannot supervise themselves",
                    {"supervisors": "self"},
                )
            employee.supervisors.set(supervisors)
        _save_unique(employee, "工号已存在", "Employee number already in use", "number")
        # Leaving the company closes the personal account at once (ORG-6).
        active = employee.status != EmploymentStatus.LEFT
        if employee.user.is_active != active:
            employee.user.is_active = active
            employee.user.save(update_fields=["is_active"])
        audit.record(
            actor,
            "org.employee.update",
            employee,
            before=before,
            after=audit.snapshot(employee, EMPLOYEE_FIELDS),
        )
    return employee


def reset_password(actor: Actor, employee: Employee, *, password: str = "") -> str:
    with transaction.atomic():
        _require_unit(actor, employee.unit)
        user = employee.user
        new = password or secrets.token_urlsafe(12)
        if password:
            _check_password(password, user)
        user.set_password(new)
        user.save(update_fields=["password"])
        audit.record(actor, "org.employee.reset_password", employee)
    return new


def _validate_role(permissions: list[str], scope: str, supervisory_only: bool) -> None:
    bad = unknown(permissions)
    if bad:
        raise Invalid(
            "unknown_permission",
            f"未知权限：{', '.join(bad)}",
            f"Unknown permissions: {', '.join(bad)}",
            {"permissions": bad},
        )
    if scope not in SCOPE_ORDER:
        raise Invalid("ORG-3.scope", "数据范围无效", "Unknown data scope", {"scope": scope})
    if supervisory_only and not_supervisory(permissions):
        raise Invalid(
            "ORG-4.supervisory_only",
            "督导角色只能查看和评论，不能拥有办理或审批权限：" + ", ".join(not_supervisory(permissions)),
            "ORG-4: a supervisory-only role may view and comment, not act or approve: "
            + ", ".join(not_supervisory(permissions)),
            {"permissions": not_supervisory(permissions)},
        )


def _require_grantable(actor: Actor, role: Role) -> None:
    """Nobody hands out more than they hold: every permission at a scope at least as wide."""
    if actor.user is not None and actor.user.is_superuser and actor.delegation_id is None:
        return
    for code in role.permissions:
        widest = access.widest_scope(actor, code)
        if widest is None or SCOPE_ORDER.index(widest) < SCOPE_ORDER.index(role.scope):
            raise PermissionDenied(
                f"您不能授予超出自身的权限：{CATALOGUE[code].zh}",
                f"You cannot grant more than you hold: {CATALOGUE[code].en}",
            )


def save_role(
    actor: Actor,
    *,
    role: Role | None = None,
    code: str,
    name: str,
    permissions: list[str],
    scope: str,
    supervisory_only: bool = False,
    description: str = "",
) -> Role:
    permissions = sorted(set(permissions))
    _validate_role(permissions, scope, supervisory_only)
    with transaction.atomic():
        access.require(actor, "role.manage")
        before = None
        if role is not None:
            role = Role.objects.select_for_update(of=("self",)).get(pk=role.pk)
            before = audit.snapshot(role, ROLE_FIELDS)
        else:
            role = Role()
        role.code, role.name, role.description = code.strip(), name.strip(), description.strip()
        role.permissions, role.scope, role.supervisory_only = permissions, scope, supervisory_only
        _require_grantable(actor, role)
        _save_unique(role, "角色编码或名称已存在", "Role code or name already in use", "code")
        audit.record(
            actor,
            "org.role.update" if before else "org.role.create",
            role,
            before=before,
            after=audit.snapshot(role, ROLE_FIELDS),
        )
    return role


def set_roles(actor: Actor, employee: Employee, roles: list[Role]) -> Employee:
    with transaction.atomic():
        access.require(actor, "role.manage")
        _require_unit(actor, employee.unit)
        current = {
            a.role_id: a
            for a in RoleAssignment.objects.select_for_update(of=("self",)).filter(employee=employee)
        }
        wanted = {r.pk: r for r in roles}
        for role in wanted.values():
            if role.pk not in current:
                _require_grantable(actor, role)
        for role_id, assignment in current.items():
            if role_id not in wanted:
                _require_grantable(actor, assignment.role)
        before = sorted(current)
        RoleAssignment.objects.filter(employee=employee).exclude(role_id__in=wanted).delete()
        for role in wanted.values():
            RoleAssignment.objects.get_or_create(employee=employee, role=role)
        audit.record(
            actor, "org.employee.roles", employee, before={"roles": before}, after={"roles": sorted(wanted)}
        )
    return employee


def _delegation_refusals(actor: Actor, delegator: Employee, delegate: Employee, permissions: list[str]):
    """The ORG-4 / ORG-5 rules every delegation obeys, whoever makes it."""
    if delegator.pk == delegate.pk or delegate.user_id == actor.user.pk:
        raise Invalid(
            "ORG-5.self",
            "不能授权给自己（包括为他人登记以自己为被授权人的授权）",
            "ORG-5: nobody delegates to themselves, nor registers a delegation naming themselves",
            {"delegate": "self"},
        )
    if delegate.status != EmploymentStatus.ACTIVE:
        raise Invalid(
            "ORG-5.inactive_delegate",
            "被授权人不在职",
            "ORG-5: the delegate is not active",
            {"delegate": "inactive"},
        )
    if not permissions:
        raise Invalid(
            "ORG-5.empty",
            "请选择授权的权限范围",
            "ORG-5: choose the permissions to delegate",
            {"permissions": "required"},
        )
    missing = sorted(set(permissions) - access.own_permissions(delegator))
    if set(missing) & access.supervisory_permissions(delegator):
        raise access.supervisory_refusal()  # ORG-4: delegating is a write; 督导权 is not handed on
    if missing:
        raise Invalid(
            "ORG-5.not_held",
            "只能授权本人通过角色持有的权限：" + ", ".join(missing),
            "ORG-5: only permissions the delegator holds through roles can be delegated: "
            + ", ".join(missing),
            {"permissions": missing},
        )


def create_delegation(
    actor: Actor,
    *,
    delegator: Employee,
    delegate: Employee,
    permissions: list[str],
    starts_at,
    ends_at,
    reason: str,
) -> Delegation:
    """ORG-5: acting-for with scope (permissions) and period.

    Made by the delegator in person, it is approved at once. Registered for them by someone with
    delegation.manage over the delegator's unit, it is `pending` until the delegator or their superior
    approves it (chain `org.delegation`, kefu.org.lifecycle), and the delegator is told. Never made
    while acting under a delegation; only permissions the delegator holds through roles that may act
    (ORG-4: not a supervisory-only role's) and not through a delegation; never to oneself; a positive
    period that has not already ended; a reason.
    """
    permissions = sorted(set(permissions))
    if actor.user is None or actor.delegation_id is not None:
        raise PermissionDenied(
            "代理他人期间不能办理授权（ORG-5：授权由授权人本人作出，不得转授）",
            "ORG-5: delegations are not made or registered while acting for someone else",
            code="ORG-5.under_delegation",
        )
    by_delegator = actor.user.pk == delegator.user_id
    with transaction.atomic():
        if not by_delegator:
            access.require(actor, "delegation.manage")
            if not access.unit_in_scope(actor, "delegation.manage", delegator.unit):
                raise NotFound("人员", "employee")
        _delegation_refusals(actor, delegator, delegate, permissions)
        if ends_at <= starts_at or ends_at <= clock.now():
            raise Invalid(
                "ORG-5.period",
                "授权期限无效：结束须晚于开始且晚于现在",
                "ORG-5: the period must end after it starts and in the future",
                {"ends_at": "period"},
            )
        if not (reason or "").strip():
            raise Invalid(
                "ORG-5.reason", "请填写授权事由", "ORG-5: a reason is required", {"reason": "required"}
            )
        delegation = Delegation.objects.create(
            delegator=delegator,
            delegate=delegate,
            permissions=permissions,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason.strip(),
            created_at=clock.now(),
            state=DelegationState.APPROVED if by_delegator else DelegationState.PENDING,
            registered_by=actor.user,
        )
        audit.record(
            actor,
            "org.delegation.create",
            delegation,
            after={
                "delegator": delegator.pk,
                "delegate": delegate.pk,
                "permissions": permissions,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "reason": reason.strip(),
                "state": delegation.state,
            },
        )
        if not by_delegator:
            _send_for_approval(actor, delegation)
    return delegation


def _send_for_approval(actor: Actor, delegation: Delegation) -> None:
    """Open the approval chain, say whom it asks and why, and tell the delegator (ORG-5)."""
    request = approvals.start_approval(actor, delegation, DELEGATION_CHAIN.name)
    step = request.steps.order_by("index").first()
    asked = sorted(u.get_username() for u in step.approvers.all())
    decisions.record(
        delegation,
        rule="ORG-5",
        outcome=f"awaiting approval by {', '.join(asked)} / 待 {'、'.join(asked)} 批准后生效",
        inputs={"registered_by": actor.name, "delegator": delegation.delegator.user.get_username()},
        policy_version=None,
        clause=DELEGATION_CLAUSE,
        actor=actor,
    )
    notify(
        [delegation.delegator.user],
        "org.delegation_registered",
        {
            "registrar": access.employee_of(actor.user) or actor.name,
            "delegation": delegation,
            "permissions": delegation.permissions_zh,
            "permissions_en": delegation.permissions_en,
        },
        obj=delegation,
        link="/org/delegations/",
    )


DELEGATION_CLAUSE = "副总经理…替代总经理职责时受总经理授权"


def request_actor(user, *, origin: str, delegation_id: int | None, request_line: str) -> Actor:
    """The Actor of one request (API or page). Under a delegation, the request leaves one audit row
    naming the delegation (ORG-5: every use is audited); writes under it say so on their own rows too."""
    actor = access.actor_for(user, origin=origin, delegation_id=delegation_id)
    if actor.delegation_id is not None:
        with transaction.atomic():
            audit.record(
                actor,
                "org.delegation.use",
                object_type="org.delegation",
                object_id=str(actor.delegation_id),
                object_repr=f"{actor.on_behalf_of.get_username()} → {actor.name}",
                reason=request_line,
            )
    return actor


def revoke_delegation(actor: Actor, delegation: Delegation) -> Delegation:
    with transaction.atomic():
        delegation = (
            Delegation.objects.select_for_update(of=("self",))
            .select_related("delegator__unit")
            .get(pk=delegation.pk)
        )
        own = actor.user is not None and actor.user.pk == delegation.delegator.user_id
        if not own:
            access.require(actor, "delegation.manage")
            if not access.unit_in_scope(actor, "delegation.manage", delegation.delegator.unit):
                raise NotFound("授权", "delegation")
        if delegation.revoked_at is None:
            delegation.revoked_at = clock.now()
            delegation.save(update_fields=["revoked_at"])
            audit.record(
                actor,
                "org.delegation.revoke",
                delegation,
                before={"revoked_at": None},
                after={"revoked_at": delegation.revoked_at},
            )
    return delegation
