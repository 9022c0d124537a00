"""Read paths of the customer archive, always narrowed to the caller's data scope (ORG-3): the
customers a caller may see, one of them by id (404 out of scope), and its CUS-9 timeline.

`find_by_phone` is the one read not scoped by the caller's grants: it matches a phone within one
subsidiary's archive (the unit where a case or 报备 is being made), and callers show the match only to
readers who may see it (`may_view`) — a phone never reveals a customer (issue 10, docs/decisions.md).
"""

import re

from django.db.models import Exists, OuterRef, Q

from kefu.core import textsearch
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import NotFound
from kefu.customers import timeline as registry
from kefu.customers.models import Customer
from kefu.customers.rules import archive_path
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.org.queries import unit_ids_under

TEXT_COLUMNS = ("name", "company")  # the gram index of customers migration 0007
PHONE_TERM = r"[\d+\-\s]{7,}"  # a search term that is a full phone number: looked up by blind index


def find_by_phone(phone: str, *, within=None) -> Customer | None:
    """The live customer with this phone (normalised, by blind index), or None. Not scoped by grants:
    with `within` (a unit), only the archive of that unit's subsidiary is searched (`archive_path`)."""
    if not (phone or "").strip():
        return None
    found = Customer.objects.filter(phone_index=blind_index(phone), destroyed_at__isnull=True)
    if within is not None:
        found = found.filter(unit__path__startswith=archive_path(within))
    return found.order_by("created_at", "pk").first()


def find_by_id_number(id_number: str) -> Customer | None:
    """The live customer with this 身份证号 / 统一社会信用代码, or None. NOT scoped (duplicate checks)."""
    if not (id_number or "").strip():
        return None
    return (
        Customer.objects.filter(id_index=blind_index(id_number, kind="id"), destroyed_at__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )


def _scope(actor: Actor, code: str) -> Q | None:
    """The customers of the actor's `code` grants as a filter on the customer's own columns — the unit
    ids in scope, the owner, the specialist (own grants) — so that a list walks the customers' indexes
    instead of joining the unit tree row by row (issue 13)."""
    condition = None
    paths = []
    for grant in access.grants(actor, code):
        if grant.scope != "own":
            paths.append(grant.anchor_path)
        elif grant.employee_id is not None:
            part = Q(owner_id=grant.employee_id)
            # only when they are someone's specialist: an OR of two columns sorts every customer they own
            if Customer.objects.filter(specialist_id=grant.employee_id).exists():
                part |= Q(specialist_id=grant.employee_id)
            condition = part if condition is None else condition | part
    if paths:
        ids = unit_ids_under(sorted(set(paths)))
        if not Unit.objects.exclude(pk__in=ids).exists():
            return Q()  # every unit: no filter, and the list walks `customers_live_recent` unsorted
        part = Q(unit_id__in=ids)
        condition = part if condition is None else condition | part
    return condition


def placeable_units(actor: Actor):
    """The open units a customer may be placed in by the caller: the subtrees their `customer.manage`
    grants are anchored at — an "own" grant's too, where the holder places what they own (ORG-3,
    `core.scopes.may_place`; the action checks the owner)."""
    anchors = {grant.anchor_path for grant in access.grants(actor, "customer.manage")}
    within = Q()
    for anchor in anchors:
        within |= Q(path__startswith=anchor)
    return Unit.objects.filter(within, is_active=True) if anchors else Unit.objects.none()


def placeable_unit(actor: Actor, pk) -> Unit:
    """The unit a request names for a customer, one of `placeable_units`; a closed or out-of-scope unit
    answers 404 like a missing one (issue 10, issue 12: one scoped lookup for page and API)."""
    found = placeable_units(actor).filter(pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound("组织", "unit")
    return found


def may_view(actor: Actor, customer: Customer, code: str = "customer.view") -> bool:
    """Whether `customer` is within the actor's `code` scope — the same test as `customers()`: by unit,
    by owner, or (own scopes) as its assigned specialist."""
    if access.record_in_scope(actor, code, unit=customer.unit, owner_id=customer.owner_id):
        return True
    return bool(customer.specialist_id) and access.record_in_scope(
        actor, code, unit=None, owner_id=customer.specialist_id
    )


def matching(q: str) -> Q:
    """Issue 13: the customers a search term finds — every word in the name or company (2-character
    Chinese terms included, through the gram index on PostgreSQL), or the full phone by blind index."""
    term = q.strip()
    found = textsearch.contains(term, *TEXT_COLUMNS)
    if re.fullmatch(PHONE_TERM, term):
        found |= Q(phone_index=blind_index(term))
    return found


def customers(
    actor: Actor,
    *,
    q: str = "",
    tier: str = "",
    audience: str = "",
    stage: str = "",
    owner_id=None,
    at_risk: bool | None = None,
    kind: str = "",
    code: str = "customer.view",
):
    """Live customers the actor may see under `code`; `q` matches name, company or an exact phone."""
    condition = _scope(actor, code)
    qs = Customer.objects.select_related("unit", "owner", "specialist").filter(destroyed_at__isnull=True)
    if condition is None:
        return qs.none()
    qs = qs.filter(condition)
    if q.strip():
        qs = qs.filter(matching(q))
    if tier:
        qs = qs.filter(tier=tier)
    if audience:
        qs = qs.filter(audience=audience)
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(kind=kind)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if at_risk is not None:
        qs = qs.filter(at_risk=at_risk)
    return qs  # the newest-changed first (Meta.ordering), by the `customers_live_recent` index


def owners(actor: Actor, code: str = "customer.view"):
    """The people who own a customer the actor may see (the list's owner filter), never by reading the
    whole archive (issue 13): for a unit scope one probe per employee through the owner's index (without
    the live-only condition, which would send SQLite down `customers_live_recent` for each person); for
    own scopes the owners of the reader's few customers."""
    condition = _scope(actor, code)
    if condition is None:
        return Employee.objects.none()
    if all(grant.scope == "own" for grant in access.grants(actor, code)):
        mine = Customer.objects.filter(condition, destroyed_at__isnull=True).order_by().values("owner_id")
        return Employee.objects.filter(pk__in=mine).order_by("name")
    theirs = Customer.objects.filter(condition, owner_id=OuterRef("pk"))
    return Employee.objects.filter(Exists(theirs)).order_by("name")


def customer(actor: Actor, pk, *, code: str = "customer.view") -> Customer:
    """One customer in the actor's scope; NotFound (404) otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("客户", "customer") from None
    found = customers(actor, code=code).filter(pk=pk).first()
    if found is None:
        raise NotFound("客户", "customer")
    return found


def timeline(actor: Actor, customer: Customer) -> list:
    """CUS-9: every registered source's entries for the customer, newest first."""
    return registry.collect(actor, customer)
