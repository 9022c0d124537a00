"""Handover (HO-1): opened from the published rota half an hour before the end of a shift, or by hand
10–30 minutes ahead; items listed; both confirm; items change owner through the actions; an
uncovered post flags both; liability recorded."""

from datetime import timedelta

import pytest

from kefu.cases import actions as case_actions
from kefu.cases.actions import routing
from kefu.cases.models import Case, Transfer
from kefu.core import clock, decisions
from kefu.core.errors import Invalid, NotFound
from kefu.core.models import AuditEvent
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import plans
from kefu.followups.models import RevisitTask
from kefu.workforce.actions import handovers as actions
from kefu.workforce.models import Handover, HandoverLiability, HandoverState, ItemKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def lvxin_case(demo, act, frozen):
    case, _ = case_actions.create_case(
        act("lvxin"),
        unit=demo["lvxin"].unit,
        kind="consultation",
        channel="phone",
        title="水压不足",
        contact={"name": "周女士", "phone": "13600001111"},
    )
    if case.owner_id != demo["lvxin"].pk:
        routing.assign(act("gaofeng"), case, demo["lvxin"])
    case.refresh_from_db()
    return case_actions.act(act("lvxin"), case, "accept")


def test_rest_handover_opens_half_an_hour_before_the_shift_ends(demo, shift, lvxin_case, frozen):  # HO-1
    row = shift("lvxin", frozen - timedelta(hours=7), hours=8)  # ends in an hour
    assert actions.open_due() == 0  # not yet: 下班前半小时
    clock.advance(timedelta(minutes=30))
    assert actions.open_due() == 1
    assert actions.open_due() == 0  # once per shift
    handover = Handover.objects.get(shift=row)
    assert handover.kind == "rest" and handover.leaves_at == row.ends_at
    kinds = set(handover.items.values_list("kind", flat=True))
    assert ItemKind.CASE in kinds and ItemKind.CLOCK in kinds  # the open case and its running clock
    decision = decisions.for_object(handover).get()
    assert decision.rule == "HO-1" and "handover.before_shift_end" in decision.inputs
    assert Notification.objects.filter(recipient=demo["lvxin"].user).exists()


def test_a_draft_rota_opens_no_handover(demo, shift, frozen):  # HO-1
    shift("lvxin", frozen - timedelta(hours=7, minutes=45), state="draft")
    assert actions.open_due() == 0


def test_temporary_handover_only_10_to_30_minutes_ahead(demo, act, frozen):  # HO-1
    with pytest.raises(Invalid) as error:
        actions.open_temporary(
            act("lvxin"), leaves_at=frozen + timedelta(minutes=5), receiver=demo["zhengkai"]
        )
    assert error.value.code == "handover_ahead"
    with pytest.raises(Invalid):
        actions.open_temporary(
            act("lvxin"), leaves_at=frozen + timedelta(minutes=45), receiver=demo["zhengkai"]
        )
    handover = actions.open_temporary(
        act("lvxin"), leaves_at=frozen + timedelta(minutes=20), receiver=demo["zhengkai"]
    )
    assert handover.kind == "temporary" and handover.state == HandoverState.OPEN


def test_both_confirm_and_the_case_changes_owner_with_its_clock_kept(
    demo, act, lvxin_case, frozen, django_assert_max_num_queries
):  # HO-1
    running = list(workflow.clocks(lvxin_case, states=[workflow.TimerState.RUNNING]))
    handover = actions.open_temporary(
        act("lvxin"), leaves_at=frozen + timedelta(minutes=15), receiver=demo["zhengkai"]
    )
    actions.confirm(act("lvxin"), handover)
    assert Case.objects.get(pk=lvxin_case.pk).owner_id == demo["lvxin"].pk  # the receiver has not confirmed
    with django_assert_max_num_queries(60):  # a confirmation that carries one case and its clock
        done = actions.confirm(act("zhengkai"), handover)
    assert done.state == HandoverState.DONE
    assert Case.objects.get(pk=lvxin_case.pk).owner_id == demo["zhengkai"].pk
    assert Transfer.objects.filter(
        case=lvxin_case, reason__contains="HO-1"
    ).exists()  # through the cases action
    assert AuditEvent.objects.filter(action="cases.transfer").exists()
    after = list(workflow.clocks(lvxin_case, states=[workflow.TimerState.RUNNING]))
    assert [(t.pk, t.due_at) for t in after] == [(t.pk, t.due_at) for t in running]  # clocks kept
    assert not done.items.filter(carried=False).exists()


def test_only_the_parties_confirm(demo, act, frozen):  # HO-1
    handover = actions.open_temporary(
        act("lvxin"), leaves_at=frozen + timedelta(minutes=15), receiver=demo["zhengkai"]
    )
    with pytest.raises(NotFound):
        actions.confirm(act("zhaomin"), handover)


def test_an_uncovered_post_flags_both(demo, act, frozen):  # HO-1
    handover = actions.open_temporary(
        act("lvxin"), leaves_at=frozen + timedelta(minutes=15), receiver=demo["zhengkai"]
    )
    actions.confirm(act("lvxin"), handover)
    assert actions.flag_uncovered() == 0
    clock.advance(timedelta(minutes=16))
    assert actions.flag_uncovered() == 1
    handover.refresh_from_db()
    assert handover.state == HandoverState.UNCOVERED
    liable = set(HandoverLiability.objects.filter(handover=handover).values_list("employee_id", flat=True))
    assert liable == {demo["lvxin"].pk, demo["zhengkai"].pk}
    assert decisions.for_object(handover).filter(rule="HO-1", outcome__contains="空岗").exists()
    assert Notification.objects.filter(
        recipient=demo["zhengkai"].user, template="workforce.handover_uncovered"
    ).exists()
    assert actions.flag_uncovered() == 0


def test_liability_omission_to_leaver_takeover_to_receiver(demo, act, frozen):  # HO-1
    handover = actions.open_temporary(
        act("lvxin"), leaves_at=frozen + timedelta(minutes=15), receiver=demo["zhengkai"]
    )
    omission = actions.record_liability(act("gaofeng"), handover, kind="omission", note="漏交一件投诉")
    takeover = actions.record_liability(act("gaofeng"), handover, kind="takeover", note="接班未核对时限")
    assert omission.employee == demo["lvxin"] and takeover.employee == demo["zhengkai"]
    with pytest.raises(Invalid):
        actions.record_liability(act("gaofeng"), handover, kind="omission", note="")


def test_a_revisit_task_changes_hands_with_its_due_time(demo, act, lvxin_case, frozen):  # HO-1
    plans.set_plan(act("gaofeng"), demo["gaofeng"].unit, "resolution", kinds=["consultation"])
    case = case_actions.act(act("lvxin"), lvxin_case, "propose", data={"solution": "更换减压阀"})
    case_actions.act(act("lvxin"), case, "inform", data={"customer_reply": "已更换减压阀"})
    task = RevisitTask.objects.get(case=lvxin_case)
    assert task.assignee == demo["zhengkai"]
    handover = actions.open_temporary(
        act("zhengkai"), leaves_at=frozen + timedelta(minutes=25), receiver=demo["lvxin"]
    )
    assert handover.items.filter(kind=ItemKind.REVISIT, object_id=task.pk).exists()
    actions.confirm(act("lvxin"), handover)
    actions.confirm(act("zhengkai"), handover)
    moved = RevisitTask.objects.get(pk=task.pk)
    assert moved.assignee == demo["lvxin"] and moved.due_at == task.due_at
    assert AuditEvent.objects.filter(action="followups.task.hand_over").exists()
