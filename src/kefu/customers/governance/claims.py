"""What the 报备 app tells the archive's care (CUS-6): who holds a live claim on a merge group, and
the claims the reader may see on a customer and the ones merged into it. The archive sits below
claims and never imports it: claims registers its two queries here from its `apps.ready()`
(`provide`); without them no customer is claimed and there is no claim history."""

from collections.abc import Callable

_PROVIDED: dict[str, Callable] = {}


def provide(*, live_claim_in_merge_group: Callable, claim_history: Callable) -> None:
    _PROVIDED["live_claim_in_merge_group"] = live_claim_in_merge_group
    _PROVIDED["claim_history"] = claim_history


def live_claim_in_merge_group(customer):
    """The live claim on the customer or on a customer merged into it (unscoped), or None."""
    found = _PROVIDED.get("live_claim_in_merge_group")
    return found(customer) if found is not None else None


def claim_history(actor, customer):
    """The claims the actor may see on the customer and on the customers merged into it."""
    found = _PROVIDED.get("claim_history")
    return found(actor, customer) if found is not None else []
