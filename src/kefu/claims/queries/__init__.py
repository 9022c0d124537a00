"""Read paths of 报备, always through the caller's data scope — one module per concern:
`register` (claims, the pre-check, registers, the customer's choices), `disputes`, `deals`,
`reports`, `daily`; `people` is the building block for whom a form may name. What other apps may
use is named here."""

from kefu.claims.queries.register import (
    check,
    claim,
    claim_history,
    claims,
    department,
    departments,
    live_claim_for,
    live_claim_in_merge_group,
    register_of,
)

__all__ = [
    "check",
    "claim",
    "claim_history",
    "claims",
    "department",
    "departments",
    "live_claim_for",
    "live_claim_in_merge_group",
    "register_of",
]
