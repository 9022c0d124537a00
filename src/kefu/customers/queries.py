"""Read paths of the customer archive, always narrowed to the caller's data scope (ORG-3).

`find_by_phone` is the one read not scoped by the caller's grants: it matches a phone within one
subsidiary's archive (the unit where a case or 报备 is being made), and callers show the match only to
readers who may see it (`may_view`) — a phone never reveals a customer (issue 10, docs/decisions.md).
"""

import json
import re

from django.db.models import Q
from django.utils import translation

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, mask_phone
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.customers import timeline as registry
from kefu.customers.lifecycle import FIRST_CONTACT, LIFECYCLE
from kefu.customers.models import ChangeRequest, ChangeRequestState, Customer
from kefu.customers.rules import archive_path
from kefu.engine.workflow import api as workflow
from kefu.org import access

FULL_FIELDS = ("phone", "id_number", "address", "emergency_contact")
ENCRYPTED = set(FULL_FIELDS)  # personal data: encrypted, masked, fingerprinted in history


def history_value(name: str, value) -> str:
    """A field's value as the field history keeps it: personal data only as a fingerprint."""
    if name in ENCRYPTED:
        return f"fp:{blind_index(value, kind='text')[:10]}" if value else ""
    if hasattr(value, "pk"):
        return str(value.pk)
    return "" if value is None else str(value)


def proposed(request: ChangeRequest) -> dict:
    """The proposed values of a change request (decrypted; show masked to those without view_full)."""
    return json.loads(request.payload or "{}")


def find_by_phone(phone: str, *, within=None) -> Customer | None:
    """The live customer with this phone (normalised, by blind index), or None. Not scoped by grants:
    with `within` (a unit), only the archive of that unit's subsidiary is searched (`archive_path`)."""
    if not (phone or "").strip():
        return None
    found = Customer.objects.filter(phone_index=blind_index(phone), destroyed_at__isnull=True)
    if within is not None:
        found = found.filter(unit__path__startswith=archive_path(within))
    return found.order_by("created_at", "pk").first()


def find_by_id_number(id_number: str) -> Customer | None:
    """The live customer with this 身份证号 / 统一社会信用代码, or None. NOT scoped (duplicate checks)."""
    if not (id_number or "").strip():
        return None
    return (
        Customer.objects.filter(id_index=blind_index(id_number, kind="id"), destroyed_at__isnull=True)
        .order_by("created_at", "pk")
        .first()
    )


def _scope(actor: Actor, code: str) -> Q | None:
    grants = access.grants(actor, code)
    by_owner = scope_q(grants, unit_path="unit__path", owner="owner_id")
    by_specialist = scope_q([g for g in grants if g.scope == "own"], unit_path=None, owner="specialist_id")
    if by_owner is None:
        return by_specialist
    return by_owner if by_specialist is None else by_owner | by_specialist


def may_view(actor: Actor, customer: Customer, code: str = "customer.view") -> bool:
    """Whether `customer` is within the actor's `code` scope — the same test as `customers()`: by unit,
    by owner, or (own scopes) as its assigned specialist."""
    if access.record_in_scope(actor, code, unit=customer.unit, owner_id=customer.owner_id):
        return True
    return bool(customer.specialist_id) and access.record_in_scope(
        actor, code, unit=None, owner_id=customer.specialist_id
    )


def customers(
    actor: Actor,
    *,
    q: str = "",
    tier: str = "",
    audience: str = "",
    stage: str = "",
    owner_id=None,
    at_risk: bool | None = None,
    kind: str = "",
    code: str = "customer.view",
):
    """Live customers the actor may see under `code`; `q` matches name, company or an exact phone."""
    condition = _scope(actor, code)
    qs = Customer.objects.select_related("unit", "owner", "specialist").filter(destroyed_at__isnull=True)
    if condition is None:
        return qs.none()
    qs = qs.filter(condition)
    if q:
        text = Q(name__icontains=q) | Q(company__icontains=q)
        if re.fullmatch(r"[\d+\-\s]{7,}", q):
            text |= Q(phone_index=blind_index(q))
        qs = qs.filter(text)
    if tier:
        qs = qs.filter(tier=tier)
    if audience:
        qs = qs.filter(audience=audience)
    if stage:
        qs = qs.filter(stage=stage)
    if kind:
        qs = qs.filter(kind=kind)
    if owner_id:
        qs = qs.filter(owner_id=owner_id)
    if at_risk is not None:
        qs = qs.filter(at_risk=at_risk)
    return qs


