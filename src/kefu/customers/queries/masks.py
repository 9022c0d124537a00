"""SEC-2 masks of personal data, a building block of the archive's queries (and of the actions, forms
and timeline that show or keep such values): which fields are personal data, how each is masked,
who reads them in full (the read audited, SEC-5), and how field history keeps them (a fingerprint)."""

import re

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index, mask_phone
from kefu.customers.models import Customer
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
