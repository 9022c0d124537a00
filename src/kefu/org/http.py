"""Organisation API under /api/v1/org/ (ORG-1…ORG-6): parse, call a query or an action, serialise.

Reads go through `kefu.org.queries` (always scoped: out of scope answers 404), writes through
`kefu.org.actions` (which check permission, write and audit). Ids in request bodies are resolved
with the same scoped queries, so a unit or person you cannot see cannot be used either.
"""

from ninja import Router, Status
from ninja.pagination import paginate

from kefu.core import clock
from kefu.core.errors import Invalid
from kefu.core.http_support import Pagination, actor
from kefu.org import access, actions, queries
from kefu.org.models import EmploymentStatus, UnitKind
from kefu.org.permissions import CATALOGUE
from kefu.org.schemas import (
    DelegationIn,
    DelegationOut,
    EmployeeCreated,
    EmployeeDetail,
    EmployeeIn,
    EmployeeOut,
    EmployeePatch,
    PermissionOut,
    PostOut,
    RoleIn,
    RoleOut,
    RolePatch,
    RolesIn,
    SiteIn,
    SiteOut,
    SitePatch,
    UnitIn,
    UnitOut,
    UnitPatch,
)

router = Router(tags=["org"])


# ---- units (ORG-1) -------------------------------------------------------------------------


@router.get("/units", response=list[UnitOut], summary="Units in my scope")
@paginate(Pagination)
def list_units(request, kind: UnitKind | None = None, q: str = ""):
    return queries.units(actor(request), kind=kind, q=q)


@router.get("/units/{unit_id}", response=UnitOut, summary="One unit")
def get_unit(request, unit_id: int):
    return queries.unit(actor(request), unit_id)


@router.post("/units", response={201: UnitOut}, summary="Create a unit (ORG-1 tree rules apply)")
def create_unit(request, payload: UnitIn):
    current = actor(request)
    parent = queries.unit(current, payload.parent_id) if payload.parent_id is not None else None
    unit = actions.create_unit(
        current, kind=payload.kind, name=payload.name, code=payload.code, parent=parent
    )
    return Status(201, unit)


@router.patch("/units/{unit_id}", response=UnitOut, summary="Rename, move or (de)activate a unit")
def update_unit(request, unit_id: int, payload: UnitPatch):
    current = actor(request)
    unit = queries.unit(current, unit_id)
    changes = payload.changes()
    if "parent_id" in changes:
        parent_id = changes.pop("parent_id")
        changes["parent"] = queries.unit(current, parent_id) if parent_id is not None else None
    return actions.update_unit(current, unit, **changes)


# ---- sites (ORG-1) -------------------------------------------------------------------------


@router.get("/sites", response=list[SiteOut], summary="Sites in my scope")
@paginate(Pagination)
def list_sites(request):
    return queries.sites(actor(request))


@router.post("/sites", response={201: SiteOut}, summary="Create a site")
def create_site(request, payload: SiteIn):
    current = actor(request)
    unit = queries.unit(current, payload.unit_id)
    site = actions.save_site(
        current, name=payload.name, kind=payload.kind, unit=unit, address=payload.address
    )
    return Status(201, site)


@router.patch("/sites/{site_id}", response=SiteOut, summary="Change a site")
def update_site(request, site_id: int, payload: SitePatch):
    current = actor(request)
    site = queries.site(current, site_id)
    changes = payload.changes()
    unit = queries.unit(current, changes["unit_id"]) if "unit_id" in changes else site.unit
    return actions.save_site(
        current,
        site=site,
        name=changes.get("name", site.name),
        kind=changes.get("kind", site.kind),
        unit=unit,
        address=changes.get("address", site.address),
    )


# ---- posts (ORG-2) -------------------------------------------------------------------------


@router.get("/posts", response=list[PostOut], summary="Job posts (岗位)")
@paginate(Pagination)
def list_posts(request):
    return queries.posts()


# ---- employees (ORG-2, ORG-6) --------------------------------------------------------------


@router.get("/employees", response=list[EmployeeOut], summary="Employees in my scope (phone masked)")
@paginate(Pagination)
def list_employees(
    request,
    unit: int | None = None,
    q: str = "",
    status: EmploymentStatus | None = None,
    post: int | None = None,
):
    return queries.employees(actor(request), unit_id=unit, q=q, status=status or "", post_id=post)


@router.get("/employees/{employee_id}", response=EmployeeDetail, summary="One employee")
def get_employee(request, employee_id: int):
    return queries.employee(actor(request), employee_id)


@router.post(
    "/employees",
    response={201: EmployeeCreated},
    summary="Create an employee and their personal account (ORG-6)",
    description="Without `password` one is generated and answered once as `initial_password`.",
)
def create_employee(request, payload: EmployeeIn):
    current = actor(request)
    unit = queries.unit(current, payload.unit_id)
    site = queries.site(current, payload.site_id) if payload.site_id is not None else None
    supervisors = [queries.employee(current, pk) for pk in dict.fromkeys(payload.supervisor_ids)]
    employee, initial = actions.create_employee(
        current,
        username=payload.username,
        name=payload.name,
        number=payload.number,
        unit=unit,
        post=queries.post(payload.post_id),
        password=payload.password,
        site=site,
        employment_type=payload.employment_type,
        confirmed_on=payload.confirmed_on,
        phone=payload.phone,
        email=payload.email,
        supervisors=supervisors,
    )
    employee.initial_password = None if payload.password else initial
    return Status(201, employee)


