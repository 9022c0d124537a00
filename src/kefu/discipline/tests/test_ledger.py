"""The discipline ledger (DIS-1) and the CLM-7 ladders."""

from decimal import Decimal

import pytest
from django.test import Client

from kefu.core import decisions
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.discipline import actions, queries
from kefu.discipline.models import Measure, ProposalStatus
from kefu.engine.policy.api import lookup
from kefu.org.access import actor_for

pytestmark = pytest.mark.django_db


def act(demo, username):
    return actor_for(demo[username].user, origin="test")


def test_false_registration_ladder_50_100_dismissal(demo, frozen):  # CLM-7 / DIS-1
    majun, huanglei = act(demo, "majun"), demo["huanglei"]
    steps = [
        actions.propose(majun, huanglei, "false_registration", evidence=f"第{i}次", rule="CLM-7")
        for i in (1, 2, 3)
    ]
    assert [p.occurrence for p in steps] == [1, 2, 3]
    assert steps[0].amount == Decimal(lookup("claims.false_registration_fine_1").value)
    assert steps[1].amount == Decimal(lookup("claims.false_registration_fine_2").value)
    assert steps[2].measure == Measure.DISMISSAL and steps[2].amount is None
    assert int(lookup("claims.false_registration_dismissal_at").value) == 3
    assert all(p.status == ProposalStatus.PROPOSED for p in steps)  # proposals until HR confirms
    assert decisions.for_object(steps[0]).get().rule == "CLM-7"


def test_rejected_proposals_do_not_count_on_the_ladder(demo, frozen):  # DIS-1
    majun, huanglei = act(demo, "majun"), demo["huanglei"]
    first = actions.propose(majun, huanglei, "false_registration", evidence="举报", rule="CLM-7")
    actions.decide(majun, first, confirm=False, reason="证据不足")
    again = actions.propose(majun, huanglei, "false_registration", evidence="再次举报", rule="CLM-7")
    assert again.occurrence == 1 and again.amount == Decimal(lookup("claims.false_registration_fine_1").value)
    actions.decide(majun, again, confirm=True, reason="属实")
    third = actions.propose(majun, huanglei, "false_registration", evidence="第三次", rule="CLM-7")
    assert third.occurrence == 2


def test_leak_is_fined_per_customer_and_leak_for_reward_is_dismissal(demo, frozen):  # CLM-7
    majun = act(demo, "majun")
    leak = actions.propose(majun, demo["heping"], "leak", evidence="泄露 3 户", rule="CLM-7", quantity=3)
    assert leak.amount == Decimal(lookup("claims.leak_fine_per_customer").value) * 3
    reward = actions.propose(majun, demo["heping"], "leak_for_reward", evidence="收取报酬", rule="CLM-7")
    assert reward.measure == Measure.DISMISSAL and "获得报酬" in reward.clause
    decision = decisions.for_object(reward).get()
    assert decision.rule == "CLM-7" and decision.policy_version is None


def test_free_measures_warning_demerit_transfer_dismissal(demo, frozen):  # DIS-1
    majun = act(demo, "majun")
    with pytest.raises(Invalid):
        actions.propose(majun, demo["heping"], "info_misconduct", evidence="x", rule="DIS-1")
    for measure in ("warning", "demerit", "transfer", "dismissal"):
        proposal = actions.propose(
            majun, demo["heping"], "info_misconduct", evidence="翻阅他人报备", rule="DIS-1", measure=measure
        )
        assert proposal.measure == measure


def test_only_hr_confirms_and_only_once(demo, frozen):  # DIS-1
    majun = act(demo, "majun")
    proposal = actions.propose(majun, demo["huanglei"], "false_registration", evidence="x", rule="CLM-7")
    with pytest.raises(PermissionDenied):
        actions.propose(act(demo, "huanglei"), demo["heping"], "leak", evidence="x", rule="CLM-7")
    with pytest.raises(NotFound):
        actions.decide(act(demo, "heping"), proposal, confirm=True, reason="ok")
    with pytest.raises(Invalid):
        actions.decide(majun, proposal, confirm=True, reason="")
    actions.decide(majun, proposal, confirm=True, reason="核实属实")
    with pytest.raises(Conflict):
        actions.decide(majun, proposal, confirm=False, reason="改判")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED and proposal.decided_by == demo["majun"].user
    assert proposal in list(queries.ledger(act(demo, "majun")))
    assert list(queries.ledger(act(demo, "heping"))) == []


def test_ledger_page_confirm_and_reject(demo, frozen):  # DIS-1
    majun = act(demo, "majun")
    proposal = actions.propose(majun, demo["huanglei"], "false_registration", evidence="证据", rule="CLM-7")
    client = Client()
    client.force_login(demo["majun"].user)
    page = client.get("/discipline/")
    assert page.status_code == 200 and "黄磊" in page.content.decode() and "50" in page.content.decode()
    done = client.post(f"/discipline/{proposal.pk}/decide/", {"decision": "confirm", "reason": "属实"})
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    client.force_login(demo["huanglei"].user)
    assert client.get("/discipline/").status_code == 403
