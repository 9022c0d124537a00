"""Read paths of signed deals and their commission splits (CLM-9)."""

from kefu.claims.models import Claim, Deal


def deal_of(claim: Claim) -> Deal | None:
    """The deal of a claim the caller already holds (read through `claims.queries.claim`)."""
    return (
        Deal.objects.filter(claim=claim)
        .select_related("agreed_by", "recorded_by__employee")
        .prefetch_related("shares__employee")
        .first()
    )