def customer(actor: Actor, pk, *, code: str = "customer.view") -> Customer:
    """One customer in the actor's scope; NotFound (404) otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("客户", "customer") from None
    found = customers(actor, code=code).filter(pk=pk).first()
    if found is None:
        raise NotFound("客户", "customer")
    return found


def mask_id(value: str) -> str:
    """SEC-2: first 3 and last 2 characters of an ID / credit code."""
    value = value or ""
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]


_DISTRICT = re.compile(r"^.*?(?:区|县|旗)")
_CITY = re.compile(r"^.*?市")


def mask_address(value: str) -> str:
    """SEC-2: the address only up to the district (杭州市西湖区****)."""
    value = value or ""
    if not value:
        return ""
    found = _DISTRICT.match(value) or _CITY.match(value)
    return (found.group(0) if found else "") + "****"


def may_see_full(actor: Actor, customer: Customer) -> bool:
    return access.record_in_scope(actor, "customer.view_full", unit=customer.unit, owner_id=customer.owner_id)


def shown(name: str, value, full: bool) -> str:
    """The display of personal-data field `name`: as stored for full viewers, else masked (SEC-2)."""
    value = value or ""
    if full or not value:
        return value
    if name == "phone":
        return mask_phone(value)
    if name == "id_number":
        return mask_id(value)
    if name == "address":
        return mask_address(value)
    return "****"


def masked(customer: Customer, actor: Actor, *, purpose: str = "") -> dict:
    """Display values of the personal data: in full for holders of customer.view_full within scope
    (the read is audited, SEC-5), otherwise masked (SEC-2). `full` says which one."""
    full = may_see_full(actor, customer)
    if full:
        read = [f for f in FULL_FIELDS if getattr(customer, f)]
        if read:
            audit.record_read(actor, customer, fields=read, purpose=purpose or "view customer")
    return {"full": full, **{name: shown(name, getattr(customer, name), full) for name in FULL_FIELDS}}


def masked_phone(customer: Customer) -> str:
    """The masked phone for lists (never audited, never in full)."""
    return mask_phone(customer.phone) if customer.phone else ""


def contacts(actor: Actor, customer: Customer) -> list[dict]:
    """The customer's contacts with phones masked unless the actor may see full data (audited)."""
    full = may_see_full(actor, customer)
    rows = list(customer.contacts.all())
    if full and any(c.phone for c in rows):
        audit.record_read(actor, customer, fields=["contacts.phone"], purpose="view contacts")
    return [
        {
            "id": c.pk,
            "name": c.name,
            "position": c.position,
            "phone": shown("phone", c.phone, full),
            "email": c.email,
            "is_key_person": c.is_key_person,
            "notes": c.notes,
        }
        for c in rows
    ]


def change_requests(actor: Actor, *, state: str = ChangeRequestState.PENDING):
    """Change requests on customers the actor may verify (info officers' queue, CUS-4)."""
    visible = customers(actor, code="customer.verify")
    qs = ChangeRequest.objects.select_related("customer__unit", "requested_by", "decided_by").filter(
        customer__in=visible
    )
    return qs.filter(state=state) if state else qs


def change_request(actor: Actor, pk) -> ChangeRequest:
    found = change_requests(actor, state="").filter(pk=pk).first()
    if found is None:
        found = ChangeRequest.objects.filter(
            pk=pk, requested_by=actor.user, customer__in=customers(actor)
        ).first()
    if found is None:
        raise NotFound("变更申请", "change request")
    return found


def timeline(actor: Actor, customer: Customer) -> list:
    """CUS-9: every registered source's entries for the customer, newest first."""
    return registry.collect(actor, customer)


def first_contact_timer(customer: Customer):
    """The latest CUS-7 first-contact timer of the customer (None before any assignment)."""
    return workflow.clocks(customer, names=[FIRST_CONTACT.name]).order_by("-started_at", "-pk").first()


def assignment_history(customer: Customer) -> list[dict]:
    """CUS-7: the workflow moves of the customer (assignments and first contacts), oldest first,
    each with its label in the active language."""
    english = (translation.get_language() or "").startswith("en")
    rows = []
    for move in workflow.history(customer):
        declared = LIFECYCLE.transition(move.transition)
        label = (declared.label_en if english else declared.label_zh) if declared else move.transition
        by = move.actor.get_username() if move.actor else "system"
        rows.append({"at": move.at, "label": label, "by": by, "reason": move.reason})
    return rows
