"""Read helpers every documents query shares (DOC-1): the permissions, ids, the staff of a unit."""

from django.db.models import Q

from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

VIEW = "documents.view"
MANAGE = "documents.manage"
READERS = (VIEW, MANAGE)
ID_LIMIT = 2**31


def pk_of(value) -> int:
    try:
        value = int(value)
    except (TypeError, ValueError):
        return 0
    return value if 0 < value < ID_LIMIT else 0


def reader_q(actor: Actor, unit_path: str) -> Q | None:
    """documents.view / documents.manage in scope over `unit_path`; None: neither reaches anything."""
    grants = [g for code in READERS for g in access.grants(actor, code)]
    return scope_q(grants, unit_path=unit_path, owner=None)


def staff_of(units) -> list[int]:
    """Active employees of the units and below (a distribution list)."""
    condition = Q()
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path)
    return list(
        Employee.objects.filter(condition, status=EmploymentStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def unit_named(value, field: str) -> Unit:
    found = Unit.objects.filter(pk=pk_of(value), is_active=True).first() if pk_of(value) else None
    if found is None:
        raise Invalid("unit_unknown", "所选单位不存在", "Unknown unit", {field: "unknown"})
    return found


def employee_named(value, field: str) -> Employee:
    found = (
        Employee.objects.filter(pk=pk_of(value), status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .first()
        if pk_of(value)
        else None
    )
    if found is None:
        raise Invalid("employee_unknown", "人员不存在或已离职", "No such active employee", {field: "unknown"})
    return found


def manage_units(actor: Actor):
    """The active units documents.manage reaches (the issuing-unit choices of the forms)."""
    return access.scoped(Unit.objects.filter(is_active=True), actor, MANAGE, unit_path="path").order_by(
        "path"
    )
