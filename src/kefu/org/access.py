"""Who may do what, over which records (ORG-3, ORG-4, ORG-5).

Grants come from the principal's roles: the user's own, or — when acting under an approved delegation —
the delegator's, narrowed to the delegated permissions and valid only within the period.

ORG-4 ("只有督导权没有行政权"): a supervisory-only role gives view and comment permissions only, and
those serve reading and commenting only. Any other write that rides on a view or comment permission
(an access request, an attachment, a delegation, …) asks `require_write` / `write_in_scope`, which count
only the grants of roles that may act. A delegation carries only such grants too (ORG-5).
"""

from kefu.core import clock, memo
from kefu.core.actor import Actor
from kefu.core.errors import PermissionDenied
from kefu.core.scopes import Grant, apply_scope
from kefu.org.models import SCOPE_ORDER, Delegation, Employee, RoleAssignment, Scope, Unit
from kefu.org.permissions import CATALOGUE, SUPERVISORY_KINDS


def employee_of(user) -> Employee | None:
    """The user's employee record with its unit (read once per user object)."""
    if user is None or not user.is_authenticated:
        return None
    field = Employee._meta.get_field("user")
    related = field.remote_field  # the reverse one-to-one, user.employee
    if not related.is_cached(user):
        employee = Employee.objects.select_related("unit").filter(user=user).first()
        if employee is not None:  # employee.user is this user: not read again
            field.set_cached_value(employee, getattr(user, "_wrapped", user))
        related.set_cached_value(user, employee)
    return related.get_cached_value(user)


def _anchor(unit: Unit, scope: str, units_by_id: dict[int, Unit]) -> str:
    """Path of the nearest unit at or above `unit` of the kind named by `scope`; else `unit` itself."""
    chain = [units_by_id[i] for i in reversed(unit.ancestor_ids()) if i in units_by_id]
    for candidate in chain:
        if candidate.kind == scope:
            return candidate.path
    return unit.path


def _grant_sets(employee: Employee) -> tuple[dict[str, list[Grant]], dict[str, list[Grant]]]:
    """(all grants, acting grants) of the employee's own roles; acting = from roles not supervisory-only."""
    assignments = list(RoleAssignment.objects.filter(employee=employee).select_related("role", "unit"))
    anchors = {a.unit or employee.unit for a in assignments} | {employee.unit}
    ids = {i for u in anchors for i in u.ancestor_ids()}
    units_by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    every: dict[str, list[Grant]] = {}
    acting: dict[str, list[Grant]] = {}
    for assignment in assignments:
        role = assignment.role
        anchor_unit = assignment.unit or employee.unit
        path = _anchor(anchor_unit, role.scope, units_by_id)
        for code in role.permissions:
            if code not in CATALOGUE:
                continue
            if role.supervisory_only and CATALOGUE[code].kind not in SUPERVISORY_KINDS:
                continue  # ORG-4: supervisory roles never act or approve
            grant = Grant(code, role.scope, path, employee.pk)
            every.setdefault(code, []).append(grant)
            if not role.supervisory_only:
                acting.setdefault(code, []).append(grant)
    return every, acting


def role_grants(employee: Employee) -> dict[str, list[Grant]]:
    """Permission → grants given by the employee's own roles (never by delegations: no re-delegation)."""
    return _grant_sets(employee)[0]


def acting_grants(employee: Employee) -> dict[str, list[Grant]]:
    """Permission → grants of the employee's roles that may act: not supervisory-only (ORG-4)."""
    return _grant_sets(employee)[1]


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
        return None  # not approved (ORG-5), revoked, or outside its period
    # authority ends with the delegator's employment (ORG-5, ORG-6)
    if delegation.delegator.status != "active" or not delegation.delegator.user.is_active:
        return None
    if delegation.delegate.user_id != getattr(actor.user, "pk", None):
        return None
    return delegation


def _grant_sets_cached(actor: Actor, employee: Employee):
    """All of an employee's role grants, computed once per Actor (a page asks for many permissions)."""
    cache = actor.extra.setdefault("role_grants", {})
    if employee.pk not in cache:
        # kept per process while roles, assignments and units stay the same (issue 11); the key holds
        # the employee's unit, which anchors the scopes and is not a tracked model
        cache[employee.pk] = memo.shared(
            ("org.grants", employee.pk, employee.unit_id), lambda: _grant_sets(employee)
        )
    return cache[employee.pk]


