"""CUS-7 under /api/v1/customers/{id}: assign a specialist, record a contact; a specialist's skills
(业务能力) under /api/v1/customers/specialists/{employee_id}/skills."""

from ninja import Router, Status

from kefu.core.http_support import actor
from kefu.customers.actions import assignment as actions
from kefu.customers.http import archive
from kefu.customers.http.schemas.archive import CustomerDetail
from kefu.customers.http.schemas.assignment import (
    AssignIn,
    ContactRecordIn,
    SpecialistSkillsIn,
    SpecialistSkillsOut,
)
from kefu.customers.queries import archive as queries

router = Router()  # tagged "customers" by the router it is mounted in


@router.post(
    "/{customer_id}/assign",
    response=CustomerDetail,
    summary="Assign a specialist (CUS-7)",
    operation_id="kefu_customers_http_assign",
)
def assign(request, customer_id: int, payload: AssignIn):
    current = actor(request)
    customer = queries.customer(current, customer_id)
    actions.assign(current, customer, archive.employee(payload.specialist_id))
    return archive.detail(current, queries.customer(current, customer_id))


@router.post(
    "/{customer_id}/contact-records",
    response={201: dict},
    summary="Record a contact (CUS-7)",
    operation_id="kefu_customers_http_record_contact",
)
def record_contact(request, customer_id: int, payload: ContactRecordIn):
    current = actor(request)
    record = actions.record_contact(current, queries.customer(current, customer_id), payload.note)
    return Status(201, {"id": record.pk, "at": record.at.isoformat()})


@router.put(
    "/specialists/{employee_id}/skills",
    response=SpecialistSkillsOut,
    summary="Set a specialist's skills (CUS-7)",
    operation_id="kefu_customers_http_set_skills",
)
def set_skills(request, employee_id: int, payload: SpecialistSkillsIn):
    current = actor(request)
    industries = actions.set_skills(current, archive.employee(employee_id), payload.industries)
    return {"employee_id": employee_id, "industries": industries}
