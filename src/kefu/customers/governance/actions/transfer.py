"""Excel export (SEC-5). The import (CUS-8) is in imports.py.

The export writes the template's columns and words (`sheets.COLUMNS`), so that the file imports back
unchanged (issue 13), for the customers the actor may see under the customer list's filters. Rows are
read in chunks and streamed into a write-only workbook on disk: memory stays flat however many
customers there are (bench/export_memory.py). One audit row; no long write transaction (issue 11).
"""

from django.db import transaction
from django.db.models import Prefetch

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone
from kefu.customers.governance import queries, sheets
from kefu.customers.governance.actions.common import _purpose
from kefu.org import access

CHUNK = 2000  # customers read per query while writing an export
SHOWN = ("phone", "id_number", "address")  # the template's personal-data columns (SEC-2)

# ---- SEC-5 export ----------------------------------------------------------------------------------------


def _rows(actor: Actor, qs, ids: list[int], full_ids: list[int]):
    """The export's rows, one customer at a time from a chunked iterator (never the whole list)."""
    qs = qs.select_related("unit", "owner").prefetch_related(
        Prefetch("contacts", queryset=queries.export_contacts(), to_attr="key_persons")
    )
    for customer in qs.iterator(chunk_size=CHUNK):
        full = queries.sees_full(actor, customer)
        ids.append(customer.pk)
        if full:
            full_ids.append(customer.pk)
        masked = queries.masked_values(customer, full)
        shown = {name: masked[name] for name in SHOWN}
        contact = customer.key_persons[0] if customer.key_persons else None
        if contact is not None and not full and contact.phone:
            contact.phone = mask_phone(contact.phone)
        yield sheets.export_row(customer, shown, contact)


def export_customers(actor: Actor, *, purpose: str, external: bool = False, filters: dict | None = None):
    """The customers the actor may see (under the customer list's `filters`), masked unless
    `customer.view_full`; always audited (SEC-5). Returns (a temporary file holding the .xlsx, how
    many customers, the note): the caller streams the file and closes it.

    Outside the company only customers who consented are included ("未经客户同意,不得泄露客户信息").
    """
    access.require(actor, "customer.export")
    purpose = _purpose(purpose)
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    qs = queries.customers(actor, "customer.export", **filters).order_by("pk")
    if external:
        qs = qs.filter(consent_external=True)
        note = (
            "对外导出：仅含同意对外提供信息的客户（SEC-5）/ "
            "External export: only customers who consented to sharing outside the company (SEC-5)"
        )
    else:
        note = "内部导出，仅限公司内部使用（SEC-5）/ Internal export, for use inside the company only (SEC-5)"
    ids, full_ids = [], []
    content, count = sheets.write_export(_rows(actor, qs, ids, full_ids), note=note)
    with transaction.atomic():
        audit.record(
            actor,
            "customer.export",
            object_type="customers.customer",
            object_repr=f"{count} 位客户",
            reason=purpose,
            after={
                "count": count,
                "ids": ids,
                "full_ids": full_ids,
                "external": external,
                "filters": {k: str(v) for k, v in filters.items()},
            },
        )
    return content, count, note
