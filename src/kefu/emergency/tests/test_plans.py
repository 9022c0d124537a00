"""Emergency plans (EMG-1, EMG-3, EMG-6): templates of every type with the seeds' steps; versions
distributed to the unit's staff and acknowledged per version (reminded until done); the confidential
full text only for the roles the version names, each read audited; another subsidiary's manager cannot
edit; revision tasks with owner and due date."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.emergency import presets
from kefu.emergency.actions import plans as actions
from kefu.emergency.models import Distribution, PlanType, PlanVersion, RevisionTask
from kefu.emergency.queries import plans as queries
from kefu.engine.notifications.models import Notification
from kefu.engine.schedules.registry import SCHEDULES
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(demo):
    return lambda username: actor_for(demo[username].user, origin="test")


@pytest.fixture
def realty():
    return Unit.objects.get(code="hc-realty")


@pytest.fixture
def made(act, realty, frozen):
    """王芳's plan for 华辰置业 from the crime-in-progress template (version 1, distributed)."""
    return actions.create_from_template(act("wangfang"), unit=realty, plan_type="crime")


def test_emg6_templates_cover_every_type_with_the_seed_steps():  # EMG-6
    assert set(presets.PLAN_TEMPLATES) == set(PlanType.values)
    crime = presets.PLAN_TEMPLATES["crime"][2]
    numbered = [s for s in crime if "1、" in s[3]]
    assert [s[3].rsplit(" ", 1)[1] for s in numbered] == [f"1、{i}" for i in range(1, 8)]  # the 7 steps
    assert "阻止犯罪行为的继续发生" in numbered[0][0] and "封锁" in numbered[6][0]
    quality = presets.PLAN_TEMPLATES["quality_problem"][2]
    assert any("24小时内到现场" in s[0] and s[2] == 24 * 60 for s in quality)
    assert any("30分钟内通知办公室主管" in s[0] and s[2] == 30 for s in quality)
    assert any("失物招领登记簿" in s[0] for s in presets.PLAN_TEMPLATES["lost_property"][2])
    order = " ".join(s[0] for s in presets.PLAN_TEMPLATES["emergency_order"][2])
    assert "守法、合格的客户" in order and "公司管理层批准" in order  # eligibility and approval
    assert any("备用送货车辆" in s[0] for s in presets.PLAN_TEMPLATES["delivery_vehicle"][2])
    assert any("三日内天气预报" in s[0] for s in presets.PLAN_TEMPLATES["severe_weather"][2])
    for _title, runbook, steps in presets.PLAN_TEMPLATES.values():
        assert runbook and steps
        for _text, slot, _minutes, source in steps:
            kind, _, code = slot.partition(".")
            assert code in [c for c, _t, _p in presets.BODY_TEMPLATES[kind][1]]  # a slot a body has
            assert source == "" or source.startswith(("002", "003"))


def test_emg6_new_plan_from_template_copies_the_steps_and_distributes(made, realty, demo):  # EMG-6, EMG-1
    version = made.versions.get()
    assert version.number == 1 and version.confidentiality == "confidential"
    steps = list(version.steps.order_by("position"))
    assert len(steps) == len(presets.PLAN_TEMPLATES["crime"][2]) and steps[1].source.endswith("1、1")
    staff = Employee.objects.filter(status="active", unit__path__startswith=realty.path).count()
    assert version.distribution.count() == staff and staff > 5
    assert Notification.objects.filter(
        template="emergency.plan_distributed", recipient=demo["zhaomin"].user
    ).exists()
    with connection.cursor() as cursor:  # the full text is stored encrypted
        cursor.execute("SELECT full_text FROM emergency_planversion WHERE id = %s", [version.pk])
        stored = cursor.fetchone()[0]
    assert "犯罪" not in stored and "犯罪" in PlanVersion.objects.get(pk=version.pk).full_text


def test_emg1_confidential_full_text_refused_to_others_and_each_read_audited(made, act):  # EMG-1
    version = made.versions.get()
    with pytest.raises(PermissionDenied):
        queries.full_text(act("zhaomin"), version, purpose="t")  # an agent: runbook card only
    assert not AuditEvent.objects.filter(action="read.sensitive", object_id=str(version.pk)).exists()
    text = queries.full_text(act("wangfang"), version, purpose="查阅")
    assert "处置步骤" in text
    read = AuditEvent.objects.get(action="read.sensitive", object_id=str(version.pk))
    assert read.after == {"fields": ["full_text"]}
    with pytest.raises(NotFound):  # water's manager does not see realty's plan at all
        queries.full_text(act("gaofeng"), version, purpose="t")


def test_emg1_acknowledgement_counted_per_version_and_a_new_version_needs_new_ones(made, act):  # EMG-1
    v1 = made.versions.get()
    actions.acknowledge(act("zhaomin"), v1)
    actions.acknowledge(act("zhaomin"), v1)  # once
    [row] = queries.with_counts(list(queries.plans(act("wangfang"))))
    assert row.acknowledged == 1 and row.sent == v1.distribution.count()
    v2 = actions.new_version(
        act("wangfang"), made, effective_on=clock.today(), runbook="新处置卡", note="改处置卡"
    )
    assert v2.number == 2 and v2.steps.count() == v1.steps.count()  # steps carried over
    [row] = queries.with_counts(list(queries.plans(act("wangfang"))))
    assert row.current_number == 2 and row.acknowledged == 0  # version 2 needs its own acknowledgements
    assert (
        Distribution.objects.get(version=v1, employee__user__username="zhaomin").acknowledged_at is not None
    )
    actions.acknowledge(act("zhaomin"), v2)
    assert queries.with_counts(list(queries.plans(act("wangfang"))))[0].acknowledged == 1
    assert AuditEvent.objects.filter(action="emergency.plan.acknowledge").count() == 2


