"""Read paths of the emergency resources register (RES-1): the items of the caller's scope
(resources.view or resources.manage) with the filters 已过期 / 即将到期, one item by id (404 outside) with
its inspections and stock movements."""

from datetime import timedelta

from django.db.models import Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import scope_q
from kefu.emergency.models import Resource
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

VIEW = "resources.view"
MANAGE = "resources.manage"
INSPECTION_REMIND = "emergency.resource_inspection_remind_days"
EXPIRY_REMIND = "emergency.resource_expiry_remind_days"
ID_LIMIT = 2**31


def resources(actor: Actor):
    """The items of the caller's scope (resources.view / resources.manage) and those they keep."""
    grants = [g for code in (MANAGE, VIEW) for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    me = access.employee_of(actor.principal)
    if me is not None:
        condition = Q(custodian=me) if condition is None else condition | Q(custodian=me)
    if condition is None:
        return Resource.objects.none()
    return (
        Resource.objects.filter(condition)
        .select_related("unit", "site", "custodian")
        .order_by("next_inspection", "name", "pk")
    )


def filtered(actor: Actor, *, state: str = "", kind: str = "", q: str = ""):
    """The register with its filters: state "expired" (expiry passed or inspection overdue) or "soon"
    (inspection or expiry within the pack's reminder windows), a kind, a text in the name/location."""
    rows = resources(actor)
    today = clock.today()
    if state == "expired":
        rows = rows.filter(Q(expires_on__lt=today) | Q(next_inspection__lt=today))
    elif state == "soon":
        inspect_days = int(policy.lookup(INSPECTION_REMIND).value)
        expiry_days = int(policy.lookup(EXPIRY_REMIND).value)
        rows = rows.filter(
            Q(next_inspection__gte=today, next_inspection__lte=today + timedelta(days=inspect_days))
            | Q(expires_on__gte=today, expires_on__lte=today + timedelta(days=expiry_days))
        )
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(location__icontains=q))
    return rows


def resource(actor: Actor, pk) -> Resource:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = resources(actor).filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("应急物资", "resource")
    return found


def history(resource: Resource) -> dict:
    return {
        "inspections": list(
            resource.inspections.select_related("inspected_by").order_by("-inspected_on", "-pk")
        ),
        "movements": list(resource.movements.select_related("by__employee").order_by("-at", "-pk")),
    }


def is_custodian(actor: Actor, resource: Resource) -> bool:
    me = access.employee_of(actor.principal)
    return me is not None and me.pk == resource.custodian_id


def may_manage(actor: Actor, resource: Resource) -> bool:
    """Register-wide management in scope, or the item's own custodian (inspections and movements)."""
    return is_custodian(actor, resource) or access.may_write(actor, MANAGE, unit=resource.unit, owner_id=None)


def unit_named(value, field: str) -> Unit:
    """The unit a request names by id, or the refusal naming the field (its scope is the action's)."""
    text = str(value if value is not None else "").strip()
    pk = int(text) if text.isdigit() else 0
    found = Unit.objects.filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise Invalid("unit_unknown", "所选单位不存在", "Unknown unit", {field: "unknown"})
    return found


def units_for(actor: Actor, code: str) -> list[Unit]:
    """The active units where the caller may write under `code` (the forms' choices)."""
    grants = access.write_grants(actor, code)
    condition = scope_q(grants, unit_path="path", owner=None)
    if condition is None:
        return []
    return list(Unit.objects.filter(condition, is_active=True).order_by("path"))


def custodians_for(actor: Actor) -> list[Employee]:
    grants = access.write_grants(actor, MANAGE)
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    if condition is None:
        return []
    return list(
        Employee.objects.filter(condition, status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "name")[:500]
    )
