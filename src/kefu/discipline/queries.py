"""Read paths of the discipline ledger, always scoped by `discipline.view` (DIS-1)."""

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.discipline.models import PenaltyProposal
from kefu.org import access


def ledger(actor: Actor, *, status: str = ""):
    qs = access.scoped(
        PenaltyProposal.objects.select_related("employee", "unit", "proposed_by", "decided_by"),
        actor,
        "discipline.view",
        owner="employee_id",
    )
    return qs.filter(status=status) if status else qs


def proposal(actor: Actor, pk: int) -> PenaltyProposal:
    found = ledger(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("处罚建议", "penalty proposal")
    return found
