"""Revisit campaigns and 《回访总结报告》 (FUP-1): customers by rule, one revisit each by load, the
report's counts per campaign and per month, as a page, an Excel workbook and a printable PDF."""

import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from tests.pages.test_chinese_only import latin_shown

from kefu.cases.models import Case, CaseState
from kefu.core import clock, decisions, memo
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.customers.models import Customer
from kefu.followups import reports
from kefu.followups.actions import attempts, campaigns, surveys
from kefu.followups.models import CampaignState, Outcome, RevisitCampaign, RevisitTask, TaskState
from kefu.followups.queries import campaigns as queries
from kefu.org.models import Employee, Role, RoleAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(demo):
    return demo["gaofeng"].unit.parent  # 华辰水务有限公司


@pytest.fixture
def keys(demo, water):
    """华辰水务's key customers, callable at any hour."""
    found = Customer.objects.filter(
        unit__path__startswith=water.path, destroyed_at__isnull=True, merged_into__isnull=True
    )
    found.update(contact_window="", no_third_party_contact=False)
    chosen = list(found.order_by("pk")[:6].values_list("pk", flat=True))
    Customer.objects.filter(pk__in=chosen).update(tier="key")
    found.exclude(pk__in=chosen).exclude(tier="strategic").update(tier="normal")
    return list(Customer.objects.filter(unit__path__startswith=water.path, tier="key").order_by("pk"))


@pytest.fixture
def drive(act, water, keys, frozen):
    return campaigns.create_campaign(
        act("gaofeng"),
        water,
        name="2026年一季度重点客户回访",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        rule={"tiers": ["key"]},
    )


def test_fup1_campaign_opens_one_revisit_per_selected_customer_by_load(demo, act, drive, keys):
    other = Employee.objects.get(pk=demo["lvxin"].pk)
    RoleAssignment.objects.create(employee=other, role=Role.objects.get(code="revisit_officer"))
    assert campaigns.launch(act("gaofeng"), drive, size=4) == 4  # the first batch, in the request
    drive.refresh_from_db()
    assert drive.state == CampaignState.LAUNCHING and drive.checkpoint == keys[3].pk
    assert campaigns.sweep() == len(keys) - 4  # the worker opens the rest from the checkpoint
    assert campaigns.sweep() == 0
    tasks = RevisitTask.objects.filter(campaign=drive)
    assert sorted(t.customer_id for t in tasks) == [c.pk for c in keys]  # the rule's customers, only them
    per_officer = {pk: tasks.filter(assignee_id=pk).count() for pk in (demo["zhengkai"].pk, other.pk)}
    assert sorted(per_officer.values()) == [len(keys) // 2, len(keys) // 2]  # by load
    assert all(t.due_at.date() == date(2026, 3, 31) and t.state == TaskState.OPEN for t in tasks)
    drive.refresh_from_db()
    assert drive.state == CampaignState.LAUNCHED and drive.opened == len(keys)
    assert "回访活动" in decisions.for_object(tasks[0]).get().outcome
    assert AuditEvent.objects.filter(action="followups.task.open", object_id=str(tasks[0].pk)).exists()
    assert campaigns.launch(act("gaofeng"), drive) == 0  # launched once


def test_fup1_campaign_launch_resumes_and_never_opens_twice(act, drive, keys):
    # a launch stopped after its first batch continues from its checkpoint
    drive.checkpoint = keys[2].pk
    drive.save(update_fields=["checkpoint"])
    assert campaigns.launch(act("gaofeng"), drive) == len(keys) - 3
    drive.checkpoint, drive.state = 0, CampaignState.PLANNED  # a crashed launch read from the start again
    drive.save(update_fields=["checkpoint", "state"])
    assert campaigns.launch(act("gaofeng"), drive) == 3
    assert RevisitTask.objects.filter(campaign=drive).count() == len(keys)
    one = RevisitTask.objects.filter(campaign=drive).first()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses a second one
        RevisitTask.objects.create(
            campaign=drive,
            customer_id=one.customer_id,
            unit_id=one.unit_id,
            due_at=one.due_at,
            created_at=one.created_at,
        )


def test_fup1_campaign_is_planned_by_revisit_configurers_only(demo, act, water):
    with pytest.raises(PermissionDenied):
        campaigns.create_campaign(
            act("zhengkai"), water, name="x", starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 2)
        )
    with pytest.raises(NotFound):  # another subsidiary: not found
        campaigns.create_campaign(
            act("gaofeng"),
            demo["wangfang"].unit,
            name="x",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 2),
        )
    with pytest.raises(Invalid) as backwards:
        campaigns.create_campaign(
            act("gaofeng"), water, name="x", starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 1)
        )
    assert "结束日期" in backwards.value.zh
    with pytest.raises(Invalid):
        campaigns.create_campaign(
            act("gaofeng"),
            water,
            name="x",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 2),
            rule={"x": 1},
        )


