"""The customer timeline's entries for merges (CUS-6, CUS-9): the 报备 claims that stayed on the
customers merged into this one, as far as the viewer may see claims. Registered from apps.ready()."""

from kefu.core import clock


def merged_claim_entries(actor, customer) -> list:
    from kefu.claims.queries import claim_history, merged_customer_ids
    from kefu.customers.timeline import Entry

    ids = merged_customer_ids(customer)
    if len(ids) == 1:
        return []  # nothing merged into it: the claims app's own source lists its claims
    claims = claim_history(actor, customer).exclude(customer_id=customer.pk)[:50]
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
    from kefu.customers import timeline

    timeline.register("customer_governance.merged_claims", merged_claim_entries)
