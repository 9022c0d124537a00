"""The case actions: every write of the cases app, one module per concern (docs/architecture.md).

`blocks` and `workload` are building blocks below the concern modules; other apps call the names
listed here (a case's intake and closed loop, notes and replies, the concern modules, and
`workload.recount()` after a bulk load that bypassed the actions).
"""

from kefu.cases.actions import (
    attachments,
    calls,
    complaints,
    config,
    handoffs,
    intake,
    mail_in,
    mail_out,
    notices,
    promises,
    public,
    routing,
    workload,
)
from kefu.cases.actions.blocks import comment, customer_wrote
from kefu.cases.actions.intake import act, create_case, verify_identity

__all__ = [
    "act",
    "attachments",
    "calls",
    "comment",
    "complaints",
    "config",
    "create_case",
    "customer_wrote",
    "handoffs",
    "intake",
    "mail_in",
    "mail_out",
    "notices",
    "promises",
    "public",
    "routing",
    "verify_identity",
    "workload",
]