def test_fup1_an_ended_campaign_cannot_be_launched(act, drive, frozen):
    clock.freeze(frozen + timedelta(days=40))
    with pytest.raises(Conflict):
        campaigns.launch(act("gaofeng"), drive)


def _outcomes(act, drive):
    """Two satisfied, one not satisfied (words with a phone number), one unreachable to the end, the
    rest still open."""
    tasks = list(RevisitTask.objects.filter(campaign=drive).order_by("customer_id"))
    zhengkai = act("zhengkai")
    attempts.record(zhengkai, tasks[0], outcome=Outcome.SATISFIED)
    attempts.record(zhengkai, tasks[1], outcome=Outcome.SATISFIED)
    attempts.record(zhengkai, tasks[2], outcome=Outcome.UNSATISFIED, words="水费太高，请打13812345678联系我")
    for _ in range(4):  # the first try and the pack's three retries
        attempts.record(zhengkai, RevisitTask.objects.get(pk=tasks[3].pk), outcome=Outcome.UNREACHABLE)
    return tasks


def test_fup1_report_counts_reached_unreached_and_satisfaction(act, drive, keys):
    campaigns.launch(act("gaofeng"), drive)
    _outcomes(act, drive)
    report = queries.campaign_report(act("gaofeng"), drive)
    t = report.totals
    assert (t.total, t.reached, t.unreached, t.open) == (len(keys), 3, 1, len(keys) - 4)
    assert (t.satisfied, t.unsatisfied) == (2, 1)
    assert t.reach_rate == 75.0 and t.satisfied_rate == pytest.approx(66.7)
    ((name, mine),) = report.officers
    assert name == "郑凯" and mine.total == len(keys) and mine.satisfied == 2
    (item,) = report.unsatisfied
    assert "138****5678" in item["words"] and "13812345678" not in item["words"]  # masked
    assert item["officer"] == "郑凯" and "*" in item["customer"]


def test_fup1_report_as_excel_and_pdf(act, drive, client, demo):
    campaigns.launch(act("gaofeng"), drive)
    _outcomes(act, drive)
    client.force_login(demo["gaofeng"].user)
    sheet = client.get(f"/revisits/campaigns/{drive.pk}/?format=xlsx")
    assert sheet.status_code == 200 and sheet["Content-Type"] == reports.XLSX
    book = load_workbook(io.BytesIO(sheet.content))
    rows = list(book["汇总"].values)
    assert "回访总结报告" in rows[0][0]
    total = next(r for r in rows if r and r[0] == "合计")
    assert total[1:7] == (6, 3, 1, 2, 2, 1)
    words = list(book["不满意"].values)
    assert len(words) == 2 and "138****5678" in words[1][4]
    printed = client.get(f"/revisits/campaigns/{drive.pk}/?format=pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")
    assert "回访总结报告" in _pdf_title(printed.content)


