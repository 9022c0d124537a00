"""The customer timeline's 报备 entries (CUS-9): the claims on the customer that the viewer may see,
and those that stayed on the customers merged into it (CUS-6). Registered from apps.ready()."""

from kefu.claims.queries import register as queries
from kefu.core import clock
from kefu.customers import timeline
from kefu.customers.governance.queries import merged_customer_ids
from kefu.customers.timeline import Entry


def claim_entries(actor, customer) -> list:
    return [
        Entry(
            at=claim.registered_at,
            kind="claim",
            title=f"报备 · {claim.get_state_display()}",
            detail=f"{claim.owner.name} · 保护至 {clock.local(claim.protected_until):%Y-%m-%d %H:%M}",
            link=claim.get_absolute_url(),
        )
        for claim in queries.claims(actor).filter(customer=customer)[:50]
    ]


def merged_claim_entries(actor, customer) -> list:
    """The claims that stayed on the customers merged into this one, as far as the viewer may see
    claims (CUS-6, CUS-9)."""
    ids = merged_customer_ids(customer)
    if len(ids) == 1:
        return []  # nothing merged into it: `claim_entries` lists its claims
    claims = queries.claim_history(actor, customer).exclude(customer_id=customer.pk)[:50]
    return [
        Entry(
            at=claim.registered_at,
            kind="claim",
            title=f"报备（合并自客户 #{claim.customer_id}）· {claim.get_state_display()}",
            detail=f"{claim.owner.name} · 保护至 {clock.local(claim.protected_until):%Y-%m-%d %H:%M}",
            link=claim.get_absolute_url(),
        )
        for claim in claims
    ]


def register() -> None:
    timeline.register("customer_governance.merged_claims", merged_claim_entries)  # before, as it always was
    timeline.register("claims", claim_entries)
