"""LV-3 `leave.superior_approves_from` ("请假3天以上的,由部门经理像上级领导申请审批"): from that many days
the superior decides; a subsidiary that lowers it sends shorter leave to the superior. The clock is frozen
at Monday 2026-03-02 10:00 (Shanghai)."""

from datetime import date, timedelta

import pytest

from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.engine.policy import actions as policy_actions
from kefu.engine.policy.api import subsidiary_of
from kefu.engine.workflow import api as workflow
from kefu.workforce.actions import leave as actions
from kefu.workforce.lifecycle_leave import by_manager

pytestmark = pytest.mark.django_db


def _ask(act, start, end):
    return actions.request(
        act("zhaomin"), starts_on=start, ends_on=end, reason="家中有事", arrangement="交孙丽"
    )


def _approvers(leave):
    step = workflow.pending_approval(leave).steps.get(status=workflow.StepStatus.PENDING)
    return {u.username for u in step.approvers.all()}


def test_lv3_superior_from_three_days_is_read_from_the_pack(demo, act, frozen):  # LV-3
    three = _ask(act, date(2026, 3, 16), date(2026, 3, 18))
    assert _approvers(three) == {"wangfang"}
    decision = [d for d in for_object(three) if d.rule == "LV-3"][-1]
    assert decision.inputs["leave.superior_approves_from"] == "3 天"
    assert workflow.pending_approval(three).inputs["superior_from"] == "3"
    assert "3天以上" in decision.clause


def test_lv3_a_lower_superior_from_sends_shorter_leave_up(demo, act, admin_actor, frozen):  # LV-3
    unit = subsidiary_of(demo["zhaomin"].unit)
    policy_actions.set_override(
        admin_actor, unit, "leave.superior_approves_from", 2, clock.today(), reason="测试"
    )
    clock.advance(timedelta(hours=1))
    two = _ask(act, date(2026, 3, 4), date(2026, 3, 5))  # 2 days: the manager's by 以内, but 2 ≥ 2
    assert _approvers(two) == {"wangfang"}
    one = _ask(act, date(2026, 3, 11), date(2026, 3, 11))
    assert _approvers(one) == {"lina"}


def test_lv3_by_manager_rule():  # LV-3
    assert by_manager({"days": "2", "manager_up_to": "2", "superior_from": "3"})
    assert not by_manager({"days": "2.5", "manager_up_to": "2", "superior_from": "3"})
    assert not by_manager({"days": "2", "manager_up_to": "2", "superior_from": "2"})
    assert by_manager({"days": "2", "manager_up_to": "2"})  # a request opened before the entry was read
