"""Read paths of 撞单 disputes (CLM-6): the disputes the caller may see, and what each reader sees of
one — the challenger learns nothing about the owner or the customer before the ruling (CLM-1,
issue 10)."""

from django.db.models import Q

from kefu.claims.models import Dispute
from kefu.claims.queries.register import with_customer_shown
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.org import access


def disputes(actor: Actor, *, open_only: bool = False):
    employee = access.employee_of(actor.principal)
    q = Q(pk__in=access.scoped(Dispute.objects.all(), actor, "claim.rule").values("pk"))
    if employee is not None:
        q |= Q(claimant=employee) | Q(claim__owner=employee)
    qs = Dispute.objects.filter(q).select_related(
        "claim__customer", "claim__owner", "claim__unit", "claimant", "unit"
    )
    qs = with_customer_shown(actor, qs, "claim__")
    return qs.filter(open=True) if open_only else qs


def dispute(actor: Actor, pk: int) -> Dispute:
    found = disputes(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("撞单争议", "dispute")
    return found


def challenger_only(actor: Actor, dispute: Dispute) -> bool:
    """Whether the reader sees the dispute only as its challenger: not the claim's owner, nor 行政部
    or a manager whose scope covers it (claim.rule, claim.manage, claim.view_owner)."""
    employee = access.employee_of(actor.principal)
    if employee is None or employee.pk != dispute.claimant_id or employee.pk == dispute.claim.owner_id:
        return False
    claim = dispute.claim
    return not any(
        access.record_in_scope(actor, code, unit=claim.unit, owner_id=claim.owner_id)
        for code in ("claim.rule", "claim.manage", "claim.view_owner")
    )


def dispute_shown(actor: Actor, dispute: Dispute) -> dict:
    """What the reader sees of a 撞单 dispute (CLM-1, CLM-6, issue 10). The challenger sees its state,
    the protected-until time (CLM-1 reveals it anyway), their own evidence and — once ruled — the
    ruling and the registered owner, whom an upheld claim obliges them to help ("无条件协助当事员工成交");
    never the customer as archived or registered, nor the owner's evidence before the ruling. The
    owner, 行政部 and managers in scope see everything."""
    hidden = challenger_only(actor, dispute)
    evidence = list(dispute.evidence.select_related("author"))
    if hidden and dispute.open:
        evidence = [e for e in evidence if e.party == "claimant"]
    return {
        "id": dispute.pk,
        "claim_id": dispute.claim_id,
        "open": dispute.open,
        "outcome": dispute.outcome,
        "outcome_label": dispute.get_outcome_display() if dispute.outcome else "",
        "ruling": dispute.ruling,
        "claimant": dispute.claimant.name,
        "claimant_registered": dispute.claimant_registered,
        "reason": dispute.reason,
        "raised_at": dispute.raised_at,
        "ruled_at": dispute.ruled_at,
        "owner": None if hidden and dispute.open else dispute.claim.owner.name,
        "customer_name": None if hidden else getattr(dispute, "shown_customer_name", None),
        "protected_until": dispute.claim.protected_until,
        "evidence": evidence,
        "challenger_only": hidden,
    }
