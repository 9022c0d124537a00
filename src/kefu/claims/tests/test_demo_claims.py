"""`kefu demo load` shows the register in every state (issue 4's demo data)."""

from datetime import timedelta

from tests.db_snapshot import load_or_replay

from kefu import demo as demo_data
from kefu.claims.models import Claim, ClaimState, PlanState, SalesPlan
from kefu.core import clock
from kefu.discipline.models import PenaltyProposal, ProposalStatus
from kefu.engine.workflow import api as workflow


def test_demo_has_claims_in_every_state(demo):
    now = clock.now()
    claims = list(Claim.objects.all())
    states = {c.state for c in claims}
    assert {ClaimState.LIVE, ClaimState.EXPIRED, ClaimState.DISPUTED, ClaimState.SIGNED} <= states
    # about to expire: live with less than two days left
    assert any(
        c.state == ClaimState.LIVE and now < c.protected_until < now + timedelta(days=2) for c in claims
    )
    # expired by its clock, not ended early: the protection date lies in the past
    assert any(c.state == ClaimState.EXPIRED and c.protected_until < now for c in claims)
    assert PenaltyProposal.objects.filter(status=ProposalStatus.PROPOSED).exists()


def test_demo_has_a_sales_plan_awaiting_approval(admin_user):  # CLM-11
    load_or_replay(demo_data.load)  # the full demo (the lean one the other tests share has no requests)
    plan = SalesPlan.objects.get()
    assert plan.state == PlanState.PENDING and plan.author.user.username == "linxiao"
    step = workflow.pending_approval(plan).steps.get()
    assert {u.username for u in step.approvers.all()} == {"heping"}
