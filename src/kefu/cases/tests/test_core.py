"""The case core: intake, routing, clocks, the closed loop, transfers, escalation."""

from datetime import timedelta

import pytest

from kefu.cases import actions, queries, sla, triggers
from kefu.cases.actions import routing as actions_routing
from kefu.cases.models import Case, CaseState, ClosureReport, Transfer
from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.models import Escalation, Timer


def test_case1_intake_numbers_routes_and_times_the_case(new_case, demo):  # CASE-1, ROUTE-1, SLA-2
    case = new_case()
    assert case.number.startswith("KF-20260302-")
    assert case.state == CaseState.ROUTED and case.owner in (demo["zhaomin"], demo["sunli"])
    clocks = {t.name: t for t in queries.intake.running_clocks(case)}
    assert set(clocks) == {"first_response", "resolution"}
    assert clocks["first_response"].policy_key == "sla.consultation_first_response"
    assert Case.objects.get(pk=case.pk).next_due_at == min(t.due_at for t in clocks.values())


def test_case2_contact_encrypted_and_linked_by_phone(new_case, demo):  # CASE-2, SEC-1
    case = new_case(contact={"name": "钱先生", "phone": "135-1234-5678", "email": "Qian@Example.com"})
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone, contact_email FROM cases_case WHERE id = %s", [case.pk])
        raw = cursor.fetchone()
    assert "13512345678" not in raw[0] and "qian@example.com" not in raw[1]
    assert Case.objects.get(pk=case.pk).contact_email == "qian@example.com"


def test_route1_load_balanced_and_never_to_the_unavailable(new_case, demo, act):  # ROUTE-1
    first = new_case()
    second = new_case()
    assert {first.owner, second.owner} == {demo["zhaomin"], demo["sunli"]}
    actions_routing.set_availability(act("lina"), demo["sunli"], available=False, note="休假")
    for _ in range(3):
        assert new_case().owner == demo["zhaomin"]
    actions_routing.set_availability(act("lina"), demo["zhaomin"], available=False, note="下班")
    queued = new_case()
    assert queued.owner is None and queued.state == CaseState.RECEIVED
    with pytest.raises(Invalid) as refused:
        actions_routing.assign(act("lina"), queued, demo["sunli"])
    assert refused.value.code == "case_owner_unavailable"


def test_sla1_email_answered_the_same_working_day(new_case):  # SLA-1
    case = new_case(channel="email", kind="suggestion", title="建议增加停车位")
    timer = queries.intake.running_clocks(case).get(name="first_response")
    assert timer.policy_key == "sla.email_first_response"
    assert clock.now() < timer.due_at <= clock.now().replace(hour=9, minute=30)  # 17:30 Shanghai


def test_sla2_most_specific_entry_wins_and_the_choice_is_recorded(new_case):  # SLA-2
    case = new_case(kind="complaint", priority="urgent", title="物业维修拖延")
    choice = sla.choose(case, "first_response")
    assert choice.key == "sla.complaint_first_response"
    assert choice.tried[0] == "sla.complaint_urgent_phone_first_response"
    from kefu.core.decisions import for_object

    assert any("sla.complaint_first_response" in d.inputs for d in for_object(case))


def test_case3_closed_loop_and_reopen_until_satisfied(new_case, act, demo):  # CASE-3
    case = new_case()
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "accept")
    assert case.first_response_at is not None
    case = actions.act(owner, case, "propose", data={"solution": "已查询交房计划"})
    case = actions.act(owner, case, "inform", data={"customer_reply": "预计 6 月交房"})
    assert case.state == CaseState.INFORMED and case.resolved_at is not None
    assert not queries.intake.running_clocks(case).exists()
    with pytest.raises(Invalid):
        actions.act(owner, case, "reopen")  # a reason is required
    case = actions.act(owner, case, "reopen", reason="客户对答复不满意")
    assert case.state == CaseState.INVESTIGATING and case.reopen_count == 1
    case = actions.act(owner, case, "answer", data={"solution": "再次核实", "customer_reply": "确认 6 月"})
    case = actions.act(owner, case, "close", data={"satisfied": True})
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    with pytest.raises(Conflict):
        actions.act(owner, case, "propose", data={"solution": "x"})


def test_case3_not_satisfied_cannot_close(new_case, act):  # CASE-3
    case = new_case()
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "answer", data={"solution": "s", "customer_reply": "r"})
    with pytest.raises(Invalid) as refused:
        actions.act(owner, case, "close", data={"satisfied": False})
    assert "直到客户满意为止" in refused.value.zh