def _resolve(actor: Actor, code: str, *, acting: bool) -> list[Grant]:
    if actor.delegation_id is not None:
        delegation = active_delegation(actor)
        if delegation is None or code not in delegation.permissions:
            return []
        principal = delegation.delegator
        if principal.user.is_superuser:
            return [_group_grant(code, principal)]
        # ORG-5: exactly the delegator's grants for the delegated code, from the roles that may be
        # delegated (never a supervisory-only role's: ORG-4) — the delegate's own roles add nothing
        return _grant_sets_cached(actor, principal)[1].get(code, [])
    user = actor.user
    if user is None or not user.is_active:
        return []
    employee = employee_of(user)
    if user.is_superuser:
        return [_group_grant(code, employee)]
    if employee is None or employee.status != "active":
        return []
    every, acting_only = _grant_sets_cached(actor, employee)
    return (acting_only if acting else every).get(code, [])


def grants(actor: Actor, code: str) -> list[Grant]:
    """The grants the actor holds for permission `code` right now."""
    cache = actor.extra.setdefault("grants", {})
    if code not in cache:
        cache[code] = _resolve(actor, code, acting=False)
    return cache[code]


def write_grants(actor: Actor, code: str) -> list[Grant]:
    """The grants of `code` that allow a write riding on it: those of roles that may act (ORG-4)."""
    cache = actor.extra.setdefault("write_grants", {})
    if code not in cache:
        cache[code] = _resolve(actor, code, acting=True)
    return cache[code]


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
    every = _grant_sets_cached(actor, employee)[0]
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


def supervisory_refusal() -> PermissionDenied:
    return PermissionDenied(
        "督导角色只能查看和评论，不能办理、申请或授权（ORG-4：只有督导权没有行政权）",
        "ORG-4: a supervisory-only role may view and comment; it cannot act, request or delegate",
        code="ORG-4.supervisory_only",
    )


def require_write(actor: Actor, code: str) -> None:
    """A write that rides on permission `code` (a view or comment permission, e.g. an access request on
    customer.view): `code` must come from a role that may act. Held only through a supervisory-only
    role → the ORG-4 refusal; not held at all → the usual permission refusal."""
    if write_grants(actor, code):
        return
    if grants(actor, code):
        raise supervisory_refusal()
    require(actor, code)


def may_write(actor: Actor, code: str, *, unit: Unit | None, owner_id: int | None) -> bool:
    """Whether a page should offer a write riding on `code` for this record (ORG-4): no raising."""
    return _in_scope(write_grants(actor, code), unit=unit, owner_id=owner_id)


def write_in_scope(actor: Actor, code: str, *, unit: Unit | None, owner_id: int | None) -> bool:
    """Whether a write riding on `code` may touch the record at `unit` owned by `owner_id` (ORG-3, ORG-4).

    A record the actor sees only through a supervisory-only role raises the ORG-4 refusal (the actor
    may see it, so saying why reveals nothing); a record they cannot see at all answers False.
    """
    if _in_scope(write_grants(actor, code), unit=unit, owner_id=owner_id):
        return True
    if _in_scope(grants(actor, code), unit=unit, owner_id=owner_id):
        raise supervisory_refusal()
    return False


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


def _in_scope(grants_: list[Grant], *, unit: Unit | None, owner_id: int | None) -> bool:
    for grant in grants_:
        if grant.scope == Scope.OWN:
            if owner_id is not None and owner_id == grant.employee_id:
                return True
        elif unit is not None and unit.path.startswith(grant.anchor_path):
            return True
    return False


def record_in_scope(actor: Actor, code: str, *, unit: Unit | None, owner_id: int | None) -> bool:
    """Whether a record at `unit`, owned by employee `owner_id`, is within the actor's grants for `code`."""
    return _in_scope(grants(actor, code), unit=unit, owner_id=owner_id)


def own_permissions(employee: Employee) -> set[str]:
    """What an employee may delegate: the permissions of their own roles that may act — never those of
    a supervisory-only role (ORG-4, ORG-5)."""
    if employee.user.is_superuser:
        return set(CATALOGUE)
    return set(acting_grants(employee))


def supervisory_permissions(employee: Employee) -> set[str]:
    """Permissions the employee holds only through supervisory-only roles (ORG-4): not delegable."""
    every, acting = _grant_sets(employee)
    return set(every) - set(acting)


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
    # every audit row written under the delegation names it, next to the delegator (ORG-5)
    return Actor(
        user=user,
        origin=f"{origin} delegation #{delegation.pk}",
        on_behalf_of=delegation.delegator.user,
        delegation_id=delegation.pk,
    )
