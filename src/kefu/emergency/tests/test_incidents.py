"""EMG-4 incidents: reported by staff, timed from the occurrence ("应急管理人员应在紧急事件发生后30分钟内
启动应急响应"), triaged, activated only by a role slot holding the plan's power (checklist copied),
worked (checklist, resources, staffing/channel changes, notices by the publish power only), recovered,
lifted, reviewed and archived with a plan-revision task; a missed activation recorded once and escalated;
every alert repeated until the command centre acknowledges it. EMG-5 triggers: manual report, the
complaint-surge detector (a draft incident) and a case raised to an incident. The clock is moved."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.cases.tests.conftest import groups, new_case  # noqa: F401  the cases fixtures, reused
from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.emergency.actions import bodies as body_actions
from kefu.emergency.actions import incidents as actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.actions import resources as resource_actions
from kefu.emergency.actions import surges
from kefu.emergency.demo import load_emergency
from kefu.emergency.demo_incidents import load_incidents
from kefu.emergency.models import Body, Incident, IncidentEvent, Plan, RevisionTask, Surge
from kefu.emergency.queries import incidents as queries
from kefu.emergency.tests.test_bodies import _leave
from kefu.engine.notifications import actions as notification_actions
from kefu.engine.notifications.models import Delivery, Notification
from kefu.engine.outbound.tests.conftest import sms  # noqa: F401  the loopback SMS gateway
from kefu.engine.policy import actions as policy_actions
from kefu.org.access import actor_for
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def ensure_plan(manager, unit, plan_type):
    found = Plan.objects.filter(unit=unit, plan_type=plan_type).first()
    return found or plan_actions.create_from_template(manager, unit=unit, plan_type=plan_type)


def ensure_slot(manager, unit, kind, key, holder, deputy=None):
    body = Body.objects.filter(unit=unit, kind=kind).first() or body_actions.create_body(
        manager, unit=unit, kind=kind
    )
    body_actions.bind_slot(manager, body.slots.get(key=key), holder=holder, deputy=deputy)


@pytest.fixture
def ready(act, realty, demo, frozen):
    """华辰置业: a fire plan (from the template), the command centre's 主任 王芳 (deputy 李娜) and the
    leadership group's 组长 周强."""
    manager = act("wangfang")
    plan = ensure_plan(manager, realty, "fire")
    ensure_slot(manager, realty, "command", "command.director", demo["wangfang"], demo["lina"])
    ensure_slot(manager, realty, "leadership", "leadership.leader", demo["zhouqiang"])
    return plan


def _report(act, realty, by="zhaomin", minutes_ago=5, **fields):
    fields.setdefault("title", "售楼处配电间冒烟")
    return actions.report(
        act(by),
        unit=realty,
        plan_type=fields.pop("plan_type", "fire"),
        occurred_at=clock.now() - timedelta(minutes=minutes_ago),
        place="售楼处一层",
        scope="售楼处全体访客",
        **fields,
    )


def _alerts():
    return Notification.objects.filter(template="emergency.incident_alert")


