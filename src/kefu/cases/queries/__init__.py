"""The case queries: every read of the cases app through the caller's scope, one module per concern
(docs/architecture.md); a record by id out of scope answers 404. `scope` holds their building blocks.
Other apps read cases through the names listed here.
"""

from kefu.cases.queries import complaints, config, handoffs, intake, public, routing
from kefu.cases.queries.complaints import verified_staff_complaints
from kefu.cases.queries.intake import case, cases

__all__ = [
    "case",
    "cases",
    "complaints",
    "config",
    "handoffs",
    "intake",
    "public",
    "routing",
    "verified_staff_complaints",
]
