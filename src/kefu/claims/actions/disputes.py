"""撞单 disputes (CLM-6, CLM-7): raised by the unregistered side (or named by the owner or 行政部),
argued with evidence, ruled by 行政部 with a decision record; a false registration proposes the
owner's next penalty (DIS-1). Every write checks permission, writes, audits, in one transaction."""

from django.db import transaction
from django.utils import translation

from kefu.claims.actions import common
from kefu.claims.models import Claim, ClaimState, Dispute, DisputeOutcome, Evidence
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.discipline import actions as discipline
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee

CLASH_CLAUSE = "自认为不需要报备的客户,却与同事撞单发生争议,视为无效客户"
SEED_000 = "000 · (完整版)客户报备制度"

# "为什么" reads a ruling's inputs in words (issue 13)
decisions.describe(
    inputs={
        "claimant_registered": ("争议方是否报备过", "claimant had registered"),
        "default_outcome": ("按规则应判", "outcome by the rule"),
        "claim_state_before": ("裁定前报备状态", "registration before the ruling"),
    },
    values={"default_outcome": DisputeOutcome.choices, "claim_state_before": ClaimState.choices},
)


def default_outcome(dispute: Dispute) -> str:
    """CLM-6: an employee who never registered the customer loses a clash with the registered owner."""
    return "" if dispute.claimant_registered else DisputeOutcome.OWNER_UPHELD


def raise_dispute(
    actor: Actor, claim: Claim, *, claimant: Employee | None, reason: str, evidence: str
) -> Dispute:
    """Open a 撞单 case on a live claim. The claimant raises it themself (claimant=None); the owner or
    行政部 may open it naming the colleague. The claimant learns nothing about the owner (CLM-1)."""
    me = common.me(actor)
    reason = common.required(reason, "reason")
    manager = access.record_in_scope(actor, "claim.manage", unit=claim.unit, owner_id=None)
    if claimant is None:
        access.require(actor, "claim.register")
        claimant = me
    elif not (manager or (me is not None and me.pk == claim.owner_id)):
        raise NotFound("报备", "claim")
    if claimant is None or claimant.pk == claim.owner_id:
        raise Invalid("claim_dispute_self", "不能与自己撞单", "An employee cannot clash with themself", {})
    with transaction.atomic():
        claim = Claim.objects.select_for_update(of=("self",)).get(pk=claim.pk)
        if claim.state != ClaimState.LIVE:
            raise Conflict(
                "claim_not_live",
                "只有保护中的报备可以发起撞单争议",
                "Only a protected claim can be disputed",
                state=claim.state,
            )
        dispute = Dispute.objects.create(
            claim=claim,
            unit=claim.unit,
            claimant=claimant,
            claimant_registered=Claim.objects.filter(customer=claim.customer_id, owner=claimant).exists(),
            reason=reason,
            raised_at=clock.now(),
        )
        if (evidence or "").strip():
            party = "owner" if me is not None and me.pk == claim.owner_id else "claimant"
            Evidence.objects.create(
                dispute=dispute, party=party, author=actor.user, text=evidence.strip(), at=clock.now()
            )
        workflow.transition(actor, claim, "dispute", reason=reason)
        audit.record(actor, "claims.dispute", dispute, after={"claim": claim.pk, "claimant": claimant.pk})
    return dispute


def add_evidence(actor: Actor, dispute: Dispute, text: str) -> Evidence:
    me = common.me(actor)
    text = common.required(text, "text")
    if me is not None and me.pk == dispute.claim.owner_id:
        party = "owner"
    elif me is not None and me.pk == dispute.claimant_id:
        party = "claimant"
    else:
        raise NotFound("撞单争议", "dispute")
    if not dispute.open:
        raise Conflict("claim_dispute_closed", "争议已裁定", "The dispute has been ruled")
    with transaction.atomic():
        item = Evidence.objects.create(
            dispute=dispute, party=party, author=actor.user, text=text, at=clock.now()
        )
        audit.record(actor, "claims.evidence", dispute, after={"party": party, "evidence": item.pk})
    return item


def rule_dispute(actor: Actor, dispute: Dispute, *, outcome: str, ruling: str) -> Dispute:
    """行政部 (`claim.rule`) rules; a decision record names the rule and the facts (CLM-6). A false
    registration also proposes the next penalty on the owner's ladder (CLM-7 → DIS-1)."""
    if not access.record_in_scope(actor, "claim.rule", unit=dispute.unit, owner_id=None):
        raise NotFound("撞单争议", "dispute")
    if outcome not in DisputeOutcome.values:
        raise Invalid(
            "claim_outcome", "裁定结果无效", "Unknown outcome", {"outcome": "|".join(DisputeOutcome.values)}
        )
    ruling = common.required(ruling, "ruling")
    with transaction.atomic():
        dispute = (
            Dispute.objects.select_for_update(of=("self",)).select_related("claim__owner").get(pk=dispute.pk)
        )
        if not dispute.open:
            raise Conflict("claim_dispute_closed", "争议已裁定", "The dispute has been ruled")
        claim = dispute.claim
        dispute.open, dispute.outcome, dispute.ruling = False, outcome, ruling
        dispute.ruled_by, dispute.ruled_at = actor.user, clock.now()
        dispute.save()
        if claim.state == ClaimState.DISPUTED:
            move = "uphold" if outcome == DisputeOutcome.OWNER_UPHELD else "invalidate"
            workflow.transition(actor, claim, move, reason=ruling)
        with translation.override("zh-hans"):  # the outcome is stored in both languages
            ruled_zh = str(DisputeOutcome(outcome).label)
        decisions.record(
            dispute,
            rule="CLM-6",
            outcome=f"裁定：{ruled_zh} / ruled {outcome}",
            inputs={
                "claimant_registered": dispute.claimant_registered,
                "default_outcome": default_outcome(dispute),
                "claim_state_before": claim.state,
            },
            policy_version=claim.policy_version,
            clause=CLASH_CLAUSE,
            actor=actor,
            source=SEED_000,
        )
        if outcome == DisputeOutcome.FALSE_REGISTRATION:
            discipline.propose(
                actor, claim.owner, "false_registration", evidence=ruling, rule="CLM-7", source_obj=dispute
            )
        audit.record(actor, "claims.rule", dispute, after={"outcome": outcome}, reason=ruling)
    return dispute
