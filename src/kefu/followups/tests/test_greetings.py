"""CARE-1 festival and birthday greetings: planned, started in their window (1–3 days before), one
greeting per customer and occasion, late or missed ones flagged."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.concurrency.support import pg_only

from kefu.core import clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.customers.models import Customer
from kefu.engine.notifications.models import Notification
from kefu.engine.outbound import api as outbound
from kefu.engine.outbound.api import MessageState, OutboundMessage
from kefu.followups.actions import greetings, occasions
from kefu.followups.models import (
    DeliveryState,
    GreetingCampaign,
    GreetingDelivery,
    GreetingState,
    Verdict,
)
from kefu.followups.queries import audiences
from kefu.followups.queries import greetings as queries

ZHONGQIU = date(2026, 9, 25)
REPO = Path(__file__).resolve().parents[4]


def _why(obj, rule):
    (found,) = [d for d in decisions.for_object(obj) if d.rule == rule]
    return found


def at(day: date, hour: int = 9) -> datetime:
    """`hour` o'clock in Shanghai on `day`."""
    return datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=UTC)


@pytest.fixture
def water(demo):
    return demo["gaofeng"].unit.parent if demo["gaofeng"].unit.kind != "subsidiary" else demo["gaofeng"].unit


@pytest.fixture
def campaign(demo, act, water):
    clock.freeze(at(date(2026, 9, 1)))
    return greetings.plan(
        act("gaofeng"),
        water,
        occasion="zhongqiu",
        year=2026,
        channel="sms",
        message="{name}您好，华辰水务祝您中秋快乐！",
    )


def _customers(water):
    return audiences.count(water, {})


@pytest.mark.django_db
def test_a_festival_campaign_greets_each_customer_once_in_its_window(demo, act, water, campaign):  # CARE-1
    assert campaign.state == GreetingState.PLANNED and campaign.occasion_on == ZHONGQIU
    assert campaign.title == "2026年中秋节慰问"
    clock.freeze(at(date(2026, 9, 21)))  # four days before: the window (1–3 days before) is not open
    assert occasions.daily()["started"] == 0
    clock.freeze(at(date(2026, 9, 22)))
    assert occasions.daily()["started"] == 1
    campaign.refresh_from_db()
    assert campaign.state == GreetingState.RUNNING
    why = _why(campaign, "CARE-1")
    assert "2026-09-22至2026-09-24" in why.outcome and why.clause == "于每个节日前的1-3日前送达"
    total = _customers(water)
    assert total > 3
    opted = Customer.objects.filter(unit__path__startswith=water.path).order_by("pk").first()
    outbound.opt_out(Actor.system("test"), opted, source="staff")  # 退订: no greeting, and why
    assert greetings.run(campaign.pk, size=3) == total
    refused = GreetingDelivery.objects.get(campaign=campaign, customer=opted)
    assert refused.state == DeliveryState.FAILED and refused.failure == "opted_out"
    assert "已退订 1 位" in _why(campaign, "FUP-2").outcome
    assert greetings.run(campaign.pk, size=3) == 0  # finished: nothing more, ever
    assert GreetingDelivery.objects.filter(campaign=campaign).count() == total
    messages = OutboundMessage.objects.filter(purpose="greeting")
    queued = GreetingDelivery.objects.filter(campaign=campaign, state=DeliveryState.QUEUED)
    assert messages.count() == queued.count() > 0
    one = queued.select_related("customer", "message").first()
    assert one.message.body.startswith(one.customer.name) and "中秋快乐" in one.message.body
    # the personal data stays encrypted: no number in the outbox's audit
    assert one.customer.phone not in str(one.message.__dict__.get("last_error", ""))


