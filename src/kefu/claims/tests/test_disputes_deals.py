"""撞单 disputes (CLM-6) with penalties (CLM-7), deals and commission splits (CLM-9), department
registers (CLM-8)."""

from decimal import Decimal

import pytest

from kefu.claims import actions, queries
from kefu.claims.models import ClaimState, DisputeOutcome
from kefu.core import decisions
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.discipline.models import PenaltyProposal
from kefu.engine.policy.api import lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim(demo, act, customer_data, frozen):
    return actions.register(act("huanglei"), customer=customer_data())


def test_unregistered_claimant_loses_by_rule(demo, act, claim, wuqiang):  # CLM-6
    dispute = actions.raise_dispute(
        act("wuqiang"), claim, claimant=None, reason="客户是我先接待的", evidence="接待记录"
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.DISPUTED and not dispute.claimant_registered
    assert actions.default_outcome(dispute) == DisputeOutcome.OWNER_UPHELD
    actions.add_evidence(act("huanglei"), dispute, "报备表 3 月 2 日")
    with pytest.raises(NotFound):
        actions.add_evidence(act("linxiao"), dispute, "无关")
    with pytest.raises(NotFound):  # only 行政部 (claim.rule) rules
        actions.rule_dispute(act("heping"), dispute, outcome="owner_upheld", ruling="x")
    ruled = actions.rule_dispute(
        act("majun"), dispute, outcome=DisputeOutcome.OWNER_UPHELD, ruling=actions.CLASH_CLAUSE
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.LIVE and not ruled.open
    decision = decisions.for_object(ruled).get()
    assert decision.rule == "CLM-6" and decision.inputs["claimant_registered"] is False
    assert decision.clause == actions.CLASH_CLAUSE
    with pytest.raises(Conflict):
        actions.rule_dispute(act("majun"), ruled, outcome="claimant_wins", ruling="改判")


def test_one_open_dispute_per_claim_and_not_with_oneself(demo, act, claim, wuqiang):  # CLM-6
    with pytest.raises(Invalid):
        actions.raise_dispute(act("huanglei"), claim, claimant=None, reason="x", evidence="")
    actions.raise_dispute(act("wuqiang"), claim, claimant=None, reason="撞单", evidence="")
    with pytest.raises(Conflict):
        actions.raise_dispute(act("heping"), claim, claimant=None, reason="也撞单", evidence="")


def test_false_registration_ruling_proposes_the_ladder_penalty(demo, act, claim, wuqiang):  # CLM-7 / DIS-1
    dispute = actions.raise_dispute(act("wuqiang"), claim, claimant=None, reason="客户从未到店", evidence="")
    actions.rule_dispute(
        act("majun"), dispute, outcome=DisputeOutcome.FALSE_REGISTRATION, ruling="虚假报备属实"
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.INVALID
    proposal = PenaltyProposal.objects.get(source_type="claims.dispute", source_id=str(dispute.pk))
    assert proposal.employee == demo["huanglei"] and proposal.status == "proposed"
    assert proposal.amount == Decimal(lookup("claims.false_registration_fine_1").value)
    assert proposal.source_type == "claims.dispute" and proposal.source_id == str(dispute.pk)
    # the customer is free again: the claimant may register now
    again = actions.register(
        act("wuqiang"), customer={"name": "张先生", "phone": "13900001111", "address": "文三路 100 号"}
    )
    assert again.owner == demo["wuqiang"]


def test_deal_split_must_total_100_and_be_agreed_by_the_supervisor(demo, act, claim):  # CLM-9
    huanglei, heping = demo["huanglei"], demo["heping"]
    for shares in (
        [(huanglei, "60"), (heping, "30")],
        [(huanglei, "100.01")],
        [(huanglei, "50"), (huanglei, "50")],
    ):
        with pytest.raises(Invalid) as err:
            actions.record_deal(act("huanglei"), claim, amount="1000000", agreed_by=heping, shares=shares)
        assert err.value.code in ("claim_split_total", "claim_split_duplicate")
    with pytest.raises(Invalid) as err:
        actions.record_deal(
            act("huanglei"), claim, amount="1000000", agreed_by=demo["majun"], shares=[(huanglei, "100")]
        )
    assert err.value.code == "claim_split_agreed_by"
    deal = actions.record_deal(
        act("huanglei"), claim, amount="1000000", agreed_by=heping, shares=[(huanglei, "70"), (heping, "30")]
    )
    claim.refresh_from_db()
    assert claim.state == ClaimState.SIGNED and deal.claim == claim
    assert sum(s.percent for s in deal.shares.all()) == Decimal(100)
    assert queries.live_claim_for(claim.customer) is None


def test_department_register_for_the_admin_office(demo, act, claim):  # CLM-8
    majun = act("majun")
    departments = list(queries.departments(majun))
    sales = next(d for d in departments if d.name == "营销部")
    listed = list(queries.register_of(majun, sales))
    assert claim in listed and all(c.unit.path.startswith(sales.path) for c in listed)
    others = [d for d in departments if d.name != "营销部"]
    assert all(not queries.register_of(majun, d).exists() for d in others)
    assert not queries.departments(act("huanglei")).exists()
    with pytest.raises(NotFound):
        queries.department(act("huanglei"), sales.pk)


def test_a_dispute_does_not_extend_protection(demo, act, claim, wuqiang):  # CLM-5 / CLM-6
    from datetime import timedelta

    from kefu.core import clock
    from kefu.engine.workflow.actions import deadlines

    dispute = actions.raise_dispute(act("wuqiang"), claim, claimant=None, reason="撞单", evidence="")
    clock.freeze(claim.protected_until + timedelta(seconds=1))
    deadlines.sweep()
    claim.refresh_from_db()
    assert claim.state == ClaimState.EXPIRED
    ruled = actions.rule_dispute(act("majun"), dispute, outcome=DisputeOutcome.OWNER_UPHELD, ruling="按制度")
    claim.refresh_from_db()
    assert claim.state == ClaimState.EXPIRED and ruled.outcome == DisputeOutcome.OWNER_UPHELD
