"""The charges of a case under /api/v1/catalogue/cases/{case_id}/charges (PRC-1: "不准乱收费")."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.cases.queries import intake as cases
from kefu.catalogue.actions import charges as actions
from kefu.catalogue.queries import charges as queries
from kefu.core.http_support import StrictSchema, actor

router = Router(tags=["catalogue"])


class CaseChargeOut(Schema):
    id: int
    case_id: int
    item_id: int
    version_id: int
    quantity: int
    price: Decimal
    amount: Decimal
    charged_on: date
    note: str
    created_at: datetime


class CaseChargesOut(Schema):
    items: list[CaseChargeOut]
    total: Decimal


class CaseChargeIn(StrictSchema):
    item_id: int
    quantity: int = Field(1, ge=1, le=100_000)
    price: Decimal | None = Field(
        None,
        ge=0,
        le=10_000_000,
        description="the unit price asked; refused unless it is the price in effect",
    )
    note: str = Field("", max_length=200)


@router.get("/{int:case_id}/charges", response=CaseChargesOut, summary="The charges of a case (PRC-1)")
def list_charges(request, case_id: int):
    rows = queries.of_case(cases.case(actor(request), case_id))
    return {"items": rows, "total": queries.total(rows)}


@router.post(
    "/{int:case_id}/charges",
    response={201: CaseChargeOut},
    summary="Charge a catalogue item on a case at the price in effect (PRC-1)",
)
def add_charge(request, case_id: int, payload: CaseChargeIn):
    me = actor(request)
    case = cases.case(me, case_id)
    charge = actions.charge_case(
        me, case, item_id=payload.item_id, quantity=payload.quantity, price=payload.price, note=payload.note
    )
    return Status(201, charge)