@pytest.mark.django_db
def test_greetings_late_or_missed_are_flagged_and_the_owner_told(demo, act, water, campaign):  # CARE-1
    clock.freeze(at(date(2026, 9, 22)))
    occasions.daily()
    greetings.run(campaign.pk)
    rows = list(GreetingDelivery.objects.filter(campaign=campaign, state=DeliveryState.QUEUED).order_by("pk"))
    assert len(rows) >= 2
    OutboundMessage.objects.filter(pk=rows[0].message_id).update(
        status=MessageState.SENT, sent_at=at(date(2026, 9, 23))
    )
    OutboundMessage.objects.filter(pk=rows[1].message_id).update(
        status=MessageState.SENT,
        sent_at=at(date(2026, 9, 25), 10),  # on the day: late
    )
    clock.freeze(at(date(2026, 9, 25)))
    result = occasions.daily()
    counts = {
        v: GreetingDelivery.objects.filter(campaign=campaign, verdict=v).count() for v in Verdict.values
    }
    assert counts[Verdict.ON_TIME] == 1 and counts[Verdict.LATE] == 1
    assert counts[Verdict.MISSED] == GreetingDelivery.objects.filter(campaign=campaign).count() - 2
    assert result["flagged"] == counts[Verdict.LATE] + counts[Verdict.MISSED]
    campaign.refresh_from_db()
    assert campaign.state == GreetingState.DONE
    flag = next(d for d in decisions.for_object(campaign) if "未送达" in d.outcome)
    assert flag.rule == "CARE-1" and "1 条迟于节日前1日送达" in flag.outcome
    told = Notification.objects.filter(recipient=demo["gaofeng"].user, template="care.greetings_late")
    assert told.count() == 1
    summary = queries.counts(campaign)
    assert summary["late"] == result["flagged"] and summary["sent"] == 2
    assert occasions.daily()["flagged"] == 0  # flagged once


@pytest.mark.django_db
def test_customers_the_batches_had_not_reached_by_the_day_are_missed_too(
    demo, act, water, campaign
):  # CARE-1
    clock.freeze(at(date(2026, 9, 22)))
    occasions.daily()
    assert greetings.run(campaign.pk, size=2, batches=1) == 2  # the worker stopped after one batch
    unreached = _customers(water) - 2
    assert unreached > 0
    clock.freeze(at(date(2026, 9, 25)))
    result = occasions.daily()
    campaign.refresh_from_db()
    assert campaign.state == GreetingState.DONE
    flag = next(d for d in decisions.for_object(campaign) if "到节日仍未慰问" in d.outcome)
    assert f"{unreached} 位客户" in flag.outcome and flag.rule == "CARE-1"
    assert result["flagged"] == 2 + unreached  # the two queued but never sent, and the rest never reached
    assert greetings.run(campaign.pk) == 0  # nothing goes out after the day


@pytest.mark.django_db
def test_planning_after_the_festival_is_refused_and_twice_is_refused(demo, act, water, campaign):  # CARE-1
    with pytest.raises(Conflict):
        greetings.plan(act("gaofeng"), water, occasion="zhongqiu", year=2026, channel="sms", message="您好")
    clock.freeze(at(date(2026, 9, 25)))
    with pytest.raises(Invalid) as refused:
        greetings.plan(act("gaofeng"), water, occasion="duanwu", year=2026, channel="sms", message="您好")
    assert refused.value.code == "CARE-1.day_passed"
    with pytest.raises(Invalid):  # an e-mail needs its subject
        greetings.plan(act("gaofeng"), water, occasion="chunjie", year=2027, channel="email", message="您好")


@pytest.mark.django_db
def test_festival_days_come_from_the_engine(demo, act, water):  # CARE-1
    clock.freeze(at(date(2026, 12, 1)))
    plan = greetings.plan(
        act("gaofeng"), water, occasion="chunjie", year=2027, channel="sms", message="新春快乐"
    )
    assert plan.occasion_on == date(2027, 2, 6)
    assert greetings.occasion_day("qingming", 2027) == date(2027, 4, 5)
    assert greetings.occasion_day("zhongqiu", 2026) == ZHONGQIU


@pytest.mark.django_db
def test_another_subsidiary_cannot_see_or_start_the_campaign(demo, act, campaign):  # CARE-1 scope
    with pytest.raises(NotFound):
        queries.campaign(act("wangfang"), campaign.pk)
    with pytest.raises(NotFound):
        greetings.start(act("wangfang"), campaign)
    assert queries.campaign(act("zhengkai"), campaign.pk) == campaign  # 回访组 of the same subsidiary


