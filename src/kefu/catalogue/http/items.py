"""Items, price versions and proposals under /api/v1/catalogue (PRC-1)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.catalogue.actions import items as actions
from kefu.catalogue.queries import items as queries
from kefu.core import clock
from kefu.core.http_support import Pagination, StrictSchema, actor

router = Router(tags=["catalogue"])


class CatalogueVersionOut(Schema):
    id: int
    item_id: int
    number: int
    kind: str
    price: Decimal | None
    effective_on: date
    reason: str
    state: str
    proposed_at: datetime
    decided_at: datetime | None
    note: str


class CatalogueItemOut(Schema):
    id: int
    unit_id: int
    code: str
    name: str
    measure: str
    price_today: Decimal | None = Field(
        None, description="the price in effect today (None: none, or withdrawn)"
    )


class CatalogueItemDetailOut(CatalogueItemOut):
    versions: list[CatalogueVersionOut]


class CatalogueProposalIn(StrictSchema):
    kind: str = Field(description="new / price / withdraw")
    effective_on: date
    reason: str = Field(max_length=500)
    price: Decimal | None = Field(None, ge=0, le=10_000_000, decimal_places=2)
    unit_id: int | None = Field(None, description="the subsidiary (new items)")
    item_id: int | None = Field(None, description="the item (price changes and withdrawals)")
    code: str = Field("", max_length=30)
    name: str = Field("", max_length=100)
    measure: str = Field("", max_length=10)


class CatalogueDecisionIn(StrictSchema):
    note: str = Field("", max_length=500)


class CataloguePriceOut(Schema):
    item_id: int
    day: date
    version: CatalogueVersionOut | None


def _item_out(item):
    current = queries.price_on(item, clock.today())
    item.price_today = current.price if current else None
    return item


@router.get("/items", response=list[CatalogueItemOut], summary="Service items of my scope (PRC-1)")
@paginate(Pagination)
def list_items(request):
    return [_item_out(i) for i in queries.items(actor(request))[:200]]


@router.get("/items/{int:item_id}", response=CatalogueItemDetailOut, summary="One item with its versions")
def get_item(request, item_id: int):
    item = _item_out(queries.item(actor(request), item_id))
    item.versions = queries.versions(item)
    return item


@router.get(
    "/items/{int:item_id}/price",
    response=CataloguePriceOut,
    summary="The price version in effect on a day (PRC-1 price_on)",
)
def price_on(request, item_id: int, day: date | None = None):
    item = queries.item(actor(request), item_id)
    when = day or clock.today()
    return {"item_id": item.pk, "day": when, "version": queries.price_on(item, when)}


@router.post("/proposals", response={201: CatalogueVersionOut}, summary="Propose a catalogue change (PRC-1)")
def propose(request, payload: CatalogueProposalIn):
    me = actor(request)
    item = queries.item(me, payload.item_id) if payload.item_id is not None else None
    unit = queries.unit_named(payload.unit_id, "unit_id") if payload.unit_id is not None else None
    version = actions.propose(
        me,
        kind=payload.kind,
        effective_on=payload.effective_on,
        reason=payload.reason,
        price=payload.price,
        unit=unit,
        item=item,
        code=payload.code,
        name=payload.name,
        measure=payload.measure,
    )
    return Status(201, version)


@router.post(
    "/proposals/{int:version_id}/approve",
    response=CatalogueVersionOut,
    summary="Approve a proposal: another person, before its effective day (PRC-1)",
)
def approve(request, version_id: int, payload: CatalogueDecisionIn):
    me = actor(request)
    return actions.decide(me, queries.version(me, version_id), approve=True, note=payload.note)


@router.post("/proposals/{int:version_id}/reject", response=CatalogueVersionOut, summary="Reject a proposal")
def reject(request, version_id: int, payload: CatalogueDecisionIn):
    me = actor(request)
    return actions.decide(me, queries.version(me, version_id), approve=False, note=payload.note)