def test_fup1_a_campaign_named_like_markup_still_prints(act, drive, client, demo):
    drive.name = "夏季<b>回访</para>"  # reportlab reads paragraph text as markup
    drive.save(update_fields=["name"])
    client.force_login(demo["gaofeng"].user)
    printed = client.get(f"/revisits/campaigns/{drive.pk}/?format=pdf")
    assert printed.status_code == 200 and printed.content.startswith(b"%PDF")


def _pdf_title(content: bytes) -> str:
    """The document's /Title: a PDF literal string in UTF-16BE with octal escapes (no PDF library)."""
    raw = re.search(rb"/Title \((.*?)\) ", content, re.S).group(1)
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i : i + 1] == b"\\":
            if raw[i + 1 : i + 2].isdigit():
                out.append(int(raw[i + 1 : i + 4], 8))
                i += 4
            else:
                out += raw[i + 1 : i + 2]
                i += 2
        else:
            out.append(raw[i])
            i += 1
    return bytes(out).decode("utf-16")


def test_fup1_month_report_counts_plans_and_campaigns(
    act, demo, drive, plan, open_case, resolve, client, water
):
    campaigns.launch(act("gaofeng"), drive)
    case = resolve(open_case())
    by_plan = RevisitTask.objects.get(case=case)
    attempts.record(act("zhengkai"), by_plan, outcome=Outcome.SATISFIED)
    report = queries.month_report(act("gaofeng"), water, 2026, 3)
    assert report.totals.total == RevisitTask.objects.filter(unit__path__startswith=water.path).count() == 7
    assert report.totals.satisfied == 1
    assert queries.month_report(act("gaofeng"), water, 2026, 4).totals.total == 0
    client.force_login(demo["gaofeng"].user)
    page = client.get(f"/revisits/monthly/?unit={water.pk}&month=2026-03")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="report-total">7<' in body and "回访总结报告" in body
    sheet = client.get(f"/revisits/monthly/?unit={water.pk}&month=2026-03&format=xlsx")
    assert load_workbook(io.BytesIO(sheet.content))["汇总"]["B5"].value == 7
    assert client.get(f"/revisits/monthly/?unit={water.pk}&month=2026-03&format=pdf").content[:4] == b"%PDF"


def test_fup1_campaign_pages(demo, client, water, keys, frozen):
    client.force_login(demo["gaofeng"].user)
    page = client.get("/revisits/campaigns/")
    assert page.status_code == 200 and 'id="campaign-form"' in page.content.decode()
    made = client.post(
        "/revisits/campaigns/",
        {
            "unit": water.pk,
            "name": "三月回访",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-31",
            "tiers": ["key"],
        },
    )
    assert made.status_code == 302, made.content.decode()
    launched = client.post(made["Location"])
    assert launched.status_code == 302
    body = client.get(made["Location"]).content.decode()
    assert 'id="report-total">6<' in body and "已发起" in body
    bad = client.post(
        "/revisits/campaigns/",
        {"unit": water.pk, "name": "倒序", "starts_on": "2026-03-09", "ends_on": "2026-03-01"},
    )
    assert bad.status_code == 400 and "结束日期" in bad.content.decode()
    task = RevisitTask.objects.filter(campaign__name="三月回访").first()
    client.force_login(demo["zhengkai"].user)  # the campaign's revisit in words, its "为什么" too
    html = client.get(f"/revisits/{task.pk}/").content.decode()
    assert "三月回访" in html and not latin_shown(html, {"zhengkai", "gaofeng", "lvxin"})
    queue = client.get("/revisits/").content.decode()
    assert "活动回访" in queue and not latin_shown(queue)
    client.force_login(demo["zhaomin"].user)  # another subsidiary's agent
    assert client.get(made["Location"]).status_code == 404