@pytest.mark.django_db
def test_calls_and_visits_wait_on_the_callers_list(demo, act, water):  # CARE-1
    clock.freeze(at(date(2026, 9, 1)))
    campaign = greetings.plan(
        act("gaofeng"),
        water,
        occasion="zhongqiu",
        year=2026,
        channel="call",
        message="电话问候",
        caller=demo["zhengkai"],
    )
    greetings.start(act("gaofeng"), campaign)
    greetings.run(campaign.pk)
    waiting = GreetingDelivery.objects.filter(campaign=campaign, state=DeliveryState.TO_CALL)
    assert waiting.count() == _customers(water) and not OutboundMessage.objects.exists()
    done = greetings.mark_done(act("zhengkai"), waiting.first())
    assert done.state == DeliveryState.DONE and done.done_at == clock.now()


@pytest.mark.django_db
def test_birthdays_are_greeted_once_a_year_in_the_window(demo, act, water):  # CARE-1
    clock.freeze(at(date(2026, 3, 2)))
    customer = Customer.objects.filter(unit__path__startswith=water.path).order_by("pk").first()
    Customer.objects.filter(pk=customer.pk).update(birthday=date(1980, 3, 5))  # three days ahead
    campaign = greetings.plan(
        act("gaofeng"), water, occasion="birthday", year=2026, channel="sms", message="生日快乐"
    )
    result = occasions.daily()
    assert result["started"] == 1
    mine = GreetingDelivery.objects.filter(campaign=campaign, customer=customer)
    assert mine.count() == 1 and mine.get().occasion_on == date(2026, 3, 5)
    clock.freeze(at(date(2026, 3, 3)))
    occasions.daily()
    assert mine.count() == 1  # once a year
    clock.freeze(at(date(2026, 3, 5)))
    occasions.daily()
    assert mine.get().verdict in (Verdict.MISSED, Verdict.LATE)  # never sent by the test's gateway


@pytest.mark.django_db
def test_a_batch_costs_the_same_statements_whatever_its_size(demo, act, water, campaign):
    # CARE-1: the delivery write path. Per batch, whatever its size: the campaign lock, the key-set
    # page, the names, the customers' locks, opt-outs, the cap's policy (3) and counts, one INSERT of
    # the messages, one of their audit rows, one of the greetings, the checkpoint and the batch's audit
    clock.freeze(at(date(2026, 9, 22)))
    greetings.start(act("gaofeng"), campaign)
    counted = []
    for size in (2, 8):
        with CaptureQueriesContext(connection) as queries_run:
            assert greetings.run(campaign.pk, size=size, batches=1) == size
        counted.append(len(queries_run))
    assert counted[0] == counted[1] <= 21, counted
    assert GreetingCampaign.objects.get(pk=campaign.pk).checkpoint > 0


# ---- exactly once when the worker is killed mid-batch (PostgreSQL, a real process) ---------------

RUNNER = """
import sys, time
from datetime import datetime
import django
django.setup()
from kefu.core import clock
from kefu.engine.outbound import api as outbound
from kefu.followups.actions import greetings, occasions
clock.freeze(datetime.fromisoformat(sys.argv[2]))
real = outbound.send_many
def slow(*args, **kwargs):  # the batch's messages written, its greetings not yet: the kill lands here
    queued = real(*args, **kwargs)
    time.sleep(float(sys.argv[4]))
    return queued
outbound.send_many = slow
print("greeted", greetings.run(int(sys.argv[1]), size=int(sys.argv[3])), flush=True)
"""


