"""Emergency bodies and levels (EMG-2, EMG-3): bodies from templates with role slots bound to people,
the deputy filling a slot while the holder is on approved leave (else the delegate of a delegation in
force); levels Ⅰ–Ⅳ by default (本系统默认值) and configurable per subsidiary; who may activate, set the
level, publish and lift under a plan."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Invalid, PermissionDenied
from kefu.emergency.actions import bodies as actions
from kefu.emergency.actions import levels as level_actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.queries import bodies as queries
from kefu.emergency.queries import levels as level_queries
from kefu.emergency.queries.plans import may
from kefu.org.access import actor_for
from kefu.org.models import Delegation, DelegationState, Unit
from kefu.workforce.models import LeaveRequest, LeaveState

pytestmark = pytest.mark.django_db


@pytest.fixture
def act(demo):
    return lambda username: actor_for(demo[username].user, origin="test")


@pytest.fixture
def realty():
    return Unit.objects.get(code="hc-realty")


def _leave(employee, now):
    return LeaveRequest.objects.create(
        employee=employee,
        unit=employee.unit,
        kind="leave",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=2),
        days=2,
        reason="测试",
        arrangement="测试",
        state=LeaveState.APPROVED,
        requested_at=now - timedelta(days=3),
    )


def test_emg2_bodies_from_templates_with_the_seed_slots(act, realty, frozen):  # EMG-2
    body = actions.create_body(act("wangfang"), unit=realty, kind="leadership")
    slots = [(s.title, s.post_hint) for s in body.slots.order_by("position")]
    assert slots == [("组长", "总经理"), ("副组长", "分管客服副总经理"), ("成员", "各部门负责人")]
    site = actions.create_body(
        act("wangfang"), unit=Unit.objects.get(code="realty-sales-showroom"), kind="site_leadership"
    )
    assert site.slots.get(key="site_leadership.leader").post_hint == "客服部经理"
    command = actions.create_body(act("wangfang"), unit=realty, kind="command")
    assert command.slots.get().title == "主任"
    with pytest.raises(Invalid):
        actions.create_body(act("wangfang"), unit=realty, kind="command")  # once per unit
    with pytest.raises(PermissionDenied):
        actions.create_body(act("gaofeng"), unit=realty, kind="liaison")


def test_emg2_deputy_fills_the_slot_while_the_holder_is_on_leave(act, realty, demo, frozen):  # EMG-2
    body = actions.create_body(act("wangfang"), unit=realty, kind="command")
    slot = body.slots.get()
    actions.bind_slot(act("wangfang"), slot, holder=demo["wangfang"], deputy=demo["lina"])
    slot.refresh_from_db()
    assert queries.holder_now(slot).employee == demo["wangfang"]
    leave = _leave(demo["wangfang"], clock.now())
    now = queries.holder_now(slot)
    assert now.employee == demo["lina"] and now.reason == "deputy_leave" and "替补" in now.reason_zh
    leave.state = LeaveState.CANCELLED
    leave.save()
    assert queries.holder_now(slot).employee == demo["wangfang"]
    # no deputy: an approved delegation in force names who acts
    actions.bind_slot(act("wangfang"), slot, holder=demo["wangfang"], deputy=None)
    slot.refresh_from_db()
    Delegation.objects.create(
        delegator=demo["wangfang"],
        delegate=demo["zhouqiang"],
        permissions=["emergency.view"],
        starts_at=clock.now() - timedelta(hours=1),
        ends_at=clock.now() + timedelta(days=1),
        reason="出差",
        created_at=clock.now(),
        state=DelegationState.APPROVED,
    )
    now = queries.holder_now(slot)
    assert now.employee == demo["zhouqiang"] and now.reason == "delegate"
    with pytest.raises(Invalid):
        actions.bind_slot(act("wangfang"), slot, holder=demo["lina"], deputy=demo["lina"])
    with pytest.raises(Invalid):  # water's staff cannot hold realty's slot
        actions.bind_slot(act("wangfang"), slot, holder=demo["gaofeng"], deputy=None)


def test_emg3_levels_default_i_to_iv_marked_and_configurable_per_subsidiary(act, realty, frozen):  # EMG-3
    levels = level_queries.levels_for(Unit.objects.get(code="realty-cs"))
    assert [lv.code for lv in levels] == ["I", "II", "III", "IV"] and all(lv.is_default for lv in levels)
    level_actions.set_levels(
        act("wangfang"),
        realty,
        [{"code": "A", "name": "红色"}, {"code": "B", "name": "黄色", "description": "一般"}],
    )
    levels = level_queries.levels_for(realty)
    assert [lv.name for lv in levels] == ["红色", "黄色"] and not any(lv.is_default for lv in levels)
    with pytest.raises(PermissionDenied):
        level_actions.set_levels(act("gaofeng"), realty, [{"code": "X", "name": "x"}])
    with pytest.raises(Invalid):
        level_actions.set_levels(
            act("wangfang"), realty, [{"code": "A", "name": "a"}, {"code": "A", "name": "b"}]
        )
    assert level_queries.levels_for(Unit.objects.get(code="hc-water"))[0].code == "I"


def test_emg3_who_may_activate_set_the_level_publish_and_lift(act, realty, demo, frozen):  # EMG-3
    plan = plan_actions.create_from_template(act("wangfang"), unit=realty, plan_type="complaint_surge")
    body = actions.create_body(act("wangfang"), unit=realty, kind="command")
    actions.bind_slot(act("wangfang"), body.slots.get(), holder=demo["wangfang"], deputy=demo["lina"])
    assert may(demo["wangfang"], plan, "publish") and may(demo["wangfang"], plan, "activate")
    assert not may(demo["lina"], plan, "publish") and not may(demo["zhaomin"], plan, "lift")
    _leave(demo["wangfang"], clock.now())
    assert may(demo["lina"], plan, "publish") and not may(demo["wangfang"], plan, "publish")
    # the powers are the version's: a new version that takes publishing from the command centre
    powers = dict(plan.versions.get().powers, publish=["leadership.leader"])
    plan_actions.new_version(act("wangfang"), plan, effective_on=clock.today(), powers=powers)
    assert not may(demo["lina"], plan, "publish")


def test_emg2_pages_and_api(act, realty, demo, client, frozen, django_assert_max_num_queries):  # EMG-2, EMG-3
    for kind in ("leadership", "command", "handling", "liaison"):
        actions.create_body(act("wangfang"), unit=realty, kind=kind)
    client.force_login(demo["wangfang"].user)
    with django_assert_max_num_queries(40):
        page = client.get("/emergency/bodies/")
    assert page.status_code == 200 and "应急领导小组" in page.content.decode()
    slot = queries.bodies(act("wangfang")).get(kind="command").slots.get()
    saved = client.post(
        "/emergency/bodies/",
        {"what": "bind", "slot": slot.pk, "holder": demo["wangfang"].pk, "deputy": demo["lina"].pk},
    )
    assert saved.status_code == 302
    slot.refresh_from_db()
    assert slot.holder == demo["wangfang"] and slot.deputy == demo["lina"]
    levels = client.get("/emergency/levels/").content.decode()
    assert "Ⅰ级" in levels
    api = Client()
    listed = api.get("/api/v1/emergency/bodies", **bearer(demo["wangfang"].user)).json()
    command = next(b for b in listed if b["kind"] == "command")
    assert command["slots"][0]["acting_id"] == demo["wangfang"].pk
    refused = api.put(
        f"/api/v1/emergency/slots/{slot.pk}",
        {"holder_id": demo["gaofeng"].pk},
        content_type="application/json",
        **bearer(demo["gaofeng"].user),
    )
    assert refused.status_code == 404
