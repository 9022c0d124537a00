"""CASE-8 cross-department 报备: acknowledge within the policy time, clarification, solution or the
reason with an expected time (the customer is told), closure report."""

from datetime import timedelta

import pytest

from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.models import Comment, HandoffState
from kefu.cases.queries import handoffs as queries_handling
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow.actions import deadlines
from kefu.org.models import Unit


def _breaches(handoff):
    from django.contrib.contenttypes.models import ContentType

    kind = ContentType.objects.get_for_model(handoff)
    return Notification.objects.filter(template="timer.breach", target_type=kind, target_id=str(handoff.pk))


@pytest.fixture
def tech():
    return Unit.objects.get(code="water-tech")


def test_case8_full_loop_and_the_customer_is_told_reason_and_time(water_case, tech, act, demo):  # CASE-8
    handoff = actions_handoffs.send(act("lvxin"), water_case, tech, "客户水压不足，请技术部排查管网")
    assert handoff.state == HandoffState.SENT
    assert Notification.objects.filter(template="cases.handoff_sent", recipient=demo["xuhao"].user).exists()
    assert list(queries_handling.inbox(act("xuhao"))) == [handoff]
    assert not queries_handling.inbox(act("zhaomin")).exists()
    with pytest.raises(PermissionDenied):
        actions_handoffs.acknowledge(act("zhengkai"), handoff)  # not in the receiving department
    handoff = actions_handoffs.acknowledge(act("xuhao"), handoff)
    assert handoff.state == HandoffState.ACKNOWLEDGED and handoff.owner == demo["xuhao"]
    handoff = actions_handoffs.ask_clarification(act("xuhao"), handoff, "请提供具体楼栋")
    assert Notification.objects.filter(template="cases.handoff_update", recipient=demo["lvxin"].user).exists()
    with pytest.raises(PermissionDenied):
        actions_handoffs.answer_clarification(act("xuhao"), handoff, "自问自答")
    handoff = actions_handoffs.answer_clarification(act("lvxin"), handoff, "3 号楼 5 层以上")
    assert handoff.state == HandoffState.ACKNOWLEDGED
    expected = clock.now() + timedelta(days=2)
    handoff = actions_handoffs.defer(act("xuhao"), handoff, "需更换加压泵，配件在途", expected)
    assert handoff.state == HandoffState.DEFERRED
    told = Comment.objects.get(case=water_case, public=True)
    assert "需更换加压泵，配件在途" in told.body
    assert (expected + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M") in told.body  # Beijing time
    with pytest.raises(Conflict):
        actions_handoffs.close(act("xuhao"), handoff, "总结")  # a solution comes first
    handoff = actions_handoffs.solve(act("xuhao"), handoff, "已更换加压泵")
    handoff = actions_handoffs.close(act("xuhao"), handoff, "更换加压泵，用时两天，已巡检同类泵站")
    assert handoff.state == HandoffState.CLOSED and handoff.report
    assert not queries_handling.inbox(act("xuhao"), open_only=True).exists()


def test_case8_late_acknowledgement_notifies(water_case, tech, act, demo):  # CASE-8, WF-2
    handoff = actions_handoffs.send(act("lvxin"), water_case, tech, "请排查")
    clock.advance(timedelta(hours=6))  # 4 business hours from Monday 10:00 → 15:00
    deadlines.sweep()
    breach = _breaches(handoff)
    assert breach.filter(recipient=demo["xuhao"].user).exists()
    assert breach.filter(recipient=demo["lvxin"].user).exists()  # the sender knows too
    assert breach.filter(recipient=demo["gaofeng"].user).exists()  # and the receiving side's manager
    from kefu.core.decisions import for_object

    assert any("超时" in d.outcome for d in for_object(handoff))


def test_case8_acknowledged_in_time_does_not_breach(water_case, tech, act):  # CASE-8
    handoff = actions_handoffs.send(act("lvxin"), water_case, tech, "请排查")
    handoff = actions_handoffs.acknowledge(act("xuhao"), handoff)
    clock.advance(timedelta(hours=6))
    deadlines.sweep()
    assert not _breaches(handoff).exists()


def test_case8_bad_inputs(water_case, tech, act, demo):  # CASE-8
    with pytest.raises(Invalid) as same:
        actions_handoffs.send(act("lvxin"), water_case, water_case.unit, "自己")
    assert same.value.code == "case_handoff_unit" and same.value.zh and same.value.en
    with pytest.raises(Invalid):
        actions_handoffs.send(act("lvxin"), water_case, tech, "   ")
    with pytest.raises(PermissionDenied):
        actions_handoffs.send(act("zhengkai"), water_case, tech, "不是我的工单")
    handoff = actions_handoffs.send(act("lvxin"), water_case, tech, "请排查")
    handoff = actions_handoffs.acknowledge(act("xuhao"), handoff)
    with pytest.raises(Invalid) as past:
        actions_handoffs.defer(act("xuhao"), handoff, "原因", clock.now() - timedelta(hours=1))
    assert past.value.code == "case_expected_at_invalid"
    with pytest.raises(Invalid):
        actions_handoffs.defer(act("xuhao"), handoff, "原因", "not a date")
    with pytest.raises(NotFound):
        queries_handling.handoff(act("zhaomin"), handoff.pk)
    assert queries_handling.handoff(act("lvxin"), handoff.pk) == handoff  # the sender sees it via the case