def test_emg4_lifecycle_happy_path(ready, act, realty, demo):
    incident = _report(act, realty)
    assert incident.status == "reported" and incident.plan == ready and incident.source == "manual"
    assert incident.activate_by == incident.occurred_at + timedelta(minutes=30)
    assert "30分钟内启动应急响应" in incident.activate_clause
    told = set(_alerts().values_list("recipient__username", flat=True))
    assert {"wangfang", "zhangwei"} <= told and "gaofeng" not in told
    assert Delivery.objects.filter(
        notification__template="emergency.incident_alert", channel="email"
    ).exists()

    manager = act("wangfang")
    incident = actions.triage(manager, incident, level="II")
    assert incident.status == "triaged" and incident.level == "II" and incident.level_name
    incident = actions.activate(manager, incident)
    assert incident.status == "activated" and not incident.activated_late and incident.breached_at is None
    steps = list(incident.plan_version.steps.order_by("position"))
    tasks = queries.tasks(incident)
    assert [t.text for t in tasks] == [s.text for s in steps] and len(tasks) > 2
    directed = [t for t in tasks if t.slot == "command.director"]
    assert directed and all(t.assignee == demo["wangfang"] for t in directed)

    actions.task_done(manager, tasks[0], note="已疏散")
    assert Incident.objects.get(pk=incident.pk).status == "responding"
    with pytest.raises(Conflict):
        actions.task_done(manager, tasks[0])  # already done
    actions.task_done(manager, tasks[0], done=False)
    actions.task_done(manager, tasks[0])
    actions.task_assign(manager, tasks[1], demo["zhaomin"])
    kit = resource_actions.register_item(
        manager,
        unit=realty,
        kind="extinguisher",
        name="干粉灭火器",
        location="配电间",
        quantity=4,
        custodian=demo["zhouqiang"],
        inspect_every_days=30,
    )
    actions.use_resource(manager, incident, kit, 2, "扑灭初起火")
    actions.record_change(manager, incident, kind="channel", text="热线语音提示：售楼处暂停接待")
    actions.record_change(manager, incident, kind="staffing", text="增派两名客服接听热线")
    actions.publish(manager, incident, audience="customers", text="售楼处今日暂停接待，敬请谅解。")
    incident = actions.recover(manager, incident, report="明火已扑灭，电路已检修", impact="暂停接待 2 小时")
    assert incident.status == "recovered"
    incident = actions.lift(manager, incident)
    assert incident.status == "lifted" and incident.lifted_by == demo["wangfang"].user
    incident = actions.review(
        manager, incident, cause="线路老化", prevention="定期检测", lessons="配电间加装烟感"
    )
    incident = actions.archive(
        manager,
        incident,
        owner=demo["lina"],
        due_on=clock.today() + timedelta(days=30),
        revision="增加配电间检查",
    )
    assert incident.status == "archived" and incident.archived_at and incident.next_alert_at is None
    task = RevisionTask.objects.get(plan=ready, reason="incident")
    assert task.owner == demo["lina"] and task.description == "增加配电间检查"
    kinds = list(IncidentEvent.objects.filter(incident=incident).values_list("kind", flat=True))
    for kind in (
        "reported",
        "triaged",
        "activated",
        "task_done",
        "resource",
        "change",
        "notice",
        "recovered",
    ):
        assert kind in kinds
    assert {"lifted", "reviewed", "archived"} <= set(kinds)
    audited = set(AuditEvent.objects.filter(object_id=str(incident.pk)).values_list("action", flat=True))
    assert {
        "emergency.incident.report",
        "emergency.incident.activate",
        "emergency.incident.archive",
    } <= audited
    # DRL-1 "每年对应急预案的执行情况进行总结": the year's summary lists the incident against its clock
    title, headers, rows = queries.summary_section(realty, clock.local(incident.occurred_at).year)
    assert title == "突发事件" and len(rows) == 1
    row = dict(zip(headers, rows[0], strict=True))
    assert row["事件"] == incident.title and row["启动时限"] == "按时启动" and row["复盘"] == "已复盘"
    assert row["状态"] == "已归档" and row["响应级别"] == incident.level_name
    assert queries.summary_section(realty, clock.local(incident.occurred_at).year + 1)[2] == []


def test_emg4_refusals_power_state_times_scope(ready, act, realty, demo):
    with pytest.raises(Invalid):  # occurred in the future
        _report(act, realty, minutes_ago=-10)
    with pytest.raises(Invalid):  # detected before it occurred
        actions.report(
            act("zhaomin"),
            unit=realty,
            plan_type="fire",
            title="x",
            occurred_at=clock.now() - timedelta(minutes=5),
            detected_at=clock.now() - timedelta(minutes=10),
        )
    with pytest.raises(Invalid):
        _report(act, realty, plan_type="nonsense")
    with pytest.raises(PermissionDenied):  # another subsidiary's manager does not report for realty
        _report(act, realty, by="gaofeng")
    assert not Incident.objects.exists()
    incident = _report(act, realty)
    with pytest.raises(PermissionDenied):  # the reporter (an agent) holds no activate power
        actions.activate(act("zhaomin"), incident)
    with pytest.raises(PermissionDenied):  # 张伟 sees it (emergency.view, group) but holds no slot
        actions.activate(act("zhangwei"), incident)
    with pytest.raises(NotFound):  # 李娜 is only the deputy and sees her department's only
        actions.activate(act("lina"), incident)
    with pytest.raises(NotFound):  # water's manager neither sees it nor holds a power
        actions.activate(act("gaofeng"), incident)
    with pytest.raises(NotFound):
        actions.triage(act("gaofeng"), incident)
    with pytest.raises(PermissionDenied):  # the reporter sees it, but is not the command centre
        actions.triage(act("zhaomin"), incident)
    with pytest.raises(Conflict):  # lifting before the recovery
        actions.lift(act("wangfang"), incident)
    with pytest.raises(Conflict):
        actions.recover(act("wangfang"), incident, report="r", impact="i")
    incident = actions.activate(act("wangfang"), incident)
    with pytest.raises(Conflict):  # once
        actions.activate(act("wangfang"), incident)
    with pytest.raises(PermissionDenied):  # EMG-3: notices only by the publish power
        actions.publish(act("zhangwei"), incident, audience="public", text="公告")
    with pytest.raises(Conflict):
        actions.review(act("wangfang"), incident, cause="c", prevention="p", lessons="l")
    with pytest.raises(Invalid):
        actions.record_change(act("wangfang"), incident, kind="weather", text="x")
    assert incident.notices.count() == 0


