"""CARE-2 holiday gifts: each ≤ 200 元 ("价格200元以内"), the list approved (approval chain) before
the holiday, then an issue register."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock, decisions
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.models import Customer
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import gifts
from kefu.followups.models import GiftListState, GiftReceipt
from kefu.followups.queries import gifts as queries


def _why(obj, rule):
    (found,) = [d for d in decisions.for_object(obj) if d.rule == rule]
    return found


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=UTC)


@pytest.fixture
def water(demo):
    return demo["gaofeng"].unit.parent


@pytest.fixture
def customers(water):
    return list(Customer.objects.filter(unit__path__startswith=water.path).order_by("pk")[:3])


@pytest.fixture
def gift_list(demo, act, water):
    clock.freeze(at(date(2026, 9, 1)))
    return gifts.create_list(act("zhengkai"), water, occasion="zhongqiu", year=2026)


@pytest.mark.django_db
def test_a_gift_over_200_yuan_is_refused_with_the_clause(demo, act, gift_list, customers):  # CARE-2
    item = gifts.add_item(act("zhengkai"), gift_list, customer=customers[0], gift="月饼礼盒", price="200.00")
    assert item.price == Decimal("200.00")
    with pytest.raises(Invalid) as refused:
        gifts.add_item(act("zhengkai"), gift_list, customer=customers[1], gift="茶叶", price="200.01")
    assert refused.value.code == "CARE-2.over_limit"
    assert "价格200元以内" in refused.value.zh and "200" in refused.value.zh
    for bad in ("abc", "0", "-5", "12.345", "NaN", "Infinity"):
        with pytest.raises(Invalid):
            gifts.add_item(act("zhengkai"), gift_list, customer=customers[1], gift="茶叶", price=bad)
    assert gift_list.items.count() == 1


@pytest.mark.django_db
def test_the_list_is_approved_before_the_holiday(demo, act, gift_list, customers):  # CARE-2
    gifts.add_item(act("zhengkai"), gift_list, customer=customers[0], gift="月饼礼盒", price="168.00")
    gifts.add_item(act("zhengkai"), gift_list, customer=customers[1], gift="茶叶", price=Decimal("99.5"))
    submitted = gifts.submit(act("zhengkai"), gift_list)
    assert submitted.state == GiftListState.PENDING
    why = _why(gift_list, "CARE-2")
    assert "267.50" in why.outcome and why.clause == "指向客户赠送礼品(价格200元以内)"
    with pytest.raises(Conflict):  # submitted: it cannot change
        gifts.add_item(act("zhengkai"), gift_list, customer=customers[2], gift="茶叶", price="10")
    step = queries.my_pending_step(act("gaofeng"), gift_list)
    assert step is not None  # the 客服经理 of the subsidiary approves
    clock.freeze(at(date(2026, 9, 25)))  # the holiday: too late
    with pytest.raises(Invalid) as refused:
        gifts.decide(act("gaofeng"), gift_list, "approve")
    assert refused.value.code == "CARE-2.holiday_passed"
    with pytest.raises(Invalid):  # also through the approvals inbox: the transition's guard
        workflow.decide(act("gaofeng"), step.pk, "approve")
    gift_list.refresh_from_db()
    assert gift_list.state == GiftListState.PENDING
    clock.freeze(at(date(2026, 9, 24)))
    approved = gifts.decide(act("gaofeng"), gift_list, "approve")
    assert approved.state == GiftListState.APPROVED


@pytest.mark.django_db
def test_submitting_on_the_holiday_is_refused(demo, act, gift_list, customers):  # CARE-2
    gifts.add_item(act("zhengkai"), gift_list, customer=customers[0], gift="月饼礼盒", price="88")
    clock.freeze(at(date(2026, 9, 25)))
    with pytest.raises(Invalid) as refused:
        gifts.submit(act("zhengkai"), gift_list)
    assert refused.value.code == "CARE-2.holiday_passed"


@pytest.mark.django_db
def test_the_issue_register(demo, act, gift_list, customers):  # CARE-2
    item = gifts.add_item(act("zhengkai"), gift_list, customer=customers[0], gift="月饼礼盒", price="120")
    with pytest.raises(Conflict):  # not approved yet
        gifts.issue(act("zhengkai"), item)
    gifts.submit(act("zhengkai"), gift_list)
    gifts.decide(act("gaofeng"), gift_list, "approve")
    issued = gifts.issue(act("zhengkai"), item)
    assert issued.issued_by == demo["zhengkai"] and issued.issued_at == clock.now()
    with pytest.raises(Conflict):
        gifts.issue(act("zhengkai"), item)
    confirmed = gifts.confirm(act("zhengkai"), item, GiftReceipt.RECEIVED)
    assert confirmed.receipt == GiftReceipt.RECEIVED


@pytest.mark.django_db
def test_another_subsidiary_sees_nothing(demo, act, gift_list, customers):  # CARE-2 scope
    with pytest.raises(NotFound):
        queries.gift_list(act("wangfang"), gift_list.pk)
    with pytest.raises(NotFound):
        gifts.add_item(act("wangfang"), gift_list, customer=customers[0], gift="茶叶", price="10")
    realty = Customer.objects.exclude(unit__path__startswith=gift_list.unit.path).first()
    with pytest.raises(NotFound):  # a customer of another subsidiary
        gifts.add_item(act("zhengkai"), gift_list, customer=realty, gift="茶叶", price="10")
    assert not queries.gift_lists(act("wangfang")).exists()


@pytest.mark.django_db
def test_the_page_refuses_an_over_limit_gift_in_chinese(demo, act, gift_list, customers):  # CARE-2
    client = Client()
    client.force_login(demo["zhengkai"].user)
    page = client.post(
        f"/care/gifts/{gift_list.pk}/",
        {"do": "add", "customer": customers[0].pk, "gift": "高档茶叶", "price": "350"},
    )
    html = page.content.decode()
    assert page.status_code == 400 and "价格200元以内" in html
    assert not gift_list.items.exists()  # nothing half-written
    assert not latin_shown(html, {"zhengkai"})
    added = client.post(
        f"/care/gifts/{gift_list.pk}/",
        {"do": "add", "customer": customers[0].pk, "gift": "月饼礼盒", "price": "158"},
    )
    assert added.status_code == 302 and gift_list.items.get().price == Decimal("158.00")
    submitted = client.post(f"/care/gifts/{gift_list.pk}/", {"do": "submit"})
    assert submitted.status_code == 302
    manager = Client()
    manager.force_login(demo["gaofeng"].user)
    html = manager.get(f"/care/gifts/{gift_list.pk}/").content.decode()
    assert 'id="gift-decision"' in html  # the 客服经理 decides on the page
    assert (
        manager.post(f"/care/gifts/{gift_list.pk}/", {"do": "decide", "decision": "approve"}).status_code
        == 302
    )
    gift_list.refresh_from_db()
    assert gift_list.state == GiftListState.APPROVED