def test_case4_complaint_needs_a_closure_report(new_case, act, demo):  # CASE-4
    case = new_case(kind="complaint", title="维修人员态度差")
    assert case.owner == demo["wujing"]
    owner = act("wujing")
    with pytest.raises(Invalid):
        actions.act(owner, case, "answer", data={"solution": "s", "customer_reply": "r"})
    for name, data in [
        ("accept", {}),
        ("propose", {"solution": "道歉并培训"}),
        ("inform", {"customer_reply": "已致歉"}),
    ]:
        case = actions.act(owner, case, name, data=data)
    with pytest.raises(Invalid) as refused:
        actions.act(owner, case, "close", data={"satisfied": True})
    assert "CASE-4" in refused.value.zh
    ClosureReport.objects.create(
        case=case,
        solution_type="apologise",
        solution="道歉",
        time_spent_minutes=90,
        preventive_measures="服务礼仪培训",
        satisfaction="satisfied",
        written_at=clock.now(),
    )
    assert actions.act(owner, case, "close", data={"satisfied": True}).state == CaseState.CLOSED


def test_case6_transfer_needs_a_reason_and_bounces_are_counted(new_case, act, demo, groups):  # CASE-6
    case = new_case()
    holder = case.owner
    with pytest.raises(Invalid):
        actions_routing.transfer(act(holder.user.username), case, reason=" ", to_owner=demo["wujing"])
    actions_routing.transfer(act(holder.user.username), case, reason="涉及投诉", to_owner=demo["wujing"])
    case.refresh_from_db()
    assert case.owner == demo["wujing"] and case.transfer_count == 1 and case.bounce_count == 0
    actions_routing.transfer(act("wujing"), case, reason="非投诉，退回热线", to_owner=holder)
    case.refresh_from_db()
    assert case.transfer_count == 2 and case.bounce_count == 1
    assert Transfer.objects.filter(case=case, bounce=True).count() == 1
    assert Notification.objects.filter(template="cases.transferred", recipient=holder.user).exists()
    counts = {r["from_unit__name"]: r for r in queries.routing.bounce_counts(act("wangfang"))}
    assert counts["投诉处理组"]["bounces"] == 1


def test_sla2_breach_escalates_level_by_level(new_case, demo):  # SLA-2, ESC-1, WF-6
    case = new_case(kind="complaint", title="漏水无人处理")
    clock.advance(timedelta(hours=3))  # complaint first response: 2 business hours
    deadlines.sweep()
    first = Escalation.objects.get(object_id=str(case.pk), chain="case", level=1)
    assert first.level_name == "supervisor" and first.automatic
    assert Notification.objects.filter(template="escalation.raised", recipient=demo["wangfang"].user).exists()
    clock.advance(timedelta(days=1))
    deadlines.sweep()
    assert Escalation.objects.filter(object_id=str(case.pk), chain="case", level=2).exists()


def test_sla2_waiting_for_the_customer_pauses_the_clocks(new_case, act):  # SLA-2, WF-3
    case = new_case()
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "accept")
    due = queries.intake.running_clocks(case).get(name="resolution").due_at
    case = actions.act(owner, case, "wait", data={"customer_reply": "请提供合同编号"})
    clock.advance(timedelta(hours=5))
    actions.customer_wrote(case, "合同编号 A-123")
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert queries.intake.running_clocks(case).get(name="resolution").due_at > due


def test_esc1_major_complaint_goes_to_the_manager_and_the_skipped_level_is_told(new_case, demo):  # ESC-1
    case = new_case(kind="complaint", major=True, title="重大质量投诉：外墙开裂")
    escalation = Escalation.objects.get(object_id=str(case.pk), chain="case")
    assert escalation.level == 2 and escalation.skipped == ["supervisor"]
    assert Notification.objects.filter(template="escalation.raised", recipient=demo["wangfang"].user).exists()
    assert Notification.objects.filter(template="escalation.skipped_level").exists()
    assert {t.name for t in queries.intake.running_clocks(case)} >= {"onsite"}  # SLA-1 24 h on site


def test_esc1_report_triggers_go_to_the_supervisor(new_case, act):  # ESC-1
    case = new_case(title="客户提到竞品报价")
    escalation = triggers.raise_trigger(act(case.owner.user.username), case, "competition", note="竞品降价")
    assert escalation.level == 1 and escalation.skipped == []