def test_emg4_the_deputy_holds_the_powers_while_the_director_is_on_leave(ready, act, realty, demo):

    incident = _report(act, realty)
    _leave(demo["wangfang"], clock.now())
    with pytest.raises(PermissionDenied):
        actions.activate(act("wangfang"), incident)
    assert actions.activate(act("lina"), incident).activated_by == demo["lina"].user


def test_emg4_activation_after_the_clock_is_a_breach_recorded_once(ready, act, realty):
    incident = _report(act, realty, minutes_ago=1)
    clock.advance(timedelta(minutes=30))
    incident = actions.activate(act("wangfang"), incident)
    assert incident.activated_late and incident.breached_at == clock.now()
    (decision,) = for_object(incident)
    assert decision.rule == "EMG-4" and "超时" in decision.outcome
    assert actions.sweep() == 0 and len(for_object(incident)) == 1
    within = _report(act, realty, minutes_ago=29, title="另一事件")
    assert not actions.activate(act("wangfang"), within).activated_late


def test_emg4_missed_activation_recorded_once_and_escalated(ready, act, realty):
    incident = _report(act, realty, minutes_ago=0)
    clock.advance(timedelta(minutes=29))
    assert actions.sweep() == 0
    clock.advance(timedelta(minutes=1))
    assert actions.sweep() == 0  # exactly 30 minutes: still within
    clock.advance(timedelta(seconds=1))
    assert actions.sweep() == 1 and actions.sweep() == 0
    incident.refresh_from_db()
    assert incident.breached_at == clock.now() and incident.alert_kind == "breach"
    breach = _alerts().filter(subject__contains="未在时限内启动")
    told = set(breach.values_list("recipient__username", flat=True))
    assert {"zhouqiang", "wangfang", "zhangwei"} <= told  # 组长 and the command centre
    assert IncidentEvent.objects.filter(incident=incident, kind="breach").count() == 1
    # activating afterwards does not record it again
    incident = actions.activate(act("wangfang"), incident)
    assert incident.activated_late and IncidentEvent.objects.filter(kind="breach").count() == 1


def test_emg4_the_alert_repeats_until_acknowledged(ready, act, realty):
    incident = _report(act, realty, minutes_ago=0)
    first = _alerts().count()
    clock.advance(timedelta(minutes=4))
    actions.sweep()
    assert _alerts().count() == first  # the pack's interval is 5 minutes (本系统默认值)
    clock.advance(timedelta(minutes=1))
    actions.sweep()
    assert _alerts().count() == 2 * first and Incident.objects.get().alerts == 2
    with pytest.raises(PermissionDenied):  # the reporter is not the command centre
        actions.acknowledge(act("zhaomin"), incident)
    incident = actions.acknowledge(act("wangfang"), incident)
    assert incident.next_alert_at is None and incident.acknowledged_by == act("wangfang").user
    clock.advance(timedelta(minutes=20))  # 25 minutes after it occurred: before the activation deadline
    actions.sweep()
    assert _alerts().count() == 2 * first
    with pytest.raises(Conflict):
        actions.acknowledge(act("zhangwei"), incident)
    actions.activate(act("wangfang"), incident)  # a new alert: repeated again until acknowledged
    assert Incident.objects.get().next_alert_at is not None


def test_emg4_without_a_text_gateway_inbox_and_email_only(ready, act, realty):
    _report(act, realty, title="无短信网关时")
    assert _alerts().exists() and not Delivery.objects.filter(channel="sms").exists()


def test_emg4_an_incident_alert_goes_as_a_text_where_the_gateway_is_configured(ready, act, realty, sms):  # noqa: F811
    """Issue 17: every notification of an incident goes out at once by inbox, e-mail and the text gateway."""
    _report(act, realty)
    texts = Delivery.objects.filter(notification__template="emergency.incident_alert", channel="sms")
    assert {d.notification.recipient.username for d in texts} >= {"wangfang", "zhangwei"}
    notification_actions.deliver_due()
    assert {"13801020001", "13901010001"} <= {body["to"] for body in sms.bodies()}  # 王芳, 张伟


