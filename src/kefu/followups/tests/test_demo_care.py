"""`kefu demo load` shows customer care: 中秋 2026 delivered, 春节 2027 planned, a gift list awaiting
approval, an event with answers — and every care page in Chinese."""

from datetime import UTC, datetime

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock
from kefu.followups.demo_care import load_care
from kefu.followups.models import GiftListState, GreetingState, Invitation, Rsvp, Verdict
from kefu.followups.queries import gifts as gift_queries
from kefu.followups.queries import greetings as greeting_queries
from kefu.org.access import actor_for

NAMES = {"zhengkai", "gaofeng", "lvxin"}


def test_demo_care(demo, admin_actor):  # CARE-1 CARE-2 CARE-3
    clock.freeze(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    result = load_care(admin_actor)
    assert result["care"] == 1
    me = actor_for(demo["gaofeng"].user, origin="test")
    zhongqiu, chunjie = (greeting_queries.campaign(me, pk) for pk in result["campaigns"])
    assert zhongqiu.state == GreetingState.DONE and str(zhongqiu.occasion_on) == "2026-09-25"
    counts = greeting_queries.counts(zhongqiu)
    assert counts["greeted"] == counts["delivered"] > 0 and counts["late"] == 0
    assert not zhongqiu.deliveries.exclude(verdict=Verdict.ON_TIME).exists()
    assert chunjie.state == GreetingState.PLANNED and str(chunjie.occasion_on) == "2027-02-06"
    gift_list = gift_queries.gift_list(me, result["gift_list"])
    assert gift_list.state == GiftListState.PENDING and gift_queries.my_pending_step(me, gift_list)
    answers = Invitation.objects.filter(event_id=result["event"]).exclude(rsvp=Rsvp.NONE)
    assert answers.count() == 3 and answers.filter(rsvp_by_customer=True).count() == 2
    client = Client()
    client.force_login(demo["gaofeng"].user)
    pages = [
        "/care/greetings/",
        f"/care/greetings/{zhongqiu.pk}/",
        f"/care/greetings/{chunjie.pk}/",
        "/care/gifts/",
        f"/care/gifts/{gift_list.pk}/",
        "/care/events/",
        f"/care/events/{result['event']}/",
    ]
    for page in pages:
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert not latin_shown(html, NAMES), (page, latin_shown(html, NAMES))
    assert "客户关怀" in client.get("/").content.decode()  # the navigation entry
    assert load_care(admin_actor) == {"care": 0}
