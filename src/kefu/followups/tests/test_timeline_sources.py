"""CUS-9: the customer timeline shows the satisfaction surveys of the customer's cases, their greetings
(关怀) and the messages sent to them — each as far as the viewer may see it, in a fixed number of
statements on the customer page."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import clock, memo
from kefu.customers.queries import archive
from kefu.followups.actions import greetings, occasions, surveys
from kefu.followups.models import GreetingDelivery
from kefu.followups.tests.survey_helpers import GOOD, close, token_sent, water_customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(act, open_case, resolve):
    def make(customer, title="水压不足"):
        return close(act, resolve(open_case(customer=customer, title=title)))

    return make


def _kinds(entries, kind):
    return [e for e in entries if e.kind == kind]


def test_cus9_surveys_and_their_messages_on_the_timeline(demo, act, client, closed):  # CUS-9
    customer = water_customer(demo)
    case = closed(customer)
    surveys.answer_by_token(
        token=token_sent(case), ratings=GOOD, words="很好，电话13812345678", ip="198.51.100.9"
    )
    entries = archive.timeline(act("gaofeng"), customer)
    titles = [e.title for e in _kinds(entries, "survey")]
    assert f"{case.number} · 满意度调查已发出" in titles
    (answer,) = [e for e in _kinds(entries, "survey") if "评价" in e.title]
    assert answer.title.endswith("满意") and "138****5678" in answer.detail
    messages = _kinds(entries, "message")
    assert any(e.title.startswith("短信 · 满意度调查") for e in messages)
    client.force_login(demo["gaofeng"].user)
    body = client.get(f"/customers/{customer.pk}/").content.decode()
    assert "满意度调查已发出" in body and "发给客户的消息" in body and "13812345678" not in body


def test_cus9_surveys_and_messages_stay_within_the_viewers_scope(demo, act, closed):  # CUS-9
    customer = water_customer(demo)
    closed(customer)
    other = archive.timeline(act("zhaomin"), customer)  # 华辰置业's agent: not this customer's company
    assert not _kinds(other, "survey") and not _kinds(other, "message")


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=UTC)


def test_cus9_greetings_on_the_timeline_within_care_reach(demo, act):  # CUS-9
    water = demo["gaofeng"].unit if demo["gaofeng"].unit.kind == "subsidiary" else demo["gaofeng"].unit.parent
    clock.freeze(_at(date(2026, 9, 1)))
    campaign = greetings.plan(
        act("gaofeng"), water, occasion="zhongqiu", year=2026, channel="sms", message="{name}您好，中秋快乐！"
    )
    clock.freeze(_at(date(2026, 9, 22)))
    occasions.daily()
    greetings.run(campaign.pk)
    greeted = GreetingDelivery.objects.filter(campaign=campaign).select_related("customer").first().customer
    entries = archive.timeline(act("gaofeng"), greeted)
    (greeting,) = _kinds(entries, "greeting")
    assert greeting.title.startswith("2026年中秋节慰问") and greeting.link.endswith(f"/{campaign.pk}/")
    assert any("节日慰问" in e.title for e in _kinds(entries, "message"))
    assert not _kinds(archive.timeline(act("zhaomin"), greeted), "greeting")


def test_cus9_customer_page_statements_do_not_grow_with_entries(demo, act, client, closed):  # CUS-9
    customer = water_customer(demo)
    closed(customer)
    client.force_login(demo["gaofeng"].user)
    url = f"/customers/{customer.pk}/"
    client.get(url)
    with memo.scope(), CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for title in ("二", "三", "四"):
        closed(customer, title=title)
    with memo.scope(), CaptureQueriesContext(connection) as four:
        assert client.get(url).status_code == 200
    assert len(archive.timeline(act("gaofeng"), customer)) > 0
    assert len(four) <= len(one), [q["sql"][:120] for q in four.captured_queries]
