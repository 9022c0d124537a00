"""Excel export (SEC-5). The import (CUS-8) is in imports.py.

The export reads the customers the actor may see and writes one audit row: no long write transaction
(issue 11).
"""

from django.db import transaction

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.customers.governance import queries, sheets
from kefu.customers.governance.actions.common import _purpose
from kefu.org import access

# ---- SEC-5 export ----------------------------------------------------------------------------------------


def export_customers(actor: Actor, *, purpose: str, external: bool = False) -> tuple[bytes, int, str]:
    """The customers the actor may see, masked unless `customer.view_full`; always audited (SEC-5).

    Outside the company only customers who consented are included ("未经客户同意,不得泄露客户信息").
    """
    access.require(actor, "customer.export")
    purpose = _purpose(purpose)
    qs = queries.customers(actor, "customer.export").order_by("pk")
    if external:
        qs = qs.filter(consent_external=True)
        note = (
            "对外导出：仅含同意对外提供信息的客户（SEC-5）/ "
            "External export: only customers who consented to sharing outside the company (SEC-5)"
        )
    else:
        note = "内部导出，仅限公司内部使用（SEC-5）/ Internal export, for use inside the company only (SEC-5)"
    rows, full_ids = [], []
    for customer in qs:
        full = queries.sees_full(actor, customer)
        if full:
            full_ids.append(customer.pk)
        rows.append(
            {
                "id": customer.pk,
                "name": customer.name,
                "kind": customer.get_kind_display(),
                "company": customer.company,
                "audience": customer.audience,
                "tier": customer.get_tier_display(),
                "unit": customer.unit.name,
                **queries.masked_values(customer, full),
            }
        )
    content = sheets.export_workbook(rows, note=note)
    with transaction.atomic():
        audit.record(
            actor,
            "customer.export",
            object_type="customers.customer",
            object_repr=f"{len(rows)} 位客户",
            reason=purpose,
            after={
                "count": len(rows),
                "ids": [r["id"] for r in rows],
                "full_ids": full_ids,
                "external": external,
            },
        )
    return content, len(rows), note