@pytest.fixture
def water_surge(demo, admin_actor, new_case):  # noqa: F811
    """华辰水务 with a threshold of 5 报修 in the window; 5 burst-main 报修 through intake."""

    water = Unit.objects.get(code="hc-water")
    policy_actions.set_override(admin_actor, water, surges.THRESHOLD, 5, clock.today(), reason="测试")
    clock.advance(timedelta(minutes=1))
    made = []
    for i in range(5):
        made.append(
            new_case(by="lvxin", kind="repair", title=f"水管爆裂 {i}", extra={"location": f"{i + 1}号楼"})
        )
        clock.advance(timedelta(minutes=1))
    return water, made


def test_emg5_a_surge_opens_a_draft_incident_linked_from_the_alert(water_surge, act):
    water, _cases = water_surge
    assert surges.sweep() == 1
    surge = Surge.objects.get()
    incident = surge.incident
    assert incident is not None and incident.unit == water
    assert (incident.status, incident.source, incident.plan_type) == ("reported", "surge", "complaint_surge")
    # it occurred when the threshold case came in (the clock starts there), detected at the detection
    assert incident.occurred_at == surge.threshold_case.received_at == _cases[-1].received_at
    assert incident.detected_at == surge.detected_at and incident.activate_by > surge.detected_at
    assert incident.reported_by is None and "报修激增" in incident.title
    link = (
        Notification.objects.filter(template="emergency.surge_alert").values_list("link", flat=True).first()
    )
    assert link == f"/emergency/incidents/{incident.pk}/"
    assert _alerts().filter(recipient__username="gaofeng").exists()
    assert surges.sweep() == 0 and Incident.objects.count() == 1  # one draft per surge
    assert queries.incident(act("gaofeng"), incident.pk) == incident


def test_emg5_a_case_raised_to_an_incident(ready, act, new_case, client, demo):  # noqa: F811
    case = new_case(kind="complaint", title="售楼处漏水，客户滑倒")
    incident = actions.raise_from_case(act("wangfang"), case, plan_type="injured_customer")
    assert incident.case == case and incident.source == "case" and incident.unit.code == "hc-realty"
    assert incident.occurred_at == case.received_at
    assert case.comments.filter(body__contains="已升级为突发事件").exists()
    with pytest.raises(Conflict):  # one incident per case
        actions.raise_from_case(act("wangfang"), case, plan_type="injured_customer")
    with pytest.raises(NotFound):
        actions.raise_from_case(act("gaofeng"), case, plan_type="fire")
    client.force_login(demo["wangfang"].user)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"/emergency/incidents/new/?case={case.pk}" in page and "升级为突发事件" in page
    form = client.get(f"/emergency/incidents/new/?case={case.pk}")
    assert form.status_code == 200 and case.number in form.content.decode()
    client.force_login(demo["gaofeng"].user)
    assert client.get(f"/emergency/incidents/new/?case={case.pk}").status_code == 404


def test_emg4_pages_render_in_chinese_and_work(ready, act, realty, client, demo):
    client.force_login(demo["zhaomin"].user)
    form = client.get("/emergency/incidents/new/")
    assert form.status_code == 200 and "报告突发事件" in form.content.decode()
    occurred = clock.local() - timedelta(minutes=3)
    answer = client.post(
        "/emergency/incidents/new/",
        {
            "unit": realty.pk,
            "plan_type": "fire",
            "title": "配电间冒烟",
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "place": "一层",
        },
    )
    assert answer.status_code == 302
    incident = Incident.objects.get()
    bad = client.post(
        "/emergency/incidents/new/",
        {"unit": realty.pk, "plan_type": "fire", "title": "x", "occurred_at": "2099-01-01T00:00"},
    )
    assert bad.status_code == 400 and "时间顺序不正确" in bad.content.decode()
    page = client.get(f"/emergency/incidents/{incident.pk}/").content.decode()
    assert "配电间冒烟" in page and "do-activate" not in page  # the agent may not activate
    client.force_login(demo["wangfang"].user)
    listed = client.get("/emergency/incidents/").content.decode()
    assert "配电间冒烟" in listed and "须启动" in listed
    page = client.get(f"/emergency/incidents/{incident.pk}/").content.decode()
    assert "do-activate" in page and "指挥中心" in page and "emergency/incident.js" in page
    assert "<script>" not in page and 'style="' not in page
    assert client.post(f"/emergency/incidents/{incident.pk}/", {"what": "activate"}).status_code == 302
    task = queries.tasks(Incident.objects.get())[0]
    client.post(f"/emergency/incidents/{incident.pk}/", {"what": "done", "task": task.pk})
    page = client.get(f"/emergency/incidents/{incident.pk}/").content.decode()
    assert "已启动响应" in page or "处置中" in page
    assert "在时限内启动" in page
    state = client.get(f"/emergency/incidents/{incident.pk}/state/").json()
    assert state["version"].startswith("responding")
    client.force_login(demo["gaofeng"].user)
    assert client.get(f"/emergency/incidents/{incident.pk}/").status_code == 404
    assert client.get(f"/emergency/incidents/{incident.pk}/state/").status_code == 404


