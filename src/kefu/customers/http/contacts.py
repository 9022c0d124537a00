"""A customer's contacts under /api/v1/customers/{id}/contacts (CUS-1; phones masked, SEC-2)."""

from ninja import Router, Status

from kefu.core.http_support import actor
from kefu.customers.actions import contacts as actions
from kefu.customers.http.schemas.contacts import ContactIn, ContactOut
from kefu.customers.queries import archive, contacts

router = Router()  # tagged "customers" by the router it is mounted in


@router.get(
    "/{customer_id}/contacts",
    response=list[ContactOut],
    summary="Contacts and key persons",
    operation_id="kefu_customers_http_list_contacts",
)
def list_contacts(request, customer_id: int):
    current = actor(request)
    return contacts.contacts(current, archive.customer(current, customer_id))


@router.post(
    "/{customer_id}/contacts",
    response={201: ContactOut},
    summary="Add a contact (CUS-1)",
    operation_id="kefu_customers_http_add_contact",
)
def add_contact(request, customer_id: int, payload: ContactIn):
    current = actor(request)
    customer = archive.customer(current, customer_id)
    contact = actions.add_contact(current, customer, **payload.model_dump())
    shown = next(c for c in contacts.contacts(current, customer) if c["id"] == contact.pk)
    return Status(201, shown)
