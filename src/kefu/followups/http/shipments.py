"""Shipments under /api/v1/followups/shipments (FUP-1): an ERP tells that goods left for a customer;
when the customer's subsidiary has an active arrival plan, an arrival revisit is opened ("货物发出后三天
内…跟踪回访"). The same shipment sent twice opens one revisit."""

from ninja import Router

from kefu.core.http_support import actor
from kefu.customers.queries import archive as customers
from kefu.followups.actions import tasks as actions
from kefu.followups.http.schemas import RevisitShipmentIn, RevisitShipmentOut

router = Router(tags=["followups"])


@router.post(
    "",
    response=RevisitShipmentOut,
    summary="Goods shipped to a customer: open the arrival revisit (FUP-1), for an ERP",
)
def shipped(request, payload: RevisitShipmentIn):
    me = actor(request)
    customer = customers.customer(me, payload.customer_id)
    task = actions.shipped(
        me, customer, shipped_at=payload.shipped_at, reference=payload.reference, carrier=payload.carrier
    )
    return {"opened": task is not None, "task": task}
