"""Whose care records a caller reaches (CARE-1…CARE-3), a building block of the care queries and
actions: customer care is a service of the subsidiary (its campaigns, gift lists and events sit at the
subsidiary), so a `care.*` grant anywhere inside a subsidiary — the 客服经理's, or the 回访组's at
their team — reaches that subsidiary's care records; a group-wide grant reaches every subsidiary.
Records of another subsidiary stay out of reach (404)."""

from django.db.models import Q

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers.models import Customer
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind

VIEW, MANAGE, APPROVE = "care.view", "care.manage", "care.approve"


def _widened(grants) -> list[str]:
    anchors = {g.anchor_path for g in grants if g.anchor_path}
    ids = {int(p) for path in anchors for p in path.strip("/").split("/") if p}
    subsidiaries = list(
        Unit.objects.filter(pk__in=ids, kind=UnitKind.SUBSIDIARY).values_list("path", flat=True)
    )
    paths = set()
    for anchor in anchors:
        found = [s for s in subsidiaries if anchor.startswith(s)]
        paths.add(found[0] if found else anchor)
    return sorted(paths)


def reach(actor: Actor, code: str = VIEW) -> list[str]:
    """The unit paths whose care records `actor` reads under `code`."""
    cache = actor.extra.setdefault("care_reach", {})
    if code not in cache:
        cache[code] = _widened(access.grants(actor, code))
    return cache[code]


def write_reach(actor: Actor, code: str) -> list[str]:
    cache = actor.extra.setdefault("care_write_reach", {})
    if code not in cache:
        cache[code] = _widened(access.write_grants(actor, code))
    return cache[code]


def scoped(queryset, actor: Actor, code: str = VIEW, *, unit_path: str = "unit__path"):
    paths = reach(actor, code)
    if not paths:
        return queryset.none()
    q = Q()
    for path in paths:
        q |= Q(**{f"{unit_path}__startswith": path})
    return queryset.filter(q)


def may(actor: Actor, code: str, unit: Unit) -> bool:
    """Whether a write riding on `code` may touch a care record at `unit` (no raising: for pages)."""
    return any(unit.path.startswith(p) for p in write_reach(actor, code))


def require(actor: Actor, code: str, unit: Unit, what_zh: str, what_en: str) -> None:
    """The target's scope of a write: out of reach → 404; seen only through a supervisory-only role →
    the ORG-4 refusal."""
    if may(actor, code, unit):
        return
    if any(unit.path.startswith(p) for p in reach(actor, code)):
        raise access.supervisory_refusal()
    raise NotFound(what_zh, what_en)


def subsidiary(actor: Actor, pk, code: str = MANAGE) -> Unit:
    """The subsidiary `pk` where `actor` may act under `code`; 404 otherwise."""
    text = str(pk)
    found = (
        Unit.objects.filter(pk=int(text), kind=UnitKind.SUBSIDIARY).first()
        if text.isdecimal() and len(text) <= 18
        else None
    )
    if found is None or not any(found.path.startswith(p) for p in reach(actor, code)):
        raise NotFound("子公司", "subsidiary")
    return found


def subsidiaries(actor: Actor, code: str = MANAGE) -> list[Unit]:
    """The subsidiaries where `actor` may act under `code` (the choices of the planning forms)."""
    paths = write_reach(actor, code)
    if not paths:
        return []
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return list(Unit.objects.filter(q, kind=UnitKind.SUBSIDIARY).order_by("path"))


def one(queryset, pk, what_zh: str, what_en: str):
    text = str(pk)
    found = queryset.filter(pk=int(text)).first() if text.isdecimal() and len(text) <= 18 else None
    if found is None:
        raise NotFound(what_zh, what_en)
    return found


def employee_in(unit: Unit, pk) -> Employee | None:
    """An active employee working inside `unit` (a greeting's caller), or None."""
    text = str(pk or "")
    if not (text.isdecimal() and len(text) <= 18):
        return None
    return (
        Employee.objects.select_related("unit", "user")
        .filter(pk=int(text), unit__path__startswith=unit.path, status=EmploymentStatus.ACTIVE)
        .first()
    )


def customer_in(unit: Unit, pk) -> Customer:
    """A live customer of `unit` (and below); 404 otherwise."""
    return one(
        Customer.objects.select_related("unit").filter(
            unit__path__startswith=unit.path, destroyed_at__isnull=True, merged_into__isnull=True
        ),
        pk,
        "客户",
        "customer",
    )


def employees_of(unit: Unit):
    """The active employees of `unit` (the choices of a greeting's caller)."""
    return (
        Employee.objects.filter(unit__path__startswith=unit.path, status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
