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


def test_swap_approved_by_the_team_lead(published, act, demo):  # WFM-1
    zhaomin, sunli = demo["zhaomin"], demo["sunli"]
    mine = RotaShift.objects.filter(rota=published, employee=zhaomin).order_by("starts_at").first()
    theirs = (
        RotaShift.objects.filter(
            rota=published, employee=sunli, starts_at__date=mine.starts_at.date()
        ).first()
        or RotaShift.objects.filter(rota=published, employee=sunli).first()
    )
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


def test_emergency_call_in(published, act, demo):  # WFM-1
    clock.freeze(clock.local().replace(year=2026, month=3, day=10, hour=9, minute=0))
    start = clock.now() + timedelta(minutes=30)
    busy = RotaShift.objects.filter(rota=published, starts_at__lte=start, ends_at__gt=start)
    free = next(e for e in ("lina", "zhaomin", "sunli") if not busy.filter(employee=demo[e]).exists())
    shift = rotas.call_in(act("chenjie"), demo[free], start, start + timedelta(hours=4), reason="来电高峰")
    assert shift.called_in and shift.rota_id == published.pk
    note = Notification.objects.get(template="workforce.call_in")
    assert note.recipient == demo[free].user and "来电高峰" in note.body
    with pytest.raises(Conflict):  # already on shift then
        rotas.call_in(act("chenjie"), demo[free], start, start + timedelta(hours=1), reason="再次")
    with pytest.raises(PermissionDenied):
        rotas.call_in(act("zhaomin"), demo["sunli"], start, start + timedelta(hours=1), reason="x")
