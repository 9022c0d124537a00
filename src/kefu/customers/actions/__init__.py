"""The only functions that change the customer archive — one module per concern: `archive` (create,
change directly, CUS-3 completeness), `changes` (CUS-4 change requests), `contacts` (CUS-1),
`assignment` (CUS-7 specialist and first contact), `confidentiality` (SEC-3 period and the
declassification sweep), `grades` (CUS-2 standard), and the archive's side of customer governance:
`merges` (CUS-6), `destruction` (SEC-8), `imports` (CUS-8). `blocks` holds their building blocks.
Each checks permission, scope and the rules, writes, keeps field history and audits — in one
transaction.

What other apps (claims, cases, customer governance) may call is named here; import the concern
module itself (`from kefu.customers.actions import archive`) to call it.
"""

from kefu.customers.actions.archive import (
    can_be_deleted,
    create_customer,
    mark_archive_complete,
    update_customer,
)
from kefu.customers.actions.assignment import assign, record_contact
from kefu.customers.actions.changes import approve_change, reject_change, request_change
from kefu.customers.actions.confidentiality import declassify_due
from kefu.customers.actions.contacts import add_contact

__all__ = [
    "add_contact",
    "approve_change",
    "assign",
    "can_be_deleted",
    "create_customer",
    "declassify_due",
    "mark_archive_complete",
    "record_contact",
    "reject_change",
    "request_change",
    "update_customer",
]
