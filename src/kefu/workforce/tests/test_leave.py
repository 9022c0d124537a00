"""Rest and leave (LV-1…LV-6): request, approver by duration, working-day clock, quota, routing and
handover, the LV-6 offences. The clock is frozen at Monday 2026-03-02 10:00 (Shanghai)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from kefu.cases.models import Transfer
from kefu.cases.queries import routing
from kefu.core import clock
from kefu.core.errors import Invalid, NotFound
from kefu.core.models import AuditEvent
from kefu.discipline.models import PenaltyProposal
from kefu.engine.calendars import api as calendars
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.actions import deadlines
from kefu.workforce.actions import leave as actions
from kefu.workforce.models import LeaveState, Rota, RotaShift, RotaState
from kefu.workforce.queries import availability
from kefu.workforce.queries import leave as queries


def ask(act, who="zhaomin", start=date(2026, 3, 4), end=date(2026, 3, 5), **kw):
    kw.setdefault("reason", "家中有事")
    kw.setdefault("arrangement", "在办工单交孙丽")
    return actions.request(act(who), starts_on=start, ends_on=end, **kw)


def approvers(leave):
    step = workflow.pending_approval(leave).steps.get(status=workflow.StepStatus.PENDING)
    return {u.username for u in step.approvers.all()}, step


def test_request_needs_time_reason_arrangement_in_advance(demo, act, frozen):  # LV-1
    with pytest.raises(Invalid) as refused:
        ask(act, reason=" ")
    assert refused.value.code == "leave_reason_required"
    with pytest.raises(Invalid) as refused:
        ask(act, arrangement="")
    assert refused.value.code == "leave_arrangement_required"
    with pytest.raises(Invalid) as refused:
        ask(act, start=date(2026, 3, 2), end=date(2026, 3, 2))
    assert refused.value.code == "leave_not_in_advance"
    leave = ask(act, substitute=demo["sunli"].pk)
    assert leave.state == LeaveState.PENDING and leave.substitute == demo["sunli"] and leave.days == 2


def test_approver_by_duration_and_post(demo, act, frozen):  # LV-3
    two = ask(act, kind="leave", start=date(2026, 3, 4), end=date(2026, 3, 5))
    assert approvers(two)[0] == {"lina"}  # ≤ 2 days: the department manager (her supervisor)
    half = ask(act, kind="leave", start=date(2026, 3, 9), end=date(2026, 3, 11), half_day=True)
    assert half.days == Decimal("2.5") and approvers(half)[0] == {"wangfang"}  # 2.5 days: the superior
    three = ask(act, kind="leave", start=date(2026, 3, 16), end=date(2026, 3, 18))
    assert approvers(three)[0] == {"wangfang"}  # ≥ 3 days: the manager's superior
    own = ask(act, who="lina", kind="leave", start=date(2026, 3, 4), end=date(2026, 3, 4))
    assert approvers(own)[0] == {"wangfang"}  # a manager's own leave: her superior


def test_approval_within_one_working_day_then_escalated(demo, act, frozen):  # LV-2
    leave = ask(act)
    _, step = approvers(leave)
    (timer,) = workflow.clocks(step)
    assert timer.due_at == calendars.add_working_days("office", frozen, 1)
    clock.advance(timedelta(days=2))
    deadlines.sweep()
    timer.refresh_from_db()
    assert timer.breached_at is not None  # late: the approvers and their superiors are told (WF-4)


def test_paid_rest_quota_and_working_days(demo, act, frozen):  # LV-4
    quota = queries.quota(demo["zhaomin"], date(2026, 3, 4))
    assert (quota.left_quarter, quota.left_year) == (1, 5)
    with pytest.raises(Invalid) as refused:
        ask(act, start=date(2026, 3, 7), end=date(2026, 3, 8))  # a weekend: no working day
    assert refused.value.code == "leave_rest_on_working_days"
    two = ask(act, start=date(2026, 3, 4), end=date(2026, 3, 5))  # Wed + Thu: one paid, one unpaid
    assert (two.days, two.paid_days) == (2, 1)
    assert queries.quota(demo["zhaomin"], date(2026, 3, 4)).left_quarter == 0
    later = ask(act, start=date(2026, 3, 11), end=date(2026, 3, 11))
    assert later.paid_days == 0  # the quarter's paid day is taken
    april = ask(act, start=date(2026, 4, 8), end=date(2026, 4, 8))
    assert april.paid_days == 1  # the next quarter has its own day


def test_statutory_holiday_rest_a_month_ahead(demo, act, frozen):  # LV-4
    ask(act, start=date(2026, 4, 30), end=date(2026, 5, 1))  # May Day, asked two months ahead: fine
    clock.advance(timedelta(days=50))  # 2026-04-21: less than a month before the National Day rest
    with pytest.raises(Invalid) as refused:
        ask(act, who="sunli", start=date(2026, 4, 30), end=date(2026, 5, 1))
    assert refused.value.code == "leave_holiday_notice"


def test_rota_and_leave_decide_availability(demo, act, groups, new_case, frozen):  # LV-5, WFM-1
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    assert routing.is_available(zhaomin)
    rota = Rota.objects.create(
        unit=zhaomin.unit,
        starts_on=date(2026, 3, 2),
        ends_on=date(2026, 3, 8),
        state=RotaState.PUBLISHED,
        created_at=frozen,
    )
    RotaShift.objects.create(
        rota=rota, employee=sunli, starts_at=frozen - timedelta(hours=2), ends_at=frozen + timedelta(hours=6)
    )
    assert not routing.is_available(zhaomin) and routing.is_available(
        sunli
    )  # published rota: she is off shift
    (why,) = [w for w in availability.of_people(type(zhaomin).objects.filter(pk=zhaomin.pk))]
    assert why.off_shift and not why.on_leave and "不在班" in why.reason_zh
    assert new_case().owner == sunli
    rota.state = RotaState.DRAFT
    rota.save()
    assert routing.is_available(zhaomin)  # a draft rota says nothing


def test_approved_leave_takes_her_out_of_routing_and_hands_work_over(
    demo, act, groups, new_case, frozen
):  # LV-5
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    mine = new_case()
    assert mine.owner == zhaomin
    clocks_before = list(workflow.clocks(mine).values_list("pk", "state", "due_at"))
    leave = ask(act, start=date(2026, 3, 3), end=date(2026, 3, 4), kind="leave", substitute=sunli.pk)
    clock.advance(timedelta(hours=8))  # 18:00: the leave starts within the lead time (leave.handover_ahead)
    leave = actions.decide(act("lina"), leave, "approve")
    assert leave.state == LeaveState.APPROVED
    # she starts tomorrow: within the lead time, her case moved at once to the substitute, clocks kept
    mine.refresh_from_db()
    assert mine.owner == sunli and leave.__class__.objects.get(pk=leave.pk).handed_over_at is not None
    assert Transfer.objects.filter(case=mine, from_owner=zhaomin, to_owner=sunli).exists()
    assert list(workflow.clocks(mine).values_list("pk", "state", "due_at")) == clocks_before
    assert actions.hand_over(leave) is False  # once
    during = datetime.combine(date(2026, 3, 3), time(10), tzinfo=clock.zone())
    assert routing.is_available(zhaomin) and not routing.is_available(zhaomin, during)
    clock.freeze(during)
    assert {new_case().owner for _ in range(2)} == {sunli}  # cases created during the leave go elsewhere


def test_hand_over_reaches_a_substitute_who_is_off_shift_now(
    demo, act, groups, new_case, shift, frozen
):  # LV-5, ROUTE-1
    sunli = demo["sunli"]
    mine = new_case()
    shift("sunli", frozen - timedelta(hours=2), hours=4)  # a published rota: 孙丽 is off shift from 12:00
    leave = ask(act, start=date(2026, 3, 3), end=date(2026, 3, 4), kind="leave", substitute=sunli.pk)
    clock.advance(timedelta(hours=8))  # 18:00, approved the evening before: 孙丽 is not at her post
    assert not routing.is_available(sunli)
    actions.decide(act("lina"), leave, "approve")
    mine.refresh_from_db()
    assert mine.owner == sunli  # planned cover, taken on her next shift — not refused as "不可接单"
    away = ask(act, who="sunli", start=date(2026, 3, 10), end=date(2026, 3, 10), kind="leave")
    actions.decide(act("lina"), away, "approve")
    assert not routing.can_take_planned(
        sunli, datetime.combine(date(2026, 3, 10), time(9), tzinfo=clock.zone())
    )


def test_sweep_hands_over_before_the_start(demo, act, groups, new_case, frozen):  # LV-5
    mine = new_case()
    leave = ask(act, start=date(2026, 3, 10), end=date(2026, 3, 10), kind="leave")
    leave = actions.decide(act("lina"), leave, "approve")
    assert actions.hand_over_due() == 0 and leave.handed_over_at is None  # a week ahead: not yet
    clock.freeze(datetime.combine(date(2026, 3, 9), time(16), tzinfo=clock.zone()))
    actions.hand_over_due()
    mine.refresh_from_db()
    assert mine.owner == demo["sunli"]  # no substitute: the least-loaded colleague free during the leave


def test_unreported_rest_is_a_bonus_deduction_proposal(demo, act, frozen):  # LV-6, DIS-1
    proposal = actions.unreported_rest(act("lina"), demo["zhaomin"], date(2026, 3, 2))
    assert proposal.measure == "bonus_deduction" and proposal.status == "proposed"
    assert "扣除当月奖金" in proposal.clause and proposal.rule == "LV-6"
    leave = ask(act, start=date(2026, 3, 4), end=date(2026, 3, 4), kind="leave")
    actions.decide(act("lina"), leave, "approve")
    with pytest.raises(Invalid):
        actions.unreported_rest(act("lina"), demo["zhaomin"], date(2026, 3, 4))


def test_late_approval_that_caused_an_error_is_the_approvers_liability(
    demo, act, groups, new_case, frozen
):  # LV-6
    mine = new_case()
    leave = ask(act, start=date(2026, 3, 3), end=date(2026, 3, 6), kind="leave")  # 4 days: 王芳 approves
    clock.freeze(datetime.combine(date(2026, 3, 6), time(10), tzinfo=clock.zone()))
    deadlines.sweep()  # her approval step and her case's first-response clock are both late now
    assert workflow.clocks(mine).filter(breached_at__gt=leave.starts_at).exists()
    actions.decide(act("wangfang"), leave, "approve")
    (proposal,) = PenaltyProposal.objects.filter(offence="late_leave_approval")
    assert proposal.employee == demo["wangfang"] and proposal.measure == "liability"


def test_request_reads_are_scoped(demo, act, frozen):  # LV-1
    leave = ask(act)
    assert queries.request(act("zhaomin"), leave.pk) == leave
    assert queries.request(act("lina"), leave.pk) == leave
    with pytest.raises(NotFound):
        queries.request(act("lvxin"), leave.pk)
    with pytest.raises(NotFound):
        actions.decide(act("sunli"), leave, "approve")


def test_request_statements(demo, act, frozen, django_assert_max_num_queries):  # LV-1 write path
    ask(act, start=date(2026, 3, 4), end=date(2026, 3, 4))
    with django_assert_max_num_queries(60):
        ask(act, kind="leave", start=date(2026, 3, 10), end=date(2026, 3, 11))


def test_lv5_the_substitute_covers_her_published_shifts_where_rest_allows(
    demo, act, groups, new_case, frozen, shift
):  # LV-5, WFM-1
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    at = lambda day, hour: datetime.combine(date(2026, 3, day), time(hour), tzinfo=clock.zone())  # noqa: E731
    tuesday = shift("zhaomin", at(3, 8))  # 早班 08:00–16:00 on both days of her leave
    wednesday = shift("zhaomin", at(4, 8))
    shift("sunli", at(4, 3), hours=4)  # 孙丽's own 03:00–07:00 on Wednesday: 1 hour's rest before 08:00
    leave = ask(act, start=date(2026, 3, 3), end=date(2026, 3, 4), kind="leave", substitute=sunli.pk)
    clock.advance(timedelta(hours=8))  # 18:00 the evening before: approved and handed over at once
    actions.decide(act("lina"), leave, "approve")
    tuesday.refresh_from_db()
    wednesday.refresh_from_db()
    assert tuesday.employee == sunli  # 代班: her Tuesday shift is 孙丽's now
    assert wednesday.employee == zhaomin  # 孙丽 cannot take it: it stays open and 李娜 is told
    covered = Notification.objects.get(template="workforce.shift_cover")
    assert covered.recipient == sunli.user and "03-03 08:00" in covered.body
    gap = Notification.objects.get(template="workforce.shift_uncovered")
    assert gap.recipient.username == "lina" and "03-04 08:00" in gap.body
    assert AuditEvent.objects.filter(action="workforce.shift.cover", object_id=str(tuesday.pk)).exists()
    clock.freeze(at(3, 10))
    assert new_case().owner == sunli  # during the leave the case goes to 孙丽, on shift in her place
    clock.freeze(at(4, 10))
    assert new_case().owner is None  # nobody of the group on shift: it waits in the team queue
