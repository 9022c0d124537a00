"""Read paths for the organisation, always narrowed to the caller's data scope (ORG-3)."""

from django.db.models import Count, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.org import access
from kefu.org.models import (
    Delegation,
    DelegationState,
    Employee,
    EmploymentStatus,
    Post,
    Role,
    RoleAssignment,
    Site,
    Unit,
)

ID_LIMIT = 2**63 - 1  # a database key; a larger number is simply no one (and must not reach the database)


def employee_named(
    value,
    field: str,
    *,
    active: bool = True,
    code: str = "employee_unknown",
    message: tuple[str, str] = ("人员不存在或已离职", "No such active employee"),
) -> Employee:
    """The employee a form or a request names by id (with unit and user), or the refusal naming the
    field — the one lookup every app uses for "employee by id or refuse" (issue 12). Whether the
    caller may act on that person (scope, reach) is the caller's rule, checked after."""
    text = str(value if value is not None else "").strip()
    pk = int(text) if text.isdigit() else 0
    found = None
    if 0 < pk <= ID_LIMIT:
        people = Employee.objects.select_related("unit", "user").filter(pk=pk)
        if active:
            people = people.filter(status=EmploymentStatus.ACTIVE)
        found = people.first()
    if found is None:
        raise Invalid(code, message[0], message[1], {field: "unknown"})
    return found


def units(actor: Actor, *, kind: str | None = None, q: str = ""):
    qs = access.scoped(Unit.objects.select_related("parent"), actor, "org.view", unit_path="path")
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return qs


def unit(actor: Actor, pk) -> Unit:
    found = units(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("组织", "unit")
    return found


def employees(actor: Actor, *, unit_id=None, q: str = "", status: str = "", post_id=None):
    qs = access.scoped(
        Employee.objects.select_related("user", "unit", "post", "site"),
        actor,
        "org.view",
        unit_path="unit__path",
        owner="pk",
    )
    if unit_id:
        parent = unit(actor, unit_id)
        qs = qs.filter(unit__path__startswith=parent.path)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(number__icontains=q) | Q(user__username__icontains=q))
    if status:
        qs = qs.filter(status=status)
    if post_id:
        qs = qs.filter(post_id=post_id)
    return qs


def employee(actor: Actor, pk) -> Employee:
    found = employees(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("人员", "employee")
    return found


def sites(actor: Actor):
    return access.scoped(Site.objects.select_related("unit"), actor, "org.view", unit_path="unit__path")


def site(actor: Actor, pk) -> Site:
    found = sites(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("站点", "site")
    return found


def posts():
    return Post.objects.all()


def post(pk) -> Post:
    """Posts are group-wide reference data (ORG-2), visible to every signed-in person."""
    found = posts().filter(pk=pk).first()
    if found is None:
        raise NotFound("岗位", "post")
    return found


def roles(actor: Actor):
    """Roles are group-wide configuration; anyone who may view the organisation may read them."""
    return Role.objects.all() if access.can(actor, "org.view") else Role.objects.none()


def role(actor: Actor, pk) -> Role:
    found = roles(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("角色", "role")
    return found


def delegations(actor: Actor, *, current_only: bool = False):
    """Delegations given or received by the caller, plus those in scope for delegation managers."""
    base = Delegation.objects.select_related(
        "delegator", "delegate", "delegator__unit", "delegate__unit", "registered_by__employee"
    )
    me = access.employee_of(actor.user)
    mine = Q(delegator=me) | Q(delegate=me) if me is not None else Q(pk__in=[])
    managed = access.scoped(
        Delegation.objects.all(), actor, "delegation.manage", unit_path="delegator__unit__path"
    )
    qs = base.filter(mine | Q(pk__in=managed.values("pk")))
    if current_only:
        now = clock.now()
        qs = qs.filter(
            state=DelegationState.APPROVED, revoked_at__isnull=True, starts_at__lte=now, ends_at__gt=now
        )
    return qs


def delegation(actor: Actor, pk) -> Delegation:
    found = delegations(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("授权", "delegation")
    return found


def delegations_usable_by(user):
    """Delegations in force (approved, ORG-5) that this user may act under right now."""
    now = clock.now()
    return Delegation.objects.select_related("delegator").filter(
        delegate__user=user,
        state=DelegationState.APPROVED,
        revoked_at__isnull=True,
        starts_at__lte=now,
        ends_at__gt=now,
    )


def unit_ids_under(paths) -> list[int]:
    """The ids of the units in the subtrees anchored at `paths`: a data scope as a filter on a record's
    own unit column, so that a list walks the record's indexes instead of joining the unit tree row by
    row (issues 11 and 13)."""
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    return list(Unit.objects.filter(under).values_list("pk", flat=True)) if paths else []


def unit_chain(unit: Unit) -> list[Unit]:
    """The unit and its ancestors, root first (for "集团 › 子公司 › 部门" breadcrumbs). One query."""
    by_id = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids())}
    return [by_id[i] for i in unit.ancestor_ids() if i in by_id]


def assignments_of(employee: Employee):
    """The employee's roles (with their data scope), for the person's own pages."""
    return RoleAssignment.objects.filter(employee=employee).select_related("role", "unit").order_by("role_id")


def units_with_counts(actor: Actor):
    """Units in scope, in tree order, each with `employee_count` (active staff directly in it). One query."""
    return (
        units(actor)
        .annotate(employee_count=Count("employees", filter=Q(employees__status="active")))
        .order_by("path")
    )


def delegation_candidates(actor: Actor):
    """Active employees the caller may name as a delegate: those they can see (ORG-3)."""
    return employees(actor, status="active").order_by("unit__path", "name")


def delegators_for(actor: Actor):
    """Whose authority the caller may delegate (ORG-5): their own, and — with delegation.manage —
    that of active employees in their scope."""
    me = access.employee_of(actor.user)
    allowed = Q(pk=me.pk) if me is not None else Q(pk__in=[])
    if access.can(actor, "delegation.manage"):
        managed = access.scoped(
            Employee.objects.filter(status="active"), actor, "delegation.manage", unit_path="unit__path"
        )
        allowed |= Q(pk__in=managed.values("pk"))
    return Employee.objects.select_related("unit").filter(allowed).order_by("unit__path", "name")


def may_open_delegation_form(actor: Actor) -> bool:
    """Whether the "new delegation" page opens for the caller (the home page's link says the same):
    not while acting for someone (ORG-5), someone's authority to hand on, and — unless registering
    for others — rights of one's own (a supervisory-only role hands nothing on, ORG-4)."""
    if actor.delegation_id is not None or not delegators_for(actor).exists():
        return False
    if access.can(actor, "delegation.manage"):
        return True
    employee = access.employee_of(actor.user)
    return employee is None or bool(access.own_permissions(employee))
