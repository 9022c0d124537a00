"""Who may do what, over which records (ORG-3, ORG-4, ORG-5).

Grants come from the principal's roles: the user's own, or — when acting under a delegation —
the delegator's, narrowed to the delegated permissions and valid only within the period.
"""

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import PermissionDenied
from kefu.core.scopes import Grant, apply_scope
from kefu.org.models import SCOPE_ORDER, Delegation, Employee, RoleAssignment, Scope, Unit
from kefu.org.permissions import CATALOGUE, SUPERVISORY_KINDS


def employee_of(user) -> Employee | None:
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def _anchor(unit: Unit, scope: str, units_by_id: dict[int, Unit]) -> str:
    """Path of the nearest unit at or above `unit` of the kind named by `scope`; else `unit` itself."""
    chain = [units_by_id[i] for i in reversed(unit.ancestor_ids()) if i in units_by_id]
    for candidate in chain:
        if candidate.kind == scope:
            return candidate.path
    return unit.path


def role_grants(employee: Employee) -> dict[str, list[Grant]]:
    """Permission → grants given by the employee's own roles (never by delegations: no re-delegation)."""
    assignments = list(RoleAssignment.objects.filter(employee=employee).select_related("role", "unit"))
    anchors = {a.unit or employee.unit for a in assignments} | {employee.unit}
    ids = {i for u in anchors for i in u.ancestor_ids()}
    units_by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    grants: dict[str, list[Grant]] = {}
    for assignment in assignments:
        role = assignment.role
        anchor_unit = assignment.unit or employee.unit
        path = _anchor(anchor_unit, role.scope, units_by_id)
        for code in role.permissions:
            if code not in CATALOGUE:
                continue
            if role.supervisory_only and CATALOGUE[code].kind not in SUPERVISORY_KINDS:
                continue  # ORG-4: supervisory roles never act or approve
            grants.setdefault(code, []).append(Grant(code, role.scope, path, employee.pk))
    return grants


def _group_grant(code: str, employee: Employee | None) -> Grant:
    return Grant(code, Scope.GROUP, "/", employee.pk if employee else None)


def active_delegation(actor: Actor) -> Delegation | None:
    if actor.delegation_id is None:
        return None
    delegation = (
        Delegation.objects.select_related("delegator__user", "delegator__unit")
        .filter(pk=actor.delegation_id)
        .first()
    )
    if delegation is None or not delegation.is_active_at(clock.now()):
        return None
    # authority ends with the delegator's employment (ORG-5, ORG-6)
    if delegation.delegator.status != "active" or not delegation.delegator.user.is_active:
        return None
    if delegation.delegate.user_id != getattr(actor.user, "pk", None):
        return None
    return delegation


def _role_grants_cached(actor: Actor, employee: Employee) -> dict[str, list[Grant]]:
    """All of an employee's role grants, computed once per Actor (a page asks for many permissions)."""
    cache = actor.extra.setdefault("role_grants", {})
    if employee.pk not in cache:
        cache[employee.pk] = role_grants(employee)
    return cache[employee.pk]


def grants(actor: Actor, code: str) -> list[Grant]:
    """The grants the actor holds for permission `code` right now."""
    cache = actor.extra.setdefault("grants", {})
    if code in cache:
        return cache[code]
    result: list[Grant] = []
    if actor.delegation_id is not None:
        delegation = active_delegation(actor)
        if delegation is not None and code in delegation.permissions:
            principal = delegation.delegator
            if principal.user.is_superuser:
                result = [_group_grant(code, principal)]
            else:
                result = _role_grants_cached(actor, principal).get(code, [])
    elif actor.user is not None and actor.user.is_active:
        employee = employee_of(actor.user)
        if actor.user.is_superuser:
            result = [_group_grant(code, employee)]
        elif employee is not None and employee.status == "active":
            result = _role_grants_cached(actor, employee).get(code, [])
    cache[code] = result
    return result


def prime(actor: Actor, codes) -> None:
    """Resolve several permissions with one role lookup (e.g. for the navigation); same result as grants()."""
    cache = actor.extra.setdefault("grants", {})
    missing = [c for c in codes if c not in cache]
    user = actor.user
    if not missing or actor.delegation_id is not None or user is None or not user.is_active:
        return
    if user.is_superuser:
        return
    employee = employee_of(user)
    if employee is None or employee.status != "active":
        return
    every = role_grants(employee)
    for code in missing:
        cache[code] = every.get(code, [])


def can(actor: Actor, code: str) -> bool:
    return bool(grants(actor, code))


def require(actor: Actor, code: str) -> None:
    if not can(actor, code):
        perm = CATALOGUE.get(code)
        raise PermissionDenied(
            f"您没有“{perm.zh if perm else code}”权限",
            f"You lack the permission “{perm.en if perm else code}”",
        )


def widest_scope(actor: Actor, code: str) -> str | None:
    levels = [SCOPE_ORDER.index(g.scope) for g in grants(actor, code)]
    return SCOPE_ORDER[max(levels)] if levels else None


def scoped(
    queryset, actor: Actor, code: str, *, unit_path: str | None = "unit__path", owner: str | None = None
):
    """`queryset` narrowed to what the actor may see under permission `code` (ORG-3)."""
    return apply_scope(queryset, grants(actor, code), unit_path=unit_path, owner=owner)


def unit_in_scope(actor: Actor, code: str, unit: Unit) -> bool:
    return any(g.scope != Scope.OWN and unit.path.startswith(g.anchor_path) for g in grants(actor, code))


def record_in_scope(actor: Actor, code: str, *, unit: Unit | None, owner_id: int | None) -> bool:
    """Whether a record at `unit`, owned by employee `owner_id`, is within the actor's grants for `code`."""
    for grant in grants(actor, code):
        if grant.scope == Scope.OWN:
            if owner_id is not None and owner_id == grant.employee_id:
                return True
        elif unit is not None and unit.path.startswith(grant.anchor_path):
            return True
    return False


def own_permissions(employee: Employee) -> set[str]:
    """What an employee may delegate: the permissions of their own roles (ORG-5)."""
    if employee.user.is_superuser:
        return set(CATALOGUE)
    return set(role_grants(employee))


def actor_for(user, *, origin: str, delegation_id: int | None = None) -> Actor:
    """The Actor for a signed-in user, acting for a delegator if a usable delegation is named (ORG-5)."""
    actor = Actor(user=user, origin=origin)
    if delegation_id is None:
        return actor
    candidate = Actor(user=user, origin=origin, delegation_id=delegation_id)
    delegation = active_delegation(candidate)
    if delegation is None:
        raise PermissionDenied(
            "该授权不存在、未生效或已过期", "That delegation is not in force", code="ORG-5.not_in_force"
        )
    return Actor(
        user=user, origin=origin, on_behalf_of=delegation.delegator.user, delegation_id=delegation.pk
    )
