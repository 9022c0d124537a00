"""Fee quotes under /api/v1/emergency/fees (FEE-1): the price table in force, a price check without
saving, numbered quotes of my scope and making one."""

from datetime import datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.emergency.actions import fees as actions
from kefu.emergency.queries import fees as queries
from kefu.emergency.queries import resources as units
from kefu.org import access

router = Router(tags=["emergency"])


class QuoteLineOut(Schema):
    code: str
    label: str
    quantity: Decimal
    price: Decimal
    amount: Decimal


class QuotePaymentOut(Schema):
    label: str
    percent: Decimal
    amount: Decimal


class QuoteOut(Schema):
    id: int
    number: str
    unit_id: int
    client: str
    headcount: int
    table_version: str
    total: Decimal
    created_at: datetime
    lines: list[QuoteLineOut] = Field(validation_alias="line_rows")
    payments: list[QuotePaymentOut] = Field(validation_alias="payment_rows")


class QuoteListOut(Schema):
    id: int
    number: str
    client: str
    headcount: int
    total: Decimal
    created_at: datetime


class PriceIn(StrictSchema):
    headcount: int = Field(ge=1, le=10_000_000)
    plans: int = Field(1, ge=1, le=100)
    progress_percent: Decimal = Field(
        Decimal(0), ge=0, le=100, description="进度款 share agreed (0 by default)"
    )
    site_survey: int = Field(0, ge=0, le=100)
    risk_assessment: int = Field(0, ge=0, le=100)
    drill: int = Field(0, ge=0, le=100)
    expert_hours: int = Field(0, ge=0, le=10_000)
    translation_chars: int = Field(0, ge=0, le=10_000_000)
    review: int = Field(0, ge=0, le=100)


class QuoteIn(PriceIn):
    unit_id: int
    client: str = Field(max_length=100)


class PriceOut(Schema):
    total: Decimal
    lines: list[QuoteLineOut]
    payments: list[QuotePaymentOut]


def _full(quote):
    quote.line_rows = list(quote.lines.all())
    quote.payment_rows = list(quote.payments.all())
    return quote


@router.post("/price", response=PriceOut, summary="Price a quote without saving it (FEE-1)")
def price(request, payload: PriceIn):
    access.require(actor(request), queries.QUOTE)
    lines, payments = actions.price(**payload.dict())
    return {"total": sum(line.amount for line in lines), "lines": lines, "payments": payments}


@router.get("/quotes", response=list[QuoteListOut], summary="Fee quotes of my scope (FEE-1)")
@paginate(Pagination)
def list_quotes(request):
    return queries.quotes(actor(request))


@router.get("/quotes/{int:quote_id}", response=QuoteOut, summary="One quote with its lines and payments")
def get_quote(request, quote_id: int):
    return _full(queries.quote(actor(request), quote_id))


@router.post("/quotes", response={201: QuoteOut}, summary="Make a numbered quote (FEE-1)")
def create_quote(request, payload: QuoteIn):
    me = actor(request)
    data = payload.dict()
    unit = units.unit_named(data.pop("unit_id"), "unit_id")
    quote = actions.create_quote(me, unit=unit, client=data.pop("client"), **data)
    return Status(201, _full(queries.quote(me, quote.pk)))
