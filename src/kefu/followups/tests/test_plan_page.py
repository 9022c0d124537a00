"""回访方案 page (FUP-1): the subsidiaries' revisit plans in Chinese; whoever configures revisits there
sets one (triggers, kinds, tiers, active); others read, and a refused or bad form says why."""

import pytest

from kefu.followups.models import RevisitPlan, Trigger

pytestmark = pytest.mark.django_db


def test_fup1_plan_page_sets_and_shows_plans(demo, client):
    water = demo["gaofeng"].unit.parent
    client.force_login(demo["gaofeng"].user)
    page = client.get("/revisits/plans/").content.decode()
    assert 'id="plan-form"' in page and "尚未设置回访方案" in page
    made = client.post(
        "/revisits/plans/",
        {"unit": water.pk, "trigger": "resolution", "kinds": ["consultation"], "active": "on"},
    )
    assert made.status_code == 302
    client.post("/revisits/plans/", {"unit": water.pk, "trigger": "periodic", "tier": "key", "active": "on"})
    client.post("/revisits/plans/", {"unit": water.pk, "trigger": "arrival", "active": "on"})
    plans = {p.trigger: p for p in RevisitPlan.objects.filter(unit=water)}
    assert plans[Trigger.RESOLUTION].kinds == ["consultation"] and plans[Trigger.PERIODIC].tier == "key"
    body = client.get("/revisits/plans/").content.decode()
    assert "发货后到货跟踪回访" in body and "重点" in body and "咨询" in body
    off = client.post("/revisits/plans/", {"unit": water.pk, "trigger": "arrival"})  # active unticked
    assert off.status_code == 302 and not RevisitPlan.objects.get(unit=water, trigger="arrival").active


def test_fup1_plan_page_refuses_a_bad_plan_in_chinese(demo, client):
    client.force_login(demo["gaofeng"].user)
    water = demo["gaofeng"].unit.parent
    bad = client.post("/revisits/plans/", {"unit": water.pk, "trigger": "resolution", "active": "on"})
    assert bad.status_code == 400 and "请选择解决后需回访的工单类型" in bad.content.decode()
    assert not RevisitPlan.objects.exists()


def test_fup1_plan_page_is_read_only_without_revisit_configure(demo, client):
    client.force_login(demo["zhengkai"].user)  # 回访专员: reads the plans, sets none
    page = client.get("/revisits/plans/")
    assert page.status_code == 200 and 'id="plan-form"' not in page.content.decode()
    water = demo["gaofeng"].unit.parent
    refused = client.post("/revisits/plans/", {"unit": water.pk, "trigger": "complaint", "active": "on"})
    assert refused.status_code == 403 and not RevisitPlan.objects.exists()
    client.force_login(demo["wangfang"].user)  # 华辰置业's manager: 华辰水务 is not among the choices
    other = client.post("/revisits/plans/", {"unit": water.pk, "trigger": "complaint", "active": "on"})
    assert other.status_code == 400 and not RevisitPlan.objects.exists()
