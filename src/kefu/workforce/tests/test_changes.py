"""WFM-1: swap and change requests approved by the 排班管理员 or the team lead; emergency call-in."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.notifications.models import Notification
from kefu.workforce.actions import changes, rotas
from kefu.workforce.models import ChangeState, RotaShift
from kefu.workforce.tests.conftest import NEXT_MONDAY, NEXT_SUNDAY


@pytest.fixture
def published(hotline, act):
    chenjie = act("chenjie")
    rota = rotas.draft(chenjie, hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    for _ in range(3):
        rota = rotas.advance(chenjie, rota)
    return rota


def test_swap_approved_by_the_team_lead(hotline, shift, act, demo):  # WFM-1
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    wednesday = clock.now().replace(hour=8, minute=0) + timedelta(days=2)
    mine = shift("zhaomin", wednesday)  # her 早班 on Wednesday for 孙丽's on Thursday
    theirs = shift("sunli", wednesday + timedelta(days=1))
    with pytest.raises(NotFound):  # not her shift
        changes.request(act("sunli"), mine, zhaomin, reason="家中有事")
    with pytest.raises(Invalid):
        changes.request(act("zhaomin"), mine, sunli, reason="")
    change = changes.request(act("zhaomin"), mine, sunli, reason="家中有事", their_shift=theirs)
    with pytest.raises(PermissionDenied):
        changes.decide(act("sunli"), change, approve=True)
    change = changes.decide(act("lina"), change, approve=True)  # 李娜, the team lead
    assert change.state == ChangeState.APPROVED
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.employee_id == sunli.pk and theirs.employee_id == zhaomin.pk
    assert AuditEvent.objects.filter(action="workforce.change.approve", object_id=str(change.pk)).exists()
    told = Notification.objects.filter(template="workforce.shift_change")
    assert {n.recipient.username for n in told} == {"zhaomin", "sunli"}
    with pytest.raises(Conflict):
        changes.decide(act("chenjie"), change, approve=False)


def test_handoff_rejected_leaves_the_rota(published, act, demo):  # WFM-1
    mine = RotaShift.objects.filter(rota=published, employee=demo["zhaomin"]).first()
    change = changes.request(act("zhaomin"), mine, demo["sunli"], reason="调休")
    change = changes.decide(act("chenjie"), change, approve=False)
    assert change.state == ChangeState.REJECTED
    mine.refresh_from_db()
    assert mine.employee_id == demo["zhaomin"].pk


def test_emergency_call_in(hotline, shift, act, demo):  # WFM-1
    clock.freeze(clock.local().replace(year=2026, month=3, day=10, hour=9, minute=0))
    start = clock.now() + timedelta(minutes=30)
    published = shift("sunli", start - timedelta(hours=1)).rota  # 孙丽 is on; 赵敏 is called in
    free = "zhaomin"
    shift = rotas.call_in(act("chenjie"), demo[free], start, start + timedelta(hours=4), reason="来电高峰")
    assert shift.called_in and shift.rota_id == published.pk
    note = Notification.objects.get(template="workforce.call_in")
    assert note.recipient == demo[free].user and "来电高峰" in note.body
    with pytest.raises(Conflict):  # already on shift then
        rotas.call_in(act("chenjie"), demo[free], start, start + timedelta(hours=1), reason="再次")
    with pytest.raises(PermissionDenied):
        rotas.call_in(act("zhaomin"), demo["sunli"], start, start + timedelta(hours=1), reason="x")


def test_wfm1_call_in_keeps_the_minimum_rest(hotline, shift, act, demo):  # WFM-1
    zhaomin = demo["zhaomin"]
    last = shift("zhaomin", clock.now().replace(hour=8, minute=0) + timedelta(days=2))  # Wed 08–16
    after = last.ends_at + timedelta(hours=2)  # 2 hours after her shift ends: less than 11 hours' rest
    with pytest.raises(Conflict) as refused:
        rotas.call_in(act("chenjie"), zhaomin, after, after + timedelta(hours=4), reason="来电高峰")
    assert refused.value.code == "workforce_rest_between_shifts" and "休息" in refused.value.zh
    later = last.ends_at + timedelta(hours=12)
    assert rotas.call_in(act("chenjie"), zhaomin, later, later + timedelta(hours=4), reason="来电高峰")


def test_wfm1_swap_refused_when_it_leaves_too_little_rest(hotline, shift, act, demo):  # WFM-1
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    day = clock.now().replace(hour=8, minute=0) + timedelta(days=2)
    mine = shift("zhaomin", day)  # 08:00–16:00
    shift("sunli", day - timedelta(hours=8))  # 00:00–08:00 the same day: no rest before 08:00
    change = changes.request(act("zhaomin"), mine, sunli, reason="家中有事")
    with pytest.raises(Conflict) as refused:
        changes.decide(act("lina"), change, approve=True)
    assert refused.value.code == "workforce_rest_between_shifts"
    change.refresh_from_db()
    mine.refresh_from_db()
    assert change.state == ChangeState.PENDING and mine.employee_id == zhaomin.pk  # nothing half-written
    late = shift("zhaomin", day + timedelta(days=1, hours=10))  # 18:00 next day: she gives it to 孙丽
    change = changes.decide(
        act("lina"), changes.request(act("zhaomin"), late, sunli, reason="调休"), approve=True
    )
    late.refresh_from_db()
    assert change.state == ChangeState.APPROVED and late.employee_id == sunli.pk
