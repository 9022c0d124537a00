"""Customer API under /api/v1/customers (CUS-1…CUS-4, CUS-7, SEC-2, SEC-5).

Lists are masked; the detail shows full personal data only to holders of customer.view_full within
scope, and that read is audited. Out of scope answers 404. Writes go through `kefu.customers.actions`.
"""

from typing import Literal

from ninja import Router, Status
from ninja.pagination import paginate

from kefu.core.errors import NotFound
from kefu.core.http_support import Pagination, actor
from kefu.customers import actions, queries, rules
from kefu.customers.schemas import (
    AssignIn,
    ChangeRequestDecideIn,
    ChangeRequestOut,
    ContactIn,
    ContactOut,
    ContactRecordIn,
    CustomerDetail,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    StageT,
    TierT,
)
from kefu.org import access
from kefu.org.models import Unit
from kefu.org.queries import employee_named

router = Router(tags=["customers"])


def _ref(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _out(customer, *, key_person: bool | None = None) -> dict:
    return {
        "id": customer.pk,
        "kind": customer.kind,
        "name": customer.name,
        "phone": queries.masked_phone(customer),
        "unit": _ref(customer.unit),
        "owner": _ref(customer.owner),
        "specialist": _ref(customer.specialist),
        "tier": customer.tier,
        "audience": customer.audience,
        "novelty": customer.novelty,
        "grade": customer.grade,
        "stage": customer.stage,
        "at_risk": customer.at_risk,
        "confidentiality": customer.confidentiality,
        "completeness": rules.completeness(customer, has_key_person=key_person),
        "updated_at": customer.updated_at,
    }


# detail fields shown as stored; the others are masked (SEC-2), references or computed
_AS_STORED = [
    name
    for name in CustomerDetail.model_fields
    if name not in CustomerOut.model_fields
    and name not in {"full", *queries.FULL_FIELDS, "family_of", "missing", "first_contact"}
]


def _detail(current, customer) -> dict:
    shown = queries.masked(customer, current, purpose="api detail")
    body = _out(customer)
    body.update(shown)
    body.update({name: getattr(customer, name) for name in _AS_STORED})
    body["family_of"] = _ref(customer.family_of)
    body["first_contact"] = queries.first_contact_timer(customer)
    body["missing"] = rules.missing_fields(customer)
    return body


def _employee(pk):
    if pk is None:
        return None
    return employee_named(
        pk, "owner_id", code="CUS-1.employee", message=("人员不存在", "No such active employee")
    )


def _fields(current, payload: dict) -> dict:
    if "unit_id" in payload:
        unit_id = payload.pop("unit_id")
        if unit_id is not None:
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit is None:
                raise NotFound("组织", "unit")  # like a unit out of scope (issue 10)
            payload["unit"] = unit
    if "owner_id" in payload:
        payload["owner"] = _employee(payload.pop("owner_id"))
    if "family_id" in payload:
        payload["family_of"] = _employee(payload.pop("family_id"))
    if payload.get("confidentiality") is None:
        payload.pop("confidentiality", None)
    return payload


@router.get("", response=list[CustomerOut], summary="Customers in my scope (masked)")
@paginate(Pagination)
def list_customers(
    request,
    q: str = "",
    tier: TierT | None = None,
    audience: str = "",
    stage: StageT | None = None,
    owner_id: int | None = None,
    at_risk: bool | None = None,
):
    found = queries.customers(
        actor(request),
        q=q,
        tier=tier or "",
        audience=audience,
        stage=stage or "",
        owner_id=owner_id,
        at_risk=at_risk,
    ).prefetch_related("contacts")
    return _Listed(found)


class _Listed:
    """A queryset wrapper that serialises each page's rows without extra queries per row."""

    def __init__(self, qs):
        self.qs = qs

    def count(self):
        return self.qs.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        rows = self.qs[item]
        return [_out(c, key_person=any(p.is_key_person for p in c.contacts.all())) for c in rows]


# declared before /{customer_id}, which would otherwise take "change-requests" for an id
@router.get(
    "/change-requests",
    response=list[ChangeRequestOut],
    summary="Change requests on customers I may verify, by state (CUS-4)",
)
@paginate(Pagination)
def list_change_requests_by_state(
    request, state: Literal["pending", "approved", "rejected", "all"] = "pending"
):
    current = actor(request)
    access.require(current, "customer.verify")
    found = queries.change_requests(current, state="" if state == "all" else state)
    return found.order_by("-requested_at", "-pk")


@router.get("/{customer_id}", response=CustomerDetail, summary="One customer (full data audited, SEC-5)")
def get_customer(request, customer_id: int):
    current = actor(request)
    return _detail(current, queries.customer(current, customer_id))


@router.post("", response={201: CustomerDetail}, summary="Create a customer (CUS-1, CUS-2, SEC-3)")
def create_customer(request, payload: CustomerIn):
    current = actor(request)
    data = _fields(current, payload.model_dump())
    customer = actions.create_customer(current, **data)
    return Status(201, _detail(current, queries.customer(current, customer.pk)))


@router.patch(
    "/{customer_id}",
    response={200: CustomerDetail, 202: ChangeRequestOut},
    summary="Change a customer; sales and marketing get a change request (202, CUS-4)",
)
def patch_customer(request, customer_id: int, payload: CustomerPatch):
    current = actor(request)
    customer = queries.customer(current, customer_id)
    changes = payload.changes()
    reason = changes.pop("reason", "")
    changes = _fields(current, changes)
    if actions.needs_change_request(current):
        changes = {k: (v.pk if hasattr(v, "pk") else v) for k, v in changes.items()}
        return Status(202, actions.request_change(current, customer, changes, reason=reason))
    actions.update_customer(current, customer, **changes)
    return _detail(current, queries.customer(current, customer_id))


@router.get("/{customer_id}/contacts", response=list[ContactOut], summary="Contacts and key persons")
def list_contacts(request, customer_id: int):
    current = actor(request)
    return queries.contacts(current, queries.customer(current, customer_id))


@router.post("/{customer_id}/contacts", response={201: ContactOut}, summary="Add a contact (CUS-1)")
def add_contact(request, customer_id: int, payload: ContactIn):
    current = actor(request)
    customer = queries.customer(current, customer_id)
    contact = actions.add_contact(current, customer, **payload.model_dump())
    shown = next(c for c in queries.contacts(current, customer) if c["id"] == contact.pk)
    return Status(201, shown)


@router.post("/{customer_id}/assign", response=CustomerDetail, summary="Assign a specialist (CUS-7)")
def assign(request, customer_id: int, payload: AssignIn):
    current = actor(request)
    customer = queries.customer(current, customer_id)
    actions.assign(current, customer, _employee(payload.specialist_id))
    return _detail(current, queries.customer(current, customer_id))


@router.post("/{customer_id}/contact-records", response={201: dict}, summary="Record a contact (CUS-7)")
def record_contact(request, customer_id: int, payload: ContactRecordIn):
    current = actor(request)
    record = actions.record_contact(current, queries.customer(current, customer_id), payload.note)
    return Status(201, {"id": record.pk, "at": record.at.isoformat()})


@router.get(
    "/change-requests/pending", response=list[ChangeRequestOut], summary="Change requests I may verify"
)
@paginate(Pagination)
def list_change_requests(request):
    return queries.change_requests(actor(request))


@router.post(
    "/change-requests/{request_id}/decide", response=ChangeRequestOut, summary="Approve or reject (CUS-4)"
)
def decide(request, request_id: int, payload: ChangeRequestDecideIn):
    current = actor(request)
    item = queries.change_request(current, request_id)
    if payload.decision == "approve":
        return actions.approve_change(current, item)
    return actions.reject_change(current, item, payload.reason)
