"""Service commitments of issue 18: the expected time told to the customer is a clock (CASE-8), a late
acknowledgement of a 报备 goes up once (CASE-8), phone answered within the rings (SLA-1), a major
quality problem told to the office supervisor in time (SLA-1), a major customer's case goes to the
owner's superior on receipt (ESC-1)."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from kefu.cases.actions import calls as actions_calls
from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.actions import notices as actions_notices
from kefu.cases.models import CallSource, Comment, HandoffState
from kefu.cases.queries import calls as call_queries
from kefu.cases.queries import notices as notice_queries
from kefu.cases.queries import public as public_queries
from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.customers.models import Customer, Tier
from kefu.customers.queries.archive import may_view
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.actions import deadlines
from kefu.org.models import Unit


@pytest.fixture
def tech():
    return Unit.objects.get(code="water-tech")


def _expected(case, states=None):
    return list(workflow.clocks(case, names=("expected",), states=states))


def _promise_escalations(case):
    return [e for e in workflow.escalations(case) if e.reason.startswith("告知客户的预计处理时间")]


def _deferred(water_case, tech, act, at):
    handoff = actions_handoffs.send(act("lvxin"), water_case, tech, "客户水压不足，请技术部排查管网")
    handoff = actions_handoffs.acknowledge(act("xuhao"), handoff)
    return actions_handoffs.defer(act("xuhao"), handoff, "需更换加压泵，配件在途", at)


# ── CASE-8: the expected time told to the customer is a clock ───────────────────────────────────
def test_case8_expected_time_is_a_clock_missed_once_escalated_and_the_new_time_told(
    water_case, tech, act, demo
):  # CASE-8
    promised = clock.now() + timedelta(hours=2)
    handoff = _deferred(water_case, tech, act, promised)
    [timer] = _expected(water_case)
    assert timer.state == "running" and timer.due_at == promised  # 本系统默认值: no grace
    assert "expected" in [e.name for e in public_queries.expected_times(water_case)]  # the customer sees it
    assert any(d.rule == "CASE-8" and "告知客户的预计处理时间" in d.outcome for d in for_object(water_case))

    clock.advance(timedelta(hours=2, minutes=1))
    deadlines.sweep()
    clock.advance(timedelta(minutes=30))
    deadlines.sweep()  # a second sweep changes nothing: recorded once, escalated once
    missed = [d for d in for_object(water_case) if d.rule == "CASE-8" and "超时" in d.outcome]
    assert len(missed) == 1
    [escalation] = _promise_escalations(water_case)
    assert escalation.level == 1 and escalation.automatic  # the owner's supervisor
    raised = Notification.objects.filter(template="escalation.raised", recipient=demo["gaofeng"].user)
    assert raised.count() == 1  # 吕欣's supervisor
    assert Notification.objects.filter(template="timer.breach", recipient=demo["lvxin"].user).exists()
    assert _expected(water_case)[0].state == "breached"

    # the department gives a new time: the customer is told it through the case's reply path
    new_time = clock.now() + timedelta(days=1)
    handoff = actions_handoffs.defer(act("xuhao"), handoff, "厂家发货延期", new_time)
    assert handoff.state == HandoffState.DEFERRED
    told = list(Comment.objects.filter(case=water_case, public=True).order_by("at", "pk"))
    assert len(told) == 2
    assert "新的预计处理时间" in told[-1].body and "厂家发货延期" in told[-1].body
    assert clock.local(new_time).strftime("%Y-%m-%d %H:%M") in told[-1].body
    [running] = _expected(water_case, states=("running",))
    assert running.due_at == new_time

    actions_handoffs.solve(act("xuhao"), handoff, "已更换加压泵")
    assert not _expected(water_case, states=("running",))  # kept: the clock stops
    assert _expected(water_case)[-1].state == "done"


def test_case8_expected_time_kept_does_not_breach(water_case, tech, act):  # CASE-8
    handoff = _deferred(water_case, tech, act, clock.now() + timedelta(hours=5))
    actions_handoffs.solve(act("xuhao"), handoff, "已处理")
    clock.advance(timedelta(days=1))
    deadlines.sweep()
    assert not _promise_escalations(water_case)
    assert not [d for d in for_object(water_case) if d.rule == "CASE-8" and "超时" in d.outcome]


def test_case8_case_page_shows_the_expected_time_clock(water_case, tech, act, demo):  # CASE-8
    _deferred(water_case, tech, act, clock.now() + timedelta(days=2))
    client = Client()
    client.force_login(demo["lvxin"].user)
    page = client.get(f"/cases/{water_case.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="clock-expected"' in html and "告知客户的预计处理时间" in html


def test_case8_late_acknowledgement_escalates_to_the_receiving_head_once(
    water_case, tech, act, demo
):  # CASE-8
    handoff = actions_handoffs.send(act("lvxin"), water_case, tech, "请排查")
    clock.advance(timedelta(hours=6))  # 4 business hours from Monday 10:00
    deadlines.sweep()
    clock.advance(timedelta(days=2))
    deadlines.sweep()
    [escalation] = list(workflow.escalations(handoff))
    assert escalation.chain == "handoff" and escalation.level_name == "department_head"
    # 技术支持部 is 徐浩 alone, the one who was late: its head's superior, 高峰, is told
    raised = Notification.objects.filter(
        template="escalation.raised",
        recipient=demo["gaofeng"].user,
        target_type=ContentType.objects.get_for_model(handoff),
        target_id=str(handoff.pk),
    )
    assert raised.count() == 1
    assert [d.rule for d in for_object(handoff) if "超时" in d.outcome] == ["CASE-8"]


# ── SLA-1: phone answered within 3 rings ─────────────────────────────────────────────────────────
def test_sla1_agent_records_the_rings_at_first_response_once(new_case, act):  # SLA-1
    case = new_case()
    owner = act(case.owner.user.username)
    with pytest.raises(PermissionDenied):
        actions_calls.record_rings(act("lvxin"), case, 2)  # not the case's owner nor its supervisor
    row = actions_calls.record_rings(owner, case, 2)
    assert row.within and row.source == CallSource.AGENT and row.policy_version
    assert any(d.rule == "SLA-1" and "达标" in d.outcome for d in for_object(case))
    with pytest.raises(Conflict):
        actions_calls.record_rings(owner, case, 1)  # once per case
    late = new_case(title="咨询车位")
    row = actions_calls.record_rings(act(late.owner.user.username), late, 4)
    assert not row.within
    assert any(d.rule == "SLA-1" and "未达标" in d.outcome for d in for_object(late))
    day = clock.now() - timedelta(hours=1), clock.now() + timedelta(hours=1)
    assert call_queries.summary(act("lina"), *day) == {"calls": 2, "within": 1, "breaches": 1}
    with pytest.raises(Invalid):
        actions_calls.record_rings(owner, new_case(channel="web", title="网页咨询"), 1)  # not a phone case
    with pytest.raises(Invalid):
        actions_calls.record_rings(act(late.owner.user.username), new_case(title="再次咨询"), -1)


def test_sla1_call_log_import_is_the_record_where_it_exists(new_case, act, demo):  # SLA-1
    case = new_case()
    owner = act(case.owner.user.username)
    actions_calls.record_rings(owner, case, 1)
    rang = clock.now()
    rows = [
        {
            "case": case,
            "call_id": "PBX-1",
            "rang_at": rang,
            "answered_at": rang + timedelta(seconds=25),
            "rings": 5,
        },
        {"case": case, "call_id": "PBX-2", "rang_at": rang, "answered_at": None, "rings": 9},
    ]
    assert actions_calls.import_log(act("lina"), rows) == {"imported": 2, "skipped": 0, "breaches": 2}
    assert actions_calls.import_log(act("lina"), rows)["skipped"] == 2  # a call is imported once
    day = rang - timedelta(hours=1), rang + timedelta(hours=1)
    # the log is the record: the agent's own count of this case no longer counts
    assert call_queries.summary(act("lina"), *day) == {"calls": 2, "within": 0, "breaches": 2}
    other = new_case(title="咨询物业费")
    actions_calls.import_log(act("lina"), [{**rows[0], "case": other, "call_id": "PBX-3", "rings": 3}])
    with pytest.raises(Conflict):
        actions_calls.record_rings(act(other.owner.user.username), other, 1)  # the log has its call
    with pytest.raises(PermissionDenied):
        actions_calls.import_log(act("lvxin"), [{**rows[0], "call_id": "PBX-4"}])  # not in scope


def test_sla1_calls_api(new_case, demo):  # SLA-1, API
    case = new_case()
    owner = Client()
    auth = bearer(case.owner.user)
    made = owner.post(f"/api/v1/cases/{case.pk}/rings", {"rings": 3}, content_type="application/json", **auth)
    assert made.status_code == 201, made.content
    assert made.json()["within"] is True and made.json()["source"] == "agent"
    lina = bearer(demo["lina"].user)
    body = {
        "calls": [
            {
                "case_number": case.number,
                "call_id": "PBX-9",
                "rang_at": "2026-03-02T09:59:00",
                "answered_at": "2026-03-02T10:00:00",
                "rings": 6,
                "agent_number": "RE0003",
            }
        ]
    }
    imported = owner.post("/api/v1/cases/calls/import", body, content_type="application/json", **lina)
    assert imported.status_code == 200, imported.content
    assert imported.json() == {"imported": 1, "skipped": 0, "breaches": 1}
    listed = owner.get(f"/api/v1/cases/{case.pk}/calls", **lina).json()
    assert [c["source"] for c in listed] == ["agent", "log"] or [c["source"] for c in listed] == [
        "log",
        "agent",
    ]
    summary = owner.get("/api/v1/cases/calls/summary", {"start": "2026-03-02", "end": "2026-03-02"}, **lina)
    assert summary.json() == {"calls": 1, "within": 0, "breaches": 1}
    unknown = dict(body, calls=[dict(body["calls"][0], case_number="KF-NOPE")])
    refused = owner.post("/api/v1/cases/calls/import", unknown, content_type="application/json", **lina)
    assert refused.status_code == 404


# ── SLA-1: a major quality problem → the office supervisor within 30 minutes ────────────────────
def test_sla1_major_quality_problem_office_supervisor_told_in_time(new_case, act, demo, frozen):  # SLA-1
    case = new_case(kind="complaint", major=True, title="重大质量问题：外墙大面积渗水")
    timer = notice_queries.pending_notice(case)
    assert timer is not None and timer.due_at == frozen + timedelta(minutes=30)
    assert "quality_notice" not in [e.name for e in public_queries.expected_times(case)]  # internal
    assert notice_queries.pending_notice(new_case(kind="complaint", title="一般投诉")) is None
    owner = act(case.owner.user.username)
    with pytest.raises(PermissionDenied):
        actions_notices.notify_office(act("lvxin"), case)
    told = actions_notices.notify_office(owner, case, "外墙渗水，涉及 3 户")
    assert demo["lina"].user in told  # the 客服主管 stands for the 办公室主管
    assert Notification.objects.filter(template="cases.quality_notice", recipient=demo["lina"].user).exists()
    assert notice_queries.pending_notice(case) is None
    assert workflow.clocks(case, names=("quality_notice",))[0].state == "done"
    assert any(d.rule == "SLA-1" and "在时限内通知" in d.outcome for d in for_object(case))
    with pytest.raises(Conflict):
        actions_notices.notify_office(owner, case)


def test_sla1_major_quality_notice_missed_is_recorded_and_escalated(new_case, act, demo):  # SLA-1, ESC-1
    case = new_case(kind="complaint", major=True, title="重大质量问题：电梯困人")
    before = workflow.current_level(case, "case")
    clock.advance(timedelta(minutes=31))
    deadlines.sweep()
    missed = [d for d in for_object(case) if d.rule == "SLA-1" and "超时" in d.outcome]
    assert len(missed) == 1 and "通知办公室主管" in missed[0].outcome
    assert workflow.current_level(case, "case") == before + 1
    actions_notices.notify_office(act(case.owner.user.username), case)
    assert any("超时后通知" in d.outcome for d in for_object(case))
    assert notice_queries.pending_notice(case) is None  # told (late): nothing more to tell
    with pytest.raises(Conflict):
        actions_notices.notify_office(act(case.owner.user.username), case)


def test_sla1_quality_notice_api(new_case, demo):  # SLA-1, API
    case = new_case(kind="complaint", major=True, title="重大质量问题：屋面漏水")
    client = Client()
    done = client.post(
        f"/api/v1/cases/{case.pk}/quality-notice",
        {"note": "屋面漏水"},
        content_type="application/json",
        **bearer(case.owner.user),
    )
    assert done.status_code == 200, done.content
    assert "李娜" in done.json()["notified"]
    again = client.post(
        f"/api/v1/cases/{case.pk}/quality-notice",
        {},
        content_type="application/json",
        **bearer(case.owner.user),
    )
    assert again.status_code == 409


def test_sla1_panel_on_the_case_page(new_case, demo):  # SLA-1
    case = new_case(kind="complaint", major=True, title="重大质量问题：地下室进水")
    client = Client()
    client.force_login(case.owner.user)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="quality-notice-form"' in html and 'id="rings-form"' in html
    assert client.post(f"/cases/{case.pk}/rings/", {"rings": "x"}).status_code == 400
    assert client.post(f"/cases/{case.pk}/rings/", {"rings": "2"}).status_code == 302
    assert client.post(f"/cases/{case.pk}/quality-notice/", {"note": "已核实"}).status_code == 302
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="quality-notice-form"' not in html and 'id="rings-form"' not in html
    assert "响铃 2 声后接听" in html


# ── ESC-1: a major customer's case goes to the superior ─────────────────────────────────────────
def test_esc1_major_customer_case_goes_to_the_owners_superior_on_receipt(new_case, act, demo):  # ESC-1
    zhaomin = act("zhaomin")
    mine = [c for c in Customer.objects.order_by("pk") if may_view(zhaomin, c)]
    major, ordinary = mine[0], mine[1]
    Customer.objects.filter(pk=major.pk).update(tier=Tier.STRATEGIC)  # a 重大客户 (CUS-2 战略)
    Customer.objects.filter(pk=ordinary.pk).update(tier=Tier.NORMAL)
    major.refresh_from_db()
    ordinary.refresh_from_db()
    case = new_case(customer=major, title="战略客户咨询合同条款")
    [escalation] = list(workflow.escalations(case))
    assert escalation.level == 1
    [decision] = [d for d in for_object(case) if d.rule == "ESC-1"]
    assert decision.clause == "对重大客户转交上级领导处理" and "重大客户" in decision.outcome
    supervisor = case.owner.supervisors.first()
    assert Notification.objects.filter(template="escalation.raised", recipient=supervisor.user).exists()
    plain = new_case(customer=ordinary, title="普通客户咨询")
    assert not list(workflow.escalations(plain))
