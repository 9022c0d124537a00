"""Read paths of service cases, always through the caller's data scope.

Who sees a case: holders of `case.view` whose scope covers the case's unit; the owner (own scope);
and the members of the case's skill group while it waits unassigned in their queue (ROUTE-1).
Anyone else gets 404. Contact data is shown masked unless the reader may see full personal data.
"""

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q

from kefu.cases.models import OPEN_STATES, Case, CaseKind, CaseState, SkillGroup, Transfer
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, mask_phone
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import scope_q
from kefu.customers.queries import customers as customers_in_scope
from kefu.org import access
from kefu.org.models import Unit

LIST_RELATED = ("kind", "owner", "unit", "skill_group", "customer")
ID_LIMIT = 2**63 - 1


def shown_customers(actor: Actor, cases=(), *, customer_ids=()) -> set[int]:
    """The ids among the customers linked to `cases` (or `customer_ids`) that the reader may see
    (customer.view in scope); a case shows no other link — no id, no name (issue 10). One query."""
    ids = {c.customer_id for c in cases if c.customer_id} | {i for i in customer_ids if i}
    if not ids:
        return set()
    return set(customers_in_scope(actor).filter(pk__in=ids).values_list("pk", flat=True))


def visible_q(actor: Actor) -> Q | None:
    """The cases the actor may see, as a filter on the case's own columns (unit ids, owner, group):
    a list then walks the cases' indexes instead of joining the unit tree row by row."""
    condition = None
    paths = set()
    for grant in access.grants(actor, "case.view"):
        if grant.scope == "own":
            if grant.employee_id is not None:
                part = Q(owner_id=grant.employee_id)
                condition = part if condition is None else condition | part
        else:
            paths.add(grant.anchor_path)
    if paths:
        under = Q()
        for path in paths:
            under |= Q(path__startswith=path)
        part = Q(unit_id__in=list(Unit.objects.filter(under).values_list("pk", flat=True)))
        condition = part if condition is None else condition | part
    employee = access.employee_of(actor.principal)
    if employee is not None:
        groups = SkillGroup.objects.filter(members=employee).values("pk")
        queue = Q(owner__isnull=True, skill_group_id__in=groups)
        condition = queue if condition is None else condition | queue
    return condition


def cases(
    actor: Actor,
    *,
    kind: str = "",
    family: str = "",
    state: str = "",
    owner_id: int | None = None,
    unit_id: int | None = None,
    group_id: int | None = None,
    customer_id: int | None = None,
    overdue: bool | None = None,
    open_only: bool = False,
    received_from: date | None = None,
    received_to: date | None = None,
    q: str = "",
):
    """Cases the actor may see, filtered; newest first."""
    condition = visible_q(actor)
    qs = Case.objects.select_related(*LIST_RELATED)
    if condition is None:
        return qs.none()
    qs = qs.filter(condition)
    if kind:
        qs = qs.filter(kind_id__in=CaseKind.objects.filter(code=kind).values("pk"))
    if family:
        qs = qs.filter(family=family)
    if state:
        qs = qs.filter(state__in=state.split(",")) if "," in state else qs.filter(state=state)
    if open_only:
        qs = qs.filter(state__in=OPEN_STATES)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if group_id:
        qs = qs.filter(skill_group_id=group_id)
    if customer_id:
        qs = qs.filter(customer_id=customer_id)
    if overdue is True:
        qs = qs.filter(next_due_at__lt=clock.now(), state__in=OPEN_STATES)
    elif overdue is False:
        qs = qs.exclude(next_due_at__lt=clock.now(), state__in=OPEN_STATES)
    if received_from:
        qs = qs.filter(received_at__gte=_day_start(received_from))
    if received_to:
        qs = qs.filter(received_at__lt=_day_start(received_to, next_day=True))
    if q:
        text = Q(number__iexact=q.strip()) | Q(title__icontains=q)
        if re.fullmatch(r"[\d+\-\s]{7,}", q):
            text |= Q(contact_phone_index=blind_index(q))
        qs = qs.filter(text)
    return qs


def _day_start(day: date, *, next_day: bool = False) -> datetime:
    start = datetime.combine(day, time.min, tzinfo=clock.zone())
    return start + timedelta(days=1) if next_day else start


def case(actor: Actor, pk) -> Case:
    """One case in the actor's scope; NotFound (404) otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("工单", "case") from None
    if not 0 < pk < ID_LIMIT:
        raise NotFound("工单", "case")
    found = cases(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("工单", "case")
    return found


def may_see_contact(actor: Actor, case: Case) -> bool:
    return access.record_in_scope(actor, "customer.view_full", unit=case.unit, owner_id=case.owner_id)


def contact_shown(actor: Actor, case: Case, *, reveal: bool = True) -> dict:
    """The contact as the reader may see it: masked phone and e-mail unless full view (SEC-2).
    `reveal=False` masks even for full viewers (the case page shows full data only when asked)."""
    full = reveal and may_see_contact(actor, case)
    email = case.contact_email or ""
    if email and not full:
        local, _, domain = email.partition("@")
        email = f"{local[:1]}***@{domain}"
    return {
        "name": case.contact_name,
        "phone": case.contact_phone if full else mask_phone(case.contact_phone) if case.contact_phone else "",
        "email": email,
        "masked": not full,
    }


def kinds_for(unit) -> list[CaseKind]:
    """The kinds a unit offers: the shipped ones and its own, a unit's own kind replacing a shipped one."""
    ids = unit.ancestor_ids() if unit is not None else []
    chosen: dict[str, CaseKind] = {}
    depth = {uid: i for i, uid in enumerate(ids)}
    for kind in CaseKind.objects.filter(Q(unit__isnull=True) | Q(unit_id__in=ids), active=True):
        rank = depth.get(kind.unit_id, -1)
        current = chosen.get(kind.code)
        if current is None or rank > depth.get(current.unit_id, -1):
            chosen[kind.code] = kind
    return sorted(chosen.values(), key=lambda k: (k.ordering, k.pk))


def bounce_counts(actor: Actor, *, since: datetime | None = None) -> list[dict]:
    """CASE-6 per department: transfers out and how many of them bounced back, in the actor's scope."""
    condition = scope_q(access.grants(actor, "case.manage"), unit_path="from_unit__path", owner=None)
    if condition is None:
        return []
    rows = Transfer.objects.filter(condition)
    if since is not None:
        rows = rows.filter(at__gte=since)
    return list(
        rows.values("from_unit_id", "from_unit__name")
        .annotate(transfers=Count("pk"), bounces=Count("pk", filter=Q(bounce=True)))
        .order_by("-bounces", "from_unit__name")
    )


def parse_day(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(
            "case_date_invalid",
            f"{field} 日期格式无效（YYYY-MM-DD）",
            f"{field}: use YYYY-MM-DD",
            {field: "date"},
        ) from None


CLOSED_STATES = (CaseState.CLOSED, CaseState.ARCHIVED)
