"""CUS-4 change requests under /api/v1/customers/change-requests: the info officers' queue and the
decision on one request."""

from typing import Literal

from ninja import Router
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.customers.actions import changes as actions
from kefu.customers.http.schemas.changes import ChangeRequestDecideIn, ChangeRequestOut
from kefu.customers.queries import changes as queries
from kefu.org import access

router = Router()  # tagged "customers" by the router it is mounted in


@router.get(
    "/change-requests",
    response=list[ChangeRequestOut],
    summary="Change requests on customers I may verify, by state (CUS-4)",
    operation_id="kefu_customers_http_list_change_requests_by_state",
)
@paginate(Pagination)
def list_change_requests_by_state(
    request, state: Literal["pending", "approved", "rejected", "all"] = "pending"
):
    current = actor(request)
    access.require(current, "customer.verify")
    found = queries.change_requests(current, state="" if state == "all" else state)
    return found.order_by("-requested_at", "-pk")


@router.get(
    "/change-requests/pending",
    response=list[ChangeRequestOut],
    summary="Change requests I may verify",
    operation_id="kefu_customers_http_list_change_requests",
)
@paginate(Pagination)
def list_change_requests(request):
    return queries.change_requests(actor(request))


@router.post(
    "/change-requests/{request_id}/decide",
    response=ChangeRequestOut,
    summary="Approve or reject (CUS-4)",
    operation_id="kefu_customers_http_decide",
)
def decide(request, request_id: int, payload: ChangeRequestDecideIn):
    current = actor(request)
    item = queries.change_request(current, request_id)
    if payload.decision == "approve":
        return actions.approve_change(current, item)
    return actions.reject_change(current, item, payload.reason)
