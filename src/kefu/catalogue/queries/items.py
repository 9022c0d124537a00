"""The catalogue read paths (PRC-1): items of the caller's scope, their versions, and the price in effect
on a day — `price_on(item, day)`, the only reading of "which price applies"."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q

from kefu.catalogue.models import ChangeKind, PriceVersion, ServiceItem, VersionState
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.org import access
from kefu.org.models import Unit

VIEW = "catalogue.view"
PROPOSE = "catalogue.propose"
APPROVE = "catalogue.approve"
ID_LIMIT = 2**31
CENT = Decimal("0.01")
# the clauses of seed 004 the catalogue enforces, quoted on refusals and on the pages
CLAUSE_CHARGE = "不准乱收费"
CLAUSE_CHANGE = "不得擅自调整服务项目和服务价格"


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def in_effect(item_id: int, day: date) -> PriceVersion | None:
    """The approved version of the item in effect on `day` (withdrawals included), or None."""
    return (
        PriceVersion.objects.filter(item_id=item_id, state=VersionState.APPROVED, effective_on__lte=day)
        .order_by("-effective_on", "-number")
        .first()
    )


def price_on(item: ServiceItem, day: date) -> PriceVersion | None:
    """PRC-1: the price version of `item` in effect on `day`; None when none is, or the item is withdrawn."""
    version = in_effect(item.pk, day)
    if version is None or version.kind == ChangeKind.WITHDRAW:
        return None
    return version


@dataclass(frozen=True)
class Row:
    item: ServiceItem
    current: PriceVersion | None  # the price in effect today (None: not yet, or withdrawn)
    withdrawn: bool
    pending: list  # proposals awaiting approval
    upcoming: list  # approved, effective later


def _scoped(actor: Actor, codes=(VIEW, PROPOSE, APPROVE)):
    """The items of the catalogues the caller reads: a subsidiary's catalogue is read by everyone whose
    grant reaches into it — a department's or an "own" grant anchored inside it too (the prices apply to
    their work) — and a group grant reads every subsidiary's."""
    anchors = {g.anchor_path for code in codes for g in access.grants(actor, code) if g.anchor_path}
    if not anchors:
        return ServiceItem.objects.none()
    within = Q()
    for anchor in anchors:
        within |= Q(unit__path__startswith=anchor)
    parents = [
        u for u in Unit.objects.filter(kind="subsidiary") if any(a.startswith(u.path) for a in anchors)
    ]
    return ServiceItem.objects.filter(within | Q(unit__in=parents))


def items(actor: Actor):
    return _scoped(actor).select_related("unit")


def item(actor: Actor, pk) -> ServiceItem:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = items(actor).filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("服务项目", "service item")
    return found


def version(actor: Actor, pk) -> PriceVersion:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = (
        PriceVersion.objects.filter(pk=pk, item__in=_scoped(actor)).select_related("item__unit").first()
        if 0 < pk < ID_LIMIT
        else None
    )
    if found is None:
        raise NotFound("价格变更", "price change")
    return found


def rows(actor: Actor, day: date, *, limit: int = 200) -> list[Row]:
    """The catalogue page: each item with its price in effect on `day`, its pending and coming changes
    (three queries whatever the number of items)."""
    found = list(
        items(actor).prefetch_related(
            Prefetch(
                "versions",
                queryset=PriceVersion.objects.select_related("proposed_by", "decided_by").order_by("number"),
                to_attr="all_versions",
            )
        )[:limit]
    )
    result = []
    for it in found:
        approved = [v for v in it.all_versions if v.state == VersionState.APPROVED]
        now_in = [v for v in approved if v.effective_on <= day]
        current = max(now_in, key=lambda v: (v.effective_on, v.number)) if now_in else None
        withdrawn = current is not None and current.kind == ChangeKind.WITHDRAW
        result.append(
            Row(
                item=it,
                current=None if withdrawn else current,
                withdrawn=withdrawn,
                pending=[v for v in it.all_versions if v.state == VersionState.PROPOSED],
                upcoming=[v for v in approved if v.effective_on > day],
            )
        )
    return result


def chargeable(unit_path: str, day: date) -> list[tuple[ServiceItem, PriceVersion]]:
    """The items of the subsidiary at `unit_path` with a price in effect on `day` (the charge forms), in
    two queries."""
    found = list(ServiceItem.objects.filter(unit__path=unit_path).order_by("code"))
    latest: dict[int, PriceVersion] = {}
    for v in PriceVersion.objects.filter(
        item__in=[it.pk for it in found], state=VersionState.APPROVED, effective_on__lte=day
    ).order_by("effective_on", "number"):
        latest[v.item_id] = v
    return [
        (it, latest[it.pk]) for it in found if it.pk in latest and latest[it.pk].kind != ChangeKind.WITHDRAW
    ]


def versions(item: ServiceItem) -> list[PriceVersion]:
    return list(item.versions.select_related("proposed_by", "decided_by").order_by("-number"))


def lapsed(version: PriceVersion, day: date) -> bool:
    """A proposal whose effective day passed unapproved: it never takes effect (PRC-1)."""
    return version.state == VersionState.PROPOSED and version.effective_on < day


def unit_named(value, field: str) -> Unit:
    """The unit a request names by id, or the refusal naming the field (the action checks its scope)."""
    text = str(value if value is not None else "").strip()
    pk = int(text) if text.isdigit() else 0
    found = Unit.objects.filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise Invalid("unit_unknown", "所选单位不存在", "Unknown unit", {field: "unknown"})
    return found


def subsidiaries_for(actor: Actor, code: str) -> list[Unit]:
    """The subsidiaries whose catalogue the caller may change under `code` (the forms' choices)."""
    grants = access.write_grants(actor, code)
    found = []
    for unit in Unit.objects.filter(kind="subsidiary", is_active=True).order_by("path"):
        if any(g.scope != "own" and unit.path.startswith(g.anchor_path) for g in grants):
            found.append(unit)
    return found