def test_emg1_reminded_through_notifications_until_acknowledged(made, act, demo):  # EMG-1
    assert "emergency.plan_reminders" in SCHEDULES
    zhaomin, sunli = demo["zhaomin"].user, demo["sunli"].user
    actions.acknowledge(act("sunli"), made.versions.get())
    assert actions.remind() == 0  # not yet: the pack's interval has not passed
    clock.advance(timedelta(hours=25))
    assert actions.remind() > 0
    assert actions.remind() == 0  # not twice within the interval
    reminders = Notification.objects.filter(template="emergency.plan_reminder")
    assert reminders.filter(recipient=zhaomin).count() == 1 and not reminders.filter(recipient=sunli).exists()
    clock.advance(timedelta(hours=25))
    actions.remind()
    assert reminders.filter(recipient=zhaomin).count() == 2  # again, until done
    actions.acknowledge(act("zhaomin"), made.versions.get())
    clock.advance(timedelta(hours=25))
    actions.remind()
    assert reminders.filter(recipient=zhaomin).count() == 2


def test_emg1_another_subsidiarys_manager_cannot_edit(made, act):  # EMG-1
    with pytest.raises(NotFound):
        queries.plan(act("gaofeng"), made.pk)
    with pytest.raises(PermissionDenied):
        actions.new_version(act("gaofeng"), made, effective_on=clock.today())
    with pytest.raises(PermissionDenied):
        actions.create_from_template(act("gaofeng"), unit=made.unit, plan_type="fire")
    with pytest.raises(PermissionDenied):  # a recipient reads the runbook card but does not edit
        actions.new_version(act("zhaomin"), made, effective_on=clock.today())
    assert queries.plan(act("zhaomin"), made.pk) == made
    assert made.versions.count() == 1


def test_emg1_revision_task_with_owner_and_due_date_closed_by_a_version(made, act, demo):  # EMG-1
    task = actions.create_revision(
        act("wangfang"), made, description="按演练结果修订第3步", owner=demo["lina"], due_on=date(2026, 4, 1)
    )
    assert Notification.objects.filter(
        template="emergency.revision_assigned", recipient=demo["lina"].user
    ).exists()
    with pytest.raises(PermissionDenied):
        actions.create_revision(
            act("gaofeng"), made, description="x", owner=demo["lina"], due_on=date(2026, 4, 1)
        )
    version = actions.new_version(act("wangfang"), made, effective_on=clock.today(), revision=task)
    task = RevisionTask.objects.get(pk=task.pk)
    assert task.done_at is not None and task.done_version == version


def test_emg1_api_from_template_acknowledge_and_full_text(made, demo):  # EMG-1, EMG-6
    manager, agent = Client(), Client()
    mh, ah = bearer(demo["wangfang"].user), bearer(demo["zhaomin"].user)
    listed = manager.get("/api/v1/emergency/plans/templates", **mh).json()
    assert {t["plan_type"] for t in listed} == set(PlanType.values)
    made_fire = manager.post(
        "/api/v1/emergency/plans/from-template",
        {"unit_id": made.unit_id, "plan_type": "fire"},
        content_type="application/json",
        **mh,
    )
    assert made_fire.status_code == 201 and made_fire.json()["current"]["number"] == 1
    version_id = made_fire.json()["current"]["id"]
    assert agent.get(f"/api/v1/emergency/plans/versions/{version_id}/full-text", **ah).status_code == 403
    assert manager.get(f"/api/v1/emergency/plans/versions/{version_id}/full-text", **mh).status_code == 200
    ack = agent.post(f"/api/v1/emergency/plans/versions/{version_id}/acknowledge", **ah)
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    bad = manager.post(
        "/api/v1/emergency/plans/from-template",
        {"unit_id": made.unit_id, "plan_type": "nothing"},
        content_type="application/json",
        **mh,
    )
    assert bad.status_code == 400 and bad.json()["error"]["message"]


def test_emg1_pages_and_statement_counts(made, act, demo, client, django_assert_max_num_queries):  # EMG-1
    client.force_login(demo["wangfang"].user)
    for extra in ("fire", "outage", "data_leak"):
        actions.create_from_template(act("wangfang"), unit=made.unit, plan_type=extra)
    with django_assert_max_num_queries(20):
        page = client.get("/emergency/plans/")
    assert page.status_code == 200 and "发现正在实施的犯罪应急预案" in page.content.decode()
    assert client.get("/emergency/plans/templates/").status_code == 200
    detail = client.post(f"/emergency/plans/{made.pk}/", {"what": "read"})
    assert detail.status_code == 200 and "处置步骤" in detail.content.decode()
    agent = Client()
    agent.force_login(demo["zhaomin"].user)
    mine = agent.get(f"/emergency/plans/{made.pk}/").content.decode()
    assert "用对讲机通知当值秩序领班" in mine and "处置步骤：" not in mine  # runbook card, no full text
    assert agent.post(f"/emergency/plans/{made.pk}/", {"what": "read"}).status_code == 403
    assert agent.post(f"/emergency/plans/{made.pk}/", {"what": "ack"}).status_code == 302
    other = Client()
    other.force_login(demo["gaofeng"].user)
    assert other.get(f"/emergency/plans/{made.pk}/").status_code == 404