def test_scope_agent_sees_own_and_queue_only(new_case, act, demo):  # ORG-3
    case = new_case()
    other = demo["sunli"] if case.owner == demo["zhaomin"] else demo["zhaomin"]
    with pytest.raises(NotFound):
        queries.case(act(other.user.username), case.pk)
    assert queries.case(act("lina"), case.pk) == case
    with pytest.raises(NotFound):
        queries.case(act("lvxin"), case.pk)  # another subsidiary


def test_handling_needs_permission(new_case, act):
    case = new_case()
    with pytest.raises(PermissionDenied):
        actions.act(act("huanglei"), case, "accept")


def test_idempotency_key_never_creates_two(demo, act, groups, frozen):  # API contract
    kwargs = dict(unit=demo["zhaomin"].unit, kind="consultation", channel="api", title="同一请求")
    first, created = actions.create_case(
        act("zhaomin"), idempotency_key="k-1", idempotency_scope="u1", **kwargs
    )
    again, created_again = actions.create_case(
        act("zhaomin"), idempotency_key="k-1", idempotency_scope="u1", **kwargs
    )
    assert created and not created_again and again.pk == first.pk
    assert Case.objects.count() == 1


def test_case1_kind_fields_are_checked(new_case):  # CASE-1
    with pytest.raises(Invalid) as refused:
        new_case(kind="rescue", title="车辆抛锚")
    assert refused.value.fields == {"rescue_type": "required"}
    case = new_case(kind="rescue", title="车辆抛锚", extra={"rescue_type": "交通"})
    assert case.calendar == "24x7"
    assert (
        Timer.objects.get(object_id=str(case.pk), name="first_response").policy_key
        == "sla.rescue_first_response"
    )


def test_case1_kind_field_types_are_checked(new_case, demo):  # CASE-1
    from kefu.cases.models import CaseKind

    CaseKind.objects.create(
        unit=demo["zhaomin"].unit,
        code="meter",
        family="service_request",
        name="抄表",
        fields=[
            {"name": "reading", "label": "读数", "type": "number"},
            {"name": "on", "label": "日期", "type": "date"},
        ],
    )
    for bad, why in [
        ({"reading": "nan"}, "number"),
        ({"reading": True}, "number"),
        ({"on": "30/11/2026"}, "date"),
    ]:
        with pytest.raises(Invalid) as refused:
            new_case(kind="meter", title="抄表", extra=bad)
        assert refused.value.fields == {next(iter(bad)): why}
    case = new_case(kind="meter", title="抄表", extra={"reading": "12.5", "on": "2026-11-30"})
    assert case.extra == {"reading": 12.5, "on": "2026-11-30"}


def test_esc1_trigger_by_hand_through_the_api_and_the_page(new_case, demo, client):  # ESC-1
    case = new_case(title="客户称掌握公司内部报价单")
    client.force_login(case.owner.user)
    bad = client.post(
        f"/api/v1/cases/{case.pk}/escalate",
        {"reason": "x", "trigger": "gossip"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "case_trigger_unknown"
    leak = client.post(
        f"/api/v1/cases/{case.pk}/escalate",
        {"reason": "客户持有内部报价单", "trigger": "leak"},
        content_type="application/json",
    )
    assert leak.status_code == 201
    again = client.post(f"/cases/{case.pk}/escalate/", {"reason": "再次", "trigger": "leak"}, follow=True)
    assert "已在该事由要求的层级" in again.content.decode()
    major = client.post(f"/cases/{case.pk}/escalate/", {"reason": "媒体关注", "trigger": "major_problem"})
    assert major.status_code == 302
    levels = list(
        Escalation.objects.filter(object_id=str(case.pk), chain="case").values_list("level", flat=True)
    )
    assert levels == [1, 3]


def test_sla2_warning_comes_at_the_policy_share_of_the_time(new_case, demo, admin_actor):  # SLA-2, WF-2
    from kefu.engine.policy import actions as policy_actions
    from kefu.org.models import Unit

    realty = Unit.objects.get(code="hc-realty")
    policy_actions.set_override(admin_actor, realty, "sla.warn_at", 50, clock.now().date(), reason="提前预警")
    case = new_case(kind="complaint", title="投诉处理进度慢")
    timer = queries.intake.running_clocks(case).get(name="first_response")  # 2 business hours: 10:00 → 12:00
    assert timer.warn_at == timer.started_at + (timer.due_at - timer.started_at) * 0.5  # realty warns at 50 %
    clock.advance(timedelta(minutes=70))
    deadlines.sweep()
    assert Notification.objects.filter(template="timer.warning", recipient=demo["wujing"].user).exists()
    assert not Escalation.objects.filter(object_id=str(case.pk)).exists()