def _database_url() -> str:
    settings = connection.settings_dict
    user = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    return (
        f"postgresql://{user}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def _runner(tmp_path, campaign, pause: float) -> subprocess.Popen:
    env = {
        **os.environ,
        "KEFU_DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "src")]),
        "KEFU_DATA_DIR": str(tmp_path),
    }
    script = tmp_path / "runner.py"
    script.write_text(RUNNER)
    command = [sys.executable, str(script), str(campaign.pk), clock.now().isoformat(), "5", str(pause)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@pg_only
def test_a_batch_killed_mid_way_and_restarted_greets_everyone_exactly_once(demo, act, water, tmp_path):
    # CARE-1: exactly once per customer and occasion, also when the worker is killed (SIGKILL)
    clock.freeze(at(date(2026, 9, 1)))
    now = clock.now()
    Customer.objects.bulk_create(
        Customer(name=f"关怀客户{n:03d}", phone=f"1390000{n:04d}", unit=water, created_at=now, updated_at=now)
        for n in range(60)
    )
    campaign = greetings.plan(
        act("gaofeng"), water, occasion="zhongqiu", year=2026, channel="sms", message="{name}中秋快乐"
    )
    clock.freeze(at(date(2026, 9, 22)))
    greetings.start(act("gaofeng"), campaign)
    total = _customers(water)
    runner = _runner(tmp_path, campaign, 0.4)
    deadline = time.monotonic() + 60
    while GreetingCampaign.objects.get(pk=campaign.pk).checkpoint == 0 and time.monotonic() < deadline:
        time.sleep(0.05)  # the test waits for the other process, it does not time the product
    time.sleep(0.2)  # inside the next batch: its messages written, nothing committed
    os.kill(runner.pid, signal.SIGKILL)
    runner.wait(timeout=30)
    assert runner.returncode == -signal.SIGKILL
    partial = GreetingDelivery.objects.filter(campaign=campaign).count()
    assert 0 < partial < total and partial % 5 == 0  # whole batches only
    assert OutboundMessage.objects.filter(purpose="greeting").count() == partial
    restarted = _runner(tmp_path, campaign, 0)
    output, _ = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, output
    deliveries = GreetingDelivery.objects.filter(campaign=campaign)
    assert deliveries.count() == total
    assert deliveries.values("customer").distinct().count() == total
    messages = OutboundMessage.objects.filter(purpose="greeting")
    assert messages.count() == deliveries.exclude(message=None).count()
    assert messages.values("customer").distinct().count() == messages.count()
    assert deliveries.filter(state=DeliveryState.QUEUED).count() >= total - 20


@pytest.mark.django_db
def test_a_campaign_is_planned_and_started_on_its_pages(demo, water):  # CARE-1
    clock.freeze(at(date(2026, 9, 1)))
    client = Client()
    client.force_login(demo["gaofeng"].user)
    form = {
        "unit": water.pk,
        "occasion": "zhongqiu",
        "year": 2026,
        "channel": "sms",
        "message": "{客户姓名}中秋快乐",
    }
    planned = client.post("/care/greetings/", {**form, "tiers": ["key", "strategic"]})
    assert planned.status_code == 302, planned.content.decode()[-2000:]
    campaign = GreetingCampaign.objects.get()
    assert campaign.audience == {"tiers": ["key", "strategic"]}  # who is greeted: the rule
    page = client.get(planned["Location"]).content.decode()
    assert "2026-09-22" in page  # when it starts by itself: three days before
    assert client.post(f"/care/greetings/{campaign.pk}/start/").status_code == 302
    greetings.run(campaign.pk)
    greeted = set(GreetingDelivery.objects.filter(campaign=campaign).values_list("customer__tier", flat=True))
    assert greeted and greeted <= {"key", "strategic"}
    page = client.get(f"/care/greetings/{campaign.pk}/").content.decode()
    assert 'id="count-planned"' in page and "中秋" in page
    twice = client.post("/care/greetings/", form)
    assert twice.status_code == 409 and "已安排" in twice.content.decode()
    outsider = Client()
    outsider.force_login(demo["wangfang"].user)
    assert outsider.get(f"/care/greetings/{campaign.pk}/").status_code == 404
    agent = Client()
    agent.force_login(demo["lvxin"].user)  # a hotline agent has no customer care
    assert agent.get("/care/greetings/").status_code == 403
