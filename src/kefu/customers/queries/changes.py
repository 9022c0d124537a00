"""CUS-4 change requests as the caller may read them: the info officers' queue (customers they may
verify) and one request (also to the person who asked for it)."""

import json

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers.models import ChangeRequest, ChangeRequestState
from kefu.customers.queries import archive


def proposed(request: ChangeRequest) -> dict:
    """The proposed values of a change request (decrypted; show masked to those without view_full)."""
    return json.loads(request.payload or "{}")


def change_requests(actor: Actor, *, state: str = ChangeRequestState.PENDING):
    """Change requests on customers the actor may verify (info officers' queue, CUS-4)."""
    visible = archive.customers(actor, code="customer.verify")
    qs = ChangeRequest.objects.select_related("customer__unit", "requested_by", "decided_by").filter(
        customer__in=visible
    )
    return qs.filter(state=state) if state else qs


def change_request(actor: Actor, pk) -> ChangeRequest:
    found = change_requests(actor, state="").filter(pk=pk).first()
    if found is None:
        found = ChangeRequest.objects.filter(
            pk=pk, requested_by=actor.user, customer__in=archive.customers(actor)
        ).first()
    if found is None:
        raise NotFound("变更申请", "change request")
    return found
