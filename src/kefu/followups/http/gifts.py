"""Holiday gift lists under /api/v1/followups/gifts (CARE-2)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.followups.actions import gifts as actions
from kefu.followups.queries import care
from kefu.followups.queries import gifts as queries

router = Router(tags=["followups"])


class GiftListOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    occasion: str
    year: int
    occasion_on: date  # the holiday: the list is approved before it
    title: str
    state: str  # draft, pending, approved, rejected, returned
    owner_id: int
    created_at: datetime
    submitted_at: datetime | None


class GiftItemOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(validation_alias="customer.name")
    gift: str
    price: Decimal  # yuan, two decimals (a string in JSON)
    issued_at: datetime | None
    issued_by_id: int | None
    receipt: str  # "", received, returned
    receipt_at: datetime | None


class GiftListDetailOut(GiftListOut):
    items: list[GiftItemOut]

    @staticmethod
    def resolve_items(gift_list) -> list:
        return list(queries.items(gift_list))


class GiftListIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary")
    occasion: Literal["chunjie", "yuanxiao", "qingming", "duanwu", "zhongqiu"]
    year: int = Field(ge=2000, le=2100)
    title: str = Field("", max_length=200)


class GiftItemIn(StrictSchema):
    customer_id: int
    gift: str = Field(max_length=100)
    price: Decimal = Field(description="yuan, two decimals at most, within care.gift_max (CARE-2)")


class GiftDecisionIn(StrictSchema):
    decision: Literal["approve", "reject", "return"]
    reason: str = Field("", max_length=500)


class GiftReceiptIn(StrictSchema):
    receipt: Literal["received", "returned"]


@router.get("", response=list[GiftListOut], summary="Holiday gift lists of the subsidiaries I serve (CARE-2)")
@paginate(Pagination)
def list_gift_lists(request):
    return queries.gift_lists(actor(request))


@router.post("", response={201: GiftListOut}, summary="Open a holiday gift list (CARE-2)")
def create_gift_list(request, payload: GiftListIn):
    me = actor(request)
    unit = care.subsidiary(me, payload.unit_id)
    return Status(
        201, actions.create_list(me, unit, occasion=payload.occasion, year=payload.year, title=payload.title)
    )


@router.get("/{list_id}", response=GiftListDetailOut, summary="One gift list with its gifts")
def get_gift_list(request, list_id: int):
    return queries.gift_list(actor(request), list_id)


@router.post(
    "/{list_id}/items",
    response={201: GiftItemOut},
    summary="Add a gift; over care.gift_max refused with the clause (CARE-2)",
)
def add_item(request, list_id: int, payload: GiftItemIn):
    me = actor(request)
    gift_list = queries.gift_list(me, list_id)
    customer = care.customer_in(gift_list.unit, payload.customer_id)
    return Status(
        201, actions.add_item(me, gift_list, customer=customer, gift=payload.gift, price=payload.price)
    )


@router.delete("/items/{item_id}", response={204: None}, summary="Remove a gift from a draft list")
def remove_item(request, item_id: int):
    me = actor(request)
    actions.remove_item(me, queries.item(me, item_id))
    return Status(204, None)


@router.post(
    "/{list_id}/submit", response=GiftListOut, summary="Send the list for approval, before the holiday"
)
def submit(request, list_id: int):
    me = actor(request)
    return actions.submit(me, queries.gift_list(me, list_id))


@router.post(
    "/{list_id}/decision",
    response=GiftListOut,
    summary="Approve, reject or return the list (approving on or after the holiday is refused)",
)
def decide(request, list_id: int, payload: GiftDecisionIn):
    me = actor(request)
    return actions.decide(me, queries.gift_list(me, list_id), payload.decision, reason=payload.reason)


@router.post("/items/{item_id}/issue", response=GiftItemOut, summary="Register the gift's issue")
def issue(request, item_id: int):
    me = actor(request)
    return actions.issue(me, queries.item(me, item_id))


@router.post("/items/{item_id}/receipt", response=GiftItemOut, summary="Received or returned")
def receipt(request, item_id: int, payload: GiftReceiptIn):
    me = actor(request)
    return actions.confirm(me, queries.item(me, item_id), payload.receipt)
