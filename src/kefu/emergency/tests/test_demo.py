"""`kefu demo load` gives the emergency organisation (EMG-1…EMG-3, EMG-6, RES-1, WX-1, FEE-1): a plan of
every shipped type for 华辰置业 and 华辰水务, the bodies bound so the right people hold the powers, the
staff's acknowledgements with a few outstanding, an expired extinguisher, this morning's published weather
bulletin and a quote — and the pages show them in Chinese."""

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock
from kefu.emergency.demo import load_emergency
from kefu.emergency.models import Bulletin, BulletinState, Distribution, Plan, PlanType, Quote, Resource
from kefu.emergency.queries.plans import may
from kefu.engine.notifications.models import Notification
from kefu.org.models import Unit

NAMES = {"wangfang", "gaofeng", "zhangwei"}


def test_demo_emergency_organisation_EMG1_EMG2_EMG3_EMG6(demo, admin_actor):
    result = load_emergency(admin_actor)
    realty, water = Unit.objects.get(code="hc-realty"), Unit.objects.get(code="hc-water")
    assert result["emergency_plans"] == 2 * len(PlanType.values)
    for unit in (realty, water):
        assert set(Plan.objects.filter(unit=unit).values_list("plan_type", flat=True)) == set(PlanType.values)
    burst = Plan.objects.get(unit=water, plan_type="outage")
    # EMG-3: 高峰 directs 华辰水务's command centre, 张伟 leads the group's leadership group, an agent neither
    assert may(demo["gaofeng"], burst, "activate") and may(demo["gaofeng"], burst, "publish")
    assert may(demo["zhangwei"], burst, "lift") and not may(demo["zhangwei"], burst, "publish")
    assert not may(demo["lvxin"], burst, "activate") and not may(demo["wangfang"], burst, "activate")
    # EMG-1: everyone acknowledged but the three the story leaves outstanding
    outstanding = Distribution.objects.filter(acknowledged_at__isnull=True)
    assert {(d.employee.user.username, d.version.plan.plan_type) for d in outstanding} == {
        ("zhaomin", "crime"),
        ("zhaomin", "lost_property"),
        ("lvxin", "outage"),
    }
    # the messages of acknowledged plans are read; the three outstanding ones are not
    unread = Notification.objects.filter(template="emergency.plan_distributed", read_at__isnull=True)
    assert unread.count() == 3
    # RES-1: the 案场's extinguisher is past its expiry
    expired = Resource.objects.filter(expires_on__lt=clock.today())
    assert [(r.kind, r.unit_id) for r in expired] == [("extinguisher", realty.pk)]
    # WX-1 and FEE-1
    assert Bulletin.objects.get(unit=realty, day=clock.today()).state == BulletinState.PUBLISHED
    quote = Quote.objects.get()
    assert sum(p.percent for p in quote.payments.all()) == 100
    pages = {
        "wangfang": [
            "/emergency/plans/",
            "/emergency/bodies/",
            "/emergency/resources/",
            "/emergency/quotes/",
        ],
        "gaofeng": ["/emergency/plans/", f"/emergency/plans/{burst.pk}/", "/emergency/bodies/"],
        "zhangwei": ["/emergency/plans/", "/emergency/weather/"],
    }
    for who, urls in pages.items():
        client = Client()
        client.force_login(demo[who].user)
        for page in urls:
            response = client.get(page)
            html = response.content.decode()
            assert response.status_code == 200, (who, page)
            assert not latin_shown(html, NAMES), (who, page, latin_shown(html, NAMES))
