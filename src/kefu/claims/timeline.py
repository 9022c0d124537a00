"""The customer timeline's 报备 entries (CUS-9): the claims on the customer that the viewer may see."""

from kefu.claims import queries
from kefu.core import clock


def claim_entries(actor, customer) -> list:
    from kefu.customers.timeline import Entry

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


def register() -> None:
    from kefu.customers import timeline

    timeline.register("claims", claim_entries)
