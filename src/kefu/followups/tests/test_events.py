"""CARE-3 cultural-exchange events: two days, usually Saturday and Sunday ("每月不少于一期"),
invitations by rule, answers through the customer's own link or by staff, attendance; a month without
an event is flagged."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock, decisions
from kefu.core.errors import Invalid, NotFound
from kefu.engine.notifications.models import Notification
from kefu.engine.outbound.api import OutboundMessage
from kefu.followups.actions import events
from kefu.followups.models import EventGap, Invitation, Rsvp
from kefu.followups.queries import audiences
from kefu.followups.queries import events as queries


def _why(obj, rule):
    (found,) = [d for d in decisions.for_object(obj) if d.rule == rule]
    return found


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=UTC)


@pytest.fixture
def water(demo):
    return demo["gaofeng"].unit.parent


@pytest.fixture
def event(demo, act, water):
    clock.freeze(at(date(2026, 10, 1)))
    return events.plan(
        act("zhengkai"), water, title="秋季茶文化交流", place="水务城东营业厅", starts_on=date(2026, 10, 17)
    )


@pytest.mark.django_db
def test_an_event_lasts_two_days_usually_saturday_and_sunday(demo, act, water, event):  # CARE-3
    assert (event.starts_on, event.ends_on) == (date(2026, 10, 17), date(2026, 10, 18))
    why = _why(event, "CARE-3")
    assert "周六、周日" in why.outcome and "每月不少于一期" in why.clause
    midweek = events.plan(act("zhengkai"), water, title="讲座", place="会议室", starts_on=date(2026, 10, 21))
    assert "未安排在周六、周日" in _why(midweek, "CARE-3").outcome
    with pytest.raises(Invalid):
        events.plan(act("zhengkai"), water, title="讲座", place="会议室", starts_on=date(2026, 9, 1))


@pytest.mark.django_db
def test_invitations_answers_and_attendance(demo, act, water, event):  # CARE-3
    result = events.invite(act("zhengkai"), event)
    total = audiences.count(water, {})
    assert result["invited"] == total and 0 < result["texted"] <= total
    assert events.invite(act("zhengkai"), event)["invited"] == 0  # each customer once
    invitation = Invitation.objects.filter(event=event).first()
    message = OutboundMessage.objects.filter(purpose="event", customer=invitation.customer).first()
    if message is not None:
        assert "/care/rsvp/" in message.body
    client = Client()
    link = f"/care/rsvp/{events.rsvp_token(invitation)}/"
    page = client.get(link)
    assert page.status_code == 200 and "秋季茶文化交流" in page.content.decode()
    assert not latin_shown(page.content.decode())  # the customer's page is Chinese too
    assert client.post(link, {"rsvp": "yes"}).status_code in (200, 302)
    invitation.refresh_from_db()
    assert invitation.rsvp == Rsvp.YES and invitation.rsvp_by_customer
    assert client.get("/care/rsvp/not-a-token/").status_code == 404
    other = Invitation.objects.filter(event=event).exclude(pk=invitation.pk).first()
    events.record(act("zhengkai"), other, rsvp=Rsvp.NO)
    with pytest.raises(Invalid):  # attendance once the event began
        events.record(act("zhengkai"), invitation, attended=True)
    clock.freeze(at(date(2026, 10, 17)))
    assert events.record(act("zhengkai"), invitation, attended=True).attended is True
    found = queries.event(act("gaofeng"), event.pk)
    assert (found.coming, found.attended) == (1, 1)


@pytest.mark.django_db
def test_a_month_without_an_event_is_flagged_once(demo, act, water, event):  # CARE-3
    clock.freeze(at(date(2026, 11, 2)))  # October had an event for 华辰水务, none for 华辰置业
    assert events.monthly_check() >= 1
    gaps = EventGap.objects.filter(month=date(2026, 10, 1))
    assert not gaps.filter(unit=water).exists()
    realty = demo["wangfang"].unit.parent
    gap = gaps.get(unit=realty)
    why = _why(gap, "CARE-3")
    assert "少于每月 1 期" in why.outcome
    assert (
        Notification.objects.filter(recipient=demo["wangfang"].user, template="care.event_gap").count() == 1
    )
    assert events.monthly_check() == 0  # once


@pytest.mark.django_db
def test_another_subsidiary_sees_nothing(demo, act, event):  # CARE-3 scope
    with pytest.raises(NotFound):
        queries.event(act("wangfang"), event.pk)
    with pytest.raises(NotFound):
        events.invite(act("wangfang"), event)
    assert queries.event(act("zhengkai"), event.pk).pk == event.pk