@router.patch("/employees/{employee_id}", response=EmployeeDetail, summary="Change an employee")
def update_employee(request, employee_id: int, payload: EmployeePatch):
    current = actor(request)
    employee = queries.employee(current, employee_id)
    changes = payload.changes()
    if "unit_id" in changes:
        changes["unit"] = queries.unit(current, changes.pop("unit_id"))
    if "post_id" in changes:
        changes["post"] = queries.post(changes.pop("post_id"))
    if "site_id" in changes:
        site_id = changes.pop("site_id")
        changes["site"] = queries.site(current, site_id) if site_id is not None else None
    supervisors = None
    if "supervisor_ids" in changes:
        ids = dict.fromkeys(changes.pop("supervisor_ids"))
        supervisors = [queries.employee(current, pk) for pk in ids]
    return actions.update_employee(current, employee, supervisors=supervisors, **changes)


@router.put(
    "/employees/{employee_id}/roles",
    response=EmployeeDetail,
    summary="Set an employee's roles (ORG-3); nobody grants more than they hold",
)
def set_roles(request, employee_id: int, payload: RolesIn):
    current = actor(request)
    employee = queries.employee(current, employee_id)
    roles = [queries.role(current, pk) for pk in dict.fromkeys(payload.role_ids)]
    return actions.set_roles(current, employee, roles)


# ---- roles and permissions (ORG-3, ORG-4) --------------------------------------------------


@router.get("/roles", response=list[RoleOut], summary="Roles")
@paginate(Pagination)
def list_roles(request):
    return queries.roles(actor(request))


@router.get("/roles/{role_id}", response=RoleOut, summary="One role")
def get_role(request, role_id: int):
    return queries.role(actor(request), role_id)


@router.post("/roles", response={201: RoleOut}, summary="Create a role (ORG-4: supervisory-only roles view)")
def create_role(request, payload: RoleIn):
    role = actions.save_role(
        actor(request),
        code=payload.code,
        name=payload.name,
        permissions=payload.permissions,
        scope=payload.scope,
        supervisory_only=payload.supervisory_only,
        description=payload.description,
    )
    return Status(201, role)


@router.patch("/roles/{role_id}", response=RoleOut, summary="Change a role")
def update_role(request, role_id: int, payload: RolePatch):
    current = actor(request)
    role = queries.role(current, role_id)
    changes = payload.changes()
    return actions.save_role(
        current,
        role=role,
        code=changes.get("code", role.code),
        name=changes.get("name", role.name),
        permissions=changes.get("permissions", role.permissions),
        scope=changes.get("scope", role.scope),
        supervisory_only=changes.get("supervisory_only", role.supervisory_only),
        description=changes.get("description", role.description),
    )


@router.get("/permissions", response=list[PermissionOut], summary="The permission catalogue")
@paginate(Pagination)
def list_permissions(request):
    return list(CATALOGUE.values())


# ---- delegations (ORG-5) -------------------------------------------------------------------


@router.get(
    "/delegations",
    response=list[DelegationOut],
    summary="Delegations I gave or received, and those I manage",
)
@paginate(Pagination)
def list_delegations(request, current: bool = False):
    return queries.delegations(actor(request), current_only=current)


@router.post(
    "/delegations",
    response={201: DelegationOut},
    summary="Delegate authority (ORG-5)",
    description="Your own delegation is approved at once. Registered for someone else (`delegator_id`, "
    "needs delegation.manage) it answers `state: pending` and takes effect only once the delegator or "
    "their superior approves it under /api/v1/approvals; the delegator is notified. Never to yourself, "
    "never while acting under a delegation, only permissions the delegator holds through roles that may "
    "act (ORG-4).",
)
def create_delegation(request, payload: DelegationIn):
    current = actor(request)
    if payload.delegator_id is not None:
        delegator = queries.employee(current, payload.delegator_id)
    else:
        delegator = access.employee_of(current.user)
        if delegator is None:
            raise Invalid(
                "ORG-5.delegator",
                "请指定授权人",
                "ORG-5: name the delegator (your account has no employee record)",
                {"delegator_id": "required"},
            )
    delegation = actions.create_delegation(
        current,
        delegator=delegator,
        delegate=queries.employee(current, payload.delegate_id),
        permissions=payload.permissions,
        starts_at=payload.starts_at or clock.now(),
        ends_at=payload.ends_at,
        reason=payload.reason,
    )
    return Status(201, delegation)


@router.post("/delegations/{delegation_id}/revoke", response=DelegationOut, summary="Revoke a delegation")
def revoke_delegation(request, delegation_id: int):
    current = actor(request)
    return actions.revoke_delegation(current, queries.delegation(current, delegation_id))
