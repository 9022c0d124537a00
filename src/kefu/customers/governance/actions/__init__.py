"""The only state changes of the archive's care (SEC-4…SEC-9, CUS-6, CUS-8).

Each action checks permission and policy, writes, audits and notifies in one transaction. Split by
concept; everything public is importable from here.
"""

from kefu.customers.governance.actions.access import (
    borrow,
    notify_overdue_borrowings,
    request_access,
    return_borrowing,
)
from kefu.customers.governance.actions.carry_out import carry_out_approved, decide
from kefu.customers.governance.actions.common import ID_KIND
from kefu.customers.governance.actions.destruction import WIPED, check_retention, request_destruction
from kefu.customers.governance.actions.imports import (
    import_retention,
    purge_import_copies,
    resume_imports,
    run_import,
    run_import_task,
    start_import,
)
from kefu.customers.governance.actions.incidents import record_incident
from kefu.customers.governance.actions.merges import live_claim_holder, request_merge
from kefu.customers.governance.actions.transfer import export_customers

__all__ = [
    "ID_KIND",
    "WIPED",
    "borrow",
    "carry_out_approved",
    "check_retention",
    "decide",
    "export_customers",
    "import_retention",
    "live_claim_holder",
    "notify_overdue_borrowings",
    "purge_import_copies",
    "record_incident",
    "request_access",
    "request_destruction",
    "request_merge",
    "resume_imports",
    "return_borrowing",
    "run_import",
    "run_import_task",
    "start_import",
]
