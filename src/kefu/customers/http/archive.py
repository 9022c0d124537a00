"""The customer archive's API under /api/v1/customers (CUS-1…CUS-3, SEC-2, SEC-5): the list, one
customer, create and change (sales and marketing get a CUS-4 change request).

Lists are masked; the detail shows full personal data only to holders of customer.view_full within
scope, and that read is audited. Out of scope answers 404. Writes go through the actions.

Two routers: `router` (the collection, at the mount point itself: a nested router would add a
trailing slash) and `one` (a customer by id), mounted after `changes`, whose /change-requests
`/{customer_id}` would otherwise take for an id (kefu/customers/http/__init__.py).
"""

from ninja import Router, Status
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.customers import rules
from kefu.customers.actions import archive as actions
from kefu.customers.actions import changes
from kefu.customers.http.schemas.archive import (
    CustomerDetail,
    CustomerIn,
    CustomerOut,
    CustomerPatch,
    StageT,
    TierT,
)
from kefu.customers.http.schemas.changes import ChangeRequestOut
from kefu.customers.queries import archive as queries
from kefu.customers.queries import assignment, masks
from kefu.org.queries import employee_named

router = Router(tags=["customers"])
one = Router()  # tagged "customers" by the router it is mounted in


def _ref(obj):
    return {"id": obj.pk, "name": obj.name} if obj is not None else None


def _out(customer, *, key_person: bool | None = None) -> dict:
    return {
        "id": customer.pk,
        "kind": customer.kind,
        "name": customer.name,
        "phone": masks.masked_phone(customer),
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
    and name not in {"full", *masks.FULL_FIELDS, "family_of", "missing", "first_contact"}
]


def detail(current, customer) -> dict:
    shown = masks.masked(customer, current, purpose="接口：客户详情 / api detail")
    body = _out(customer)
    body.update(shown)
    body.update({name: getattr(customer, name) for name in _AS_STORED})
    body["family_of"] = _ref(customer.family_of)
    body["first_contact"] = assignment.first_contact_timer(customer)
    body["missing"] = rules.missing_fields(customer)
    return body


def employee(pk):
    if pk is None:
        return None
    return employee_named(
        pk, "owner_id", code="CUS-1.employee", message=("人员不存在", "No such active employee")
    )


def _fields(current, payload: dict) -> dict:
    if "unit_id" in payload:
        unit_id = payload.pop("unit_id")
        if unit_id is not None:
            payload["unit"] = queries.placeable_unit(current, unit_id)
    if "owner_id" in payload:
        payload["owner"] = employee(payload.pop("owner_id"))
    if "family_id" in payload:
        payload["family_of"] = employee(payload.pop("family_id"))
    if payload.get("confidentiality") is None:
        payload.pop("confidentiality", None)
    return payload


@router.get(
    "",
    response=list[CustomerOut],
    summary="Customers in my scope (masked)",
    operation_id="kefu_customers_http_list_customers",
)
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


@one.get(
    "/{customer_id}",
    response=CustomerDetail,
    summary="One customer (full data audited, SEC-5)",
    operation_id="kefu_customers_http_get_customer",
)
def get_customer(request, customer_id: int):
    current = actor(request)
    return detail(current, queries.customer(current, customer_id))


@router.post(
    "",
    response={201: CustomerDetail},
    summary="Create a customer (CUS-1, CUS-2, SEC-3)",
    operation_id="kefu_customers_http_create_customer",
)
def create_customer(request, payload: CustomerIn):
    current = actor(request)
    data = _fields(current, payload.model_dump())
    customer = actions.create_customer(current, **data)
    return Status(201, detail(current, queries.customer(current, customer.pk)))


@one.patch(
    "/{customer_id}",
    response={200: CustomerDetail, 202: ChangeRequestOut},
    summary="Change a customer; sales and marketing get a change request (202, CUS-4)",
    operation_id="kefu_customers_http_patch_customer",
)
def patch_customer(request, customer_id: int, payload: CustomerPatch):
    current = actor(request)
    customer = queries.customer(current, customer_id)
    changed = payload.changes()
    reason = changed.pop("reason", "")
    changed = _fields(current, changed)
    if changes.needs_change_request(current):
        changed = {k: (v.pk if hasattr(v, "pk") else v) for k, v in changed.items()}
        return Status(202, changes.request_change(current, customer, changed, reason=reason))
    actions.update_customer(current, customer, **changed)
    return detail(current, queries.customer(current, customer_id))
