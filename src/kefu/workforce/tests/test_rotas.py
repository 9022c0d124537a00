"""WFM-1: the rota's lifecycle — drafted by the solver, feedback round, final, published with each
person notified; gaps need a confirmation before publishing; scope and permissions."""

import itertools
from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent, Decision
from kefu.engine.notifications.models import Notification
from kefu.workforce.actions import leave as leave_actions
from kefu.workforce.actions import rotas
from kefu.workforce.models import RotaShift, RotaState
from kefu.workforce.queries import rotas as queries
from kefu.workforce.tests.conftest import NEXT_MONDAY, NEXT_SUNDAY

TEAM = ("lina", "zhaomin", "sunli")


def test_draft_covers_the_week_and_respects_rest(hotline, act, demo):  # WFM-1
    rota = rotas.draft(act("chenjie"), hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    assert rota.state == RotaState.DRAFT and rota.gaps == []
    shifts = list(rota.shifts.order_by("employee_id", "starts_at"))
    assert len(shifts) == 21  # 3 shifts × 7 days, one person each
    assert {s.employee.user.username for s in shifts} == set(TEAM)
    night = next(s for s in shifts if s.template.code == "middle")
    assert night.ends_at - night.starts_at == timedelta(hours=8)  # 16:00 → 00:00 the next day
    for a, b in itertools.pairwise(shifts):
        if a.employee_id == b.employee_id:
            assert b.starts_at - a.ends_at >= timedelta(hours=11)
    decision = Decision.objects.get(rule="WFM-1", object_id=str(rota.pk))
    assert decision.outcome == rotas.DRAFTED and decision.inputs["missing_staff"] == 0
    assert AuditEvent.objects.filter(action="workforce.rota.draft", object_id=str(rota.pk)).exists()


def test_lifecycle_feedback_final_published(hotline, act, demo):  # WFM-1
    chenjie = act("chenjie")
    rota = rotas.draft(chenjie, hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    with pytest.raises(Conflict):
        rotas.comment(act("zhaomin"), rota, "周三想上早班")  # not yet open for feedback
    rota = rotas.advance(chenjie, rota)
    assert rota.state == RotaState.FEEDBACK
    assert Notification.objects.filter(template="workforce.rota_feedback").count() == 3
    rotas.comment(act("zhaomin"), rota, "周三想上早班")
    assert [c.text for c in queries.comments(rota)] == ["周三想上早班"]
    rota = rotas.advance(chenjie, rota)
    assert rota.state == RotaState.FINAL
    assert not queries.my_shifts(act("zhaomin")).exists()  # not published: nobody is on shift yet
    rota = rotas.advance(chenjie, rota)
    assert rota.state == RotaState.PUBLISHED and rota.published_at == clock.now()
    told = Notification.objects.filter(template="workforce.rota_published")
    assert {n.recipient.username for n in told} == set(TEAM)
    assert queries.my_shifts(act("zhaomin")).count() == 7
    with pytest.raises(Conflict):
        rotas.advance(chenjie, rota)


def test_leave_respected_and_gaps_need_confirmation(hotline, act, demo):  # WFM-1
    chenjie = act("chenjie")
    off = {demo["zhaomin"].pk: {NEXT_MONDAY, NEXT_MONDAY + timedelta(days=1)}}
    rota = rotas.draft(chenjie, hotline, NEXT_MONDAY, NEXT_SUNDAY, unavailable=off, time_limit=10)
    assert not rota.shifts.filter(employee=demo["zhaomin"], starts_at__date__lte=NEXT_MONDAY).exists()
    mine = [clock.local(s.starts_at).date() for s in rota.shifts.filter(employee=demo["zhaomin"])]
    assert not set(mine) & off[demo["zhaomin"].pk]
    assert sum(g["missing"] for g in rota.gaps) == 2  # two people cannot hold three shifts a day
    assert Decision.objects.get(object_id=str(rota.pk), rule="WFM-1").outcome == rotas.DRAFTED_WITH_GAPS
    rota = rotas.advance(chenjie, rotas.advance(chenjie, rota))
    with pytest.raises(Conflict) as refused:
        rotas.advance(chenjie, rota)
    assert refused.value.code == "workforce_rota_gaps"
    rota = rotas.advance(chenjie, rota, confirm_gaps=True)
    assert rota.state == RotaState.PUBLISHED
    assert AuditEvent.objects.get(action="workforce.rota.published").after["gaps_confirmed"] is True


def test_publish_statement_guard(hotline, act, demo, django_assert_max_num_queries):  # WFM-1
    chenjie = act("chenjie")
    rota = rotas.draft(chenjie, hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    rota = rotas.advance(chenjie, rotas.advance(chenjie, rota))
    with django_assert_max_num_queries(40):
        rotas.advance(chenjie, rota)


def test_only_the_scheduler_drafts_and_scope_is_404(hotline, act, demo):  # WFM-1
    with pytest.raises(PermissionDenied):
        rotas.draft(act("zhaomin"), hotline, NEXT_MONDAY, NEXT_SUNDAY)
    with pytest.raises(NotFound):  # 华辰水务's hotline is not 陈杰's
        rotas.draft(act("chenjie"), demo["lvxin"].unit, NEXT_MONDAY, NEXT_SUNDAY)
    with pytest.raises(Invalid):
        rotas.draft(act("chenjie"), hotline, NEXT_SUNDAY, NEXT_MONDAY)
    rota = rotas.draft(act("chenjie"), hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    assert queries.rota(act("zhaomin"), rota.pk) == rota  # a team member sees the team's rota
    with pytest.raises(NotFound):
        queries.rota(act("lvxin"), rota.pk)


def test_rest_against_the_previous_rota(hotline, act, demo):  # WFM-1
    chenjie = act("chenjie")
    first = rotas.draft(chenjie, hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    rotas.advance(chenjie, rotas.advance(chenjie, rotas.advance(chenjie, first)))
    following = NEXT_SUNDAY + timedelta(days=1)
    second = rotas.draft(chenjie, hotline, following, following + timedelta(days=6), time_limit=10)
    for employee_id in {s.employee_id for s in first.shifts.all()}:
        last = RotaShift.objects.filter(rota=first, employee_id=employee_id).order_by("-ends_at").first()
        nxt = RotaShift.objects.filter(rota=second, employee_id=employee_id).order_by("starts_at").first()
        if nxt is not None:
            assert nxt.starts_at - last.ends_at >= timedelta(hours=11)


def test_approved_leave_is_kept_free_in_the_draft(hotline, act, demo):  # WFM-1, LV-5
    """The draft reads approved leave itself: 赵敏's two approved days carry no shift of hers."""
    days = {NEXT_MONDAY, NEXT_MONDAY + timedelta(days=1)}
    leave = leave_actions.request(
        act("zhaomin"),
        kind="leave",
        starts_on=NEXT_MONDAY,
        ends_on=NEXT_MONDAY + timedelta(days=1),
        reason="家中有事",
        arrangement="工作交给孙丽",
    )
    leave_actions.decide(act("lina"), leave, "approve")
    rota = rotas.draft(act("chenjie"), hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)
    mine = {clock.local(s.starts_at).date() for s in rota.shifts.filter(employee=demo["zhaomin"])}
    assert not mine & days
    assert rota.shifts.filter(employee=demo["zhaomin"]).exists()  # she works the other days