def test_fup1_campaign_launch_statements_do_not_grow_with_customers(act, water, keys, frozen):
    def campaign(name):
        return campaigns.create_campaign(
            act("gaofeng"),
            water,
            name=name,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 3, 31),
            rule={"tiers": ["key"]},
        )

    Customer.objects.filter(pk__in=[c.pk for c in keys[2:]]).update(tier="normal")
    small = campaign("小")
    with memo.scope(), CaptureQueriesContext(connection) as few:
        assert campaigns.launch(act("gaofeng"), small) == 2
    Customer.objects.filter(pk__in=[c.pk for c in keys]).update(tier="key")
    large = campaign("大")
    with memo.scope(), CaptureQueriesContext(connection) as many:
        assert campaigns.launch(act("gaofeng"), large) == len(keys)
    assert len(many) <= len(few) and len(many) <= 30  # one INSERT per table per batch (measured 19)


def test_csat1_a_sample_survey_campaign_puts_each_customers_latest_closed_case_on_its_task(
    demo, act, water, keys, frozen, open_case
):
    """CSAT-1 periodic surveys: a campaign over customers with a case closed recently (the rule's
    `closed_within_days`, sampled) gives each task that case, so the phone questionnaire counts for it."""
    customer = keys[0]
    older, latest = open_case(customer=customer, title="水表读数异常"), open_case(customer=customer)
    Case.objects.filter(pk=older.pk).update(
        customer=customer, state=CaseState.CLOSED, closed_at=clock.now() - timedelta(days=20)
    )
    Case.objects.filter(pk=latest.pk).update(
        customer=customer, state=CaseState.CLOSED, closed_at=clock.now() - timedelta(days=3)
    )
    sample = campaigns.create_campaign(
        act("gaofeng"),
        water,
        name="三月满意度抽样",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        rule={"tiers": ["key"], "closed_within_days": 30},
    )
    assert campaigns.launch(act("gaofeng"), sample) == 1  # only the customer with a closed case
    task = RevisitTask.objects.get(campaign=sample)
    assert (task.customer_id, task.case_id) == (customer.pk, latest.pk)
    answer = surveys.by_phone(
        act("zhengkai"), task, ratings={"service": "satisfied", "solution": "satisfied"}, words=""
    )
    assert answer.survey.case_id == latest.pk and answer.source == "phone"


def test_csat1_a_repeating_sample_opens_its_next_period_once_with_a_fresh_sample(
    demo, act, water, keys, frozen, client
):
    """CSAT-1 periodic campaigns: a campaign repeating every month opens the next month's campaign
    (same rule, its own sample) once that month has begun — once, however often the schedule runs."""
    monthly = campaigns.create_campaign(
        act("gaofeng"),
        water,
        name="月度满意度抽样",
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 3, 31),
        rule={"tiers": ["key"]},
        every_months=1,
    )
    campaigns.launch(act("gaofeng"), monthly)
    assert campaigns.repeat() == 0  # April has not begun
    clock.freeze(datetime(2026, 4, 1, 1, 0, tzinfo=UTC))  # 1 April, 09:00 in Shanghai
    assert campaigns.repeat() == 1
    assert campaigns.repeat() == 0
    april = RevisitCampaign.objects.get(previous=monthly)
    assert (april.name, april.starts_on, april.ends_on) == (
        "月度满意度抽样·2026-04",
        date(2026, 4, 1),
        date(2026, 4, 30),
    )
    assert april.state == CampaignState.LAUNCHED and april.rule == monthly.rule and april.every_months == 1
    assert RevisitTask.objects.filter(campaign=april).count() == len(keys)
    client.force_login(demo["gaofeng"].user)
    page = client.get(f"/revisits/campaigns/{april.pk}/").content.decode()
    assert "每 1 个月一期" in page and "上一期" in page
    with pytest.raises(Invalid):
        campaigns.create_campaign(
            act("gaofeng"),
            water,
            name="五月一次",
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 5, 2),
            every_months=5,
        )