def test_emg4_api_round_trip(ready, realty, demo, client):

    api = Client()
    me = bearer(demo["wangfang"].user)
    made = api.post(
        "/api/v1/emergency/incidents",
        {
            "unit_id": realty.pk,
            "plan_type": "fire",
            "title": "API 报告",
            "occurred_at": (clock.now() - timedelta(minutes=2)).isoformat(),
        },
        content_type="application/json",
        **me,
    )
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["seconds_left"] == 28 * 60

    def post(path, body=None, who=me):
        return api.post(
            f"/api/v1/emergency/incidents/{pk}/{path}", body or {}, content_type="application/json", **who
        )

    assert post("lift").status_code == 409
    assert post("activate", who=bearer(demo["zhangwei"].user)).status_code == 403
    assert post("activate", who=bearer(demo["gaofeng"].user)).status_code == 404
    one = post("activate").json()
    assert one["status"] == "activated" and one["tasks"]
    done = api.post(
        f"/api/v1/emergency/incidents/tasks/{one['tasks'][0]['id']}",
        {"done": True},
        content_type="application/json",
        **me,
    )
    assert done.json()["tasks"][0]["done_at"] and done.json()["status"] == "responding"
    assert post("changes", {"kind": "channel", "text": "热线语音提示：暂停服务"}).status_code == 200
    assert post("notices", {"audience": "public", "text": "公告"}).json()["notices"]
    assert post("recovery", {"recovery_report": "已恢复", "impact": "轻微"}).status_code == 200
    assert post("lift").json()["status"] == "lifted"
    assert post("review", {"cause": "c", "prevention": "p", "lessons": "l"}).json()["status"] == "reviewed"
    assert post("archive", {}).status_code == 400  # the plan needs a revision owner
    body = {"owner_id": demo["lina"].pk, "due_on": (clock.today() + timedelta(days=10)).isoformat()}
    assert post("archive", body).json()["status"] == "archived"
    timeline = api.get(f"/api/v1/emergency/incidents/{pk}/timeline", **me).json()
    assert timeline[0]["kind"] == "archived" and len(timeline) >= 8
    older = actions.report(
        actor_for(demo["wangfang"].user, origin="test"),
        unit=realty,
        plan_type="fire",
        title="更早发生、仍未结束",
        occurred_at=clock.now() - timedelta(minutes=20),
    )
    listed = api.get("/api/v1/emergency/incidents", **me).json()
    assert [i["id"] for i in listed["items"]] == [older.pk, pk]  # open first, then the closed
    assert api.get(f"/api/v1/emergency/incidents/{pk}", **bearer(demo["gaofeng"].user)).status_code == 404


def test_emg4_activate_and_task_done_run_a_bounded_number_of_statements(
    ready, act, realty, django_assert_max_num_queries
):
    incident = _report(act, realty)
    manager = act("wangfang")
    queries.tasks(incident)  # warm the grants
    with django_assert_max_num_queries(60):
        incident = actions.activate(manager, incident)
    task = queries.tasks(incident)[0]
    with django_assert_max_num_queries(20):
        actions.task_done(manager, task)


def test_emg4_demo_incidents(demo, frozen, admin_actor):

    load_emergency(admin_actor)  # the plans and bodies the demo incidents run under
    assert load_incidents() == {"incidents": 2}
    burst = Incident.objects.get(unit__code="hc-water")
    assert burst.status == "responding" and not burst.activated_late and burst.next_alert_at is None
    # EMG-5: the hotline's 报修 tripped the detector, whose surge opened this incident
    assert burst.source == "surge" and Surge.objects.get(unit__code="hc-water").incident_id == burst.pk
    assert burst.tasks.filter(done_at__isnull=False).count() == 3
    assert burst.changes.filter(kind="channel", text__startswith="热线语音提示：").exists()
    assert burst.notices.exists()
    past = Incident.objects.get(unit__code="hc-realty")
    assert past.status == "reviewed" and past.lessons and past.occurred_at < frozen - timedelta(days=10)
    assert not past.activated_late and past.breached_at is None
    assert load_incidents() == {"incidents": 0}  # once
