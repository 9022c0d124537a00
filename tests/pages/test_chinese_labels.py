"""Codes read as words on the audit, case, claims, customer, discipline and inbox pages (issue 13):
object types, fields, coded values, origins, reasons stored as "中文 / English", the levels an
escalation passed over, a kind's own fields, the CUS-3 missing fields and the "为什么" outcomes. The
stored rows keep their codes; only what the page shows changes, and an English page reads English."""

import pytest
from django.conf import settings
from django.test import Client

from kefu import demo as demo_data
from kefu.cases.models import Case
from kefu.claims.models import Claim, Dispute, ProcessReport
from kefu.core import decisions
from kefu.core.models import AuditEvent
from kefu.customers.models import Customer
from kefu.discipline.models import PenaltyProposal
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow.models import Escalation
from kefu.org.models import Employee
from tests.db_snapshot import load_or_replay

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_demo(admin_user):
    load_or_replay(demo_data.load)
    return {e.user.username: e for e in Employee.objects.select_related("user")}


def _page(user, path: str, language: str = "zh-hans") -> str:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # pages follow the language the user picked
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def _audit_rows(user, query: str, language: str = "zh-hans") -> str:
    return _page(user, f"/audit/?{query}", language).split('id="audit-results"')[1]


def test_audit_shows_object_types_fields_and_values_in_words(full_demo):
    admin = full_demo["admin"].user
    case = Case.objects.filter(family="complaint").order_by("pk").first()
    rows = _audit_rows(admin, f"object_type=cases.case&object_id={case.pk}")
    assert "工单 #" in rows and "cases.case #" not in rows
    assert "来源渠道" in rows and "优先级" in rows  # fields by name, not `channel` / `priority`
    assert "命令行 · 演示数据" in rows and ">cli demo<" not in rows  # the origin in words
    claim = Claim.objects.filter(kind="walk_in").order_by("pk").first()
    rows = _audit_rows(admin, f"object_type=claims.claim&object_id={claim.pk}")
    assert "报备 #" in rows and "到店咨询意向客户" in rows and "walk_in" not in rows


def test_audit_reasons_levels_and_fingerprints_in_words(full_demo):
    admin = full_demo["admin"].user
    rows = _audit_rows(admin, "action=cases.case.route")
    assert "自动分派" in rows and "routed by load" not in rows
    rows = _audit_rows(admin, "action=workflow.escalate")
    assert "客服主管" in rows and "工单升级链" in rows
    assert ">supervisor<" not in rows and "Major complaint" not in rows
    rows = _audit_rows(admin, "action=customer.create")
    assert "指纹 " in rows and ">fp:" not in rows
    assert "客户档案 #" in rows and "customers.customer #" not in rows
    rows = _audit_rows(admin, "action=discipline.propose")
    assert "处罚建议 #" in rows and "虚假报备" in rows and "false_registration" not in rows
    assert "罚款" in rows and ">fine<" not in rows
    rows = _audit_rows(admin, "object_type=knowledge.category")  # a configured code no one named: as code
    assert "知识分类 #" in rows and "<code>property</code>" in rows and "<td>property</td>" not in rows


def test_audit_stores_codes_and_reads_english_in_english(full_demo):
    event = AuditEvent.objects.filter(action="cases.case.route").first()
    assert (
        event.object_type == "cases.case" and event.reason == "自动分派 / routed by load"
    )  # stored as it was
    rows = _audit_rows(full_demo["admin"].user, "action=cases.case.route", language="en")
    assert "routed by load" in rows and "自动分派" not in rows and "case #" in rows


def test_case_page_names_levels_fields_reasons_and_file_types(full_demo):
    admin = full_demo["admin"].user
    escalated = next(e for e in Escalation.objects.filter(chain="case").order_by("pk") if e.skipped)
    page = _page(admin, f"/cases/{escalated.object_id}/")
    side = page.split('id="escalations"')[1].split("</ul>")[0]
    assert "越过 客服主管" in side and "supervisor" not in side and "Major" not in side
    assert "（leadership）" not in page and "（cs_manager）" not in page  # "为什么" names the level in words
    routed = Case.objects.filter(owner__isnull=False).order_by("pk").first()
    page = _page(admin, f"/cases/{routed.pk}/")
    timeline = page.split('id="timeline"')[1]
    assert "自动分派" in timeline and "routed by load" not in timeline
    assert "可上传图片、PDF、文档、表格和纯文本文件" in page and "允许的类型：csv" not in page
    suggestion = Case.objects.filter(extra__has_key="proposer").order_by("pk").first()
    page = _page(admin, f"/cases/{suggestion.pk}/")
    assert "<dt>提出人</dt>" in page and "<dt>proposer</dt>" not in page


def test_case_timeline_transfer_bounce_in_chinese(full_demo):
    case = Case.objects.filter(transfers__bounce=True).order_by("pk").first()
    timeline = _page(full_demo["admin"].user, f"/cases/{case.pk}/").split('id="timeline"')[1]
    assert "· 退回" in timeline and "bounce" not in timeline


def test_customer_page_missing_fields_and_decisions_in_words(full_demo):
    admin = full_demo["admin"].user
    person = Customer.objects.filter(kind="person", gender="").order_by("pk").first()
    page = _page(admin, f"/customers/{person.pk}/")
    missing = page.split("缺少: ")[1].split("</p>")[0]
    assert "性别" in missing and "gender" not in missing
    assert "默认密级：" in page and "default confidentiality" not in page
    assigned = Customer.objects.exclude(specialist=None).order_by("pk").first()
    page = _page(admin, f"/customers/{assigned.pk}/")
    assert f"分配给 {assigned.specialist.name}" in page and "assigned to" not in page
    assert "first contact" not in page


def test_claim_dispute_report_and_penalty_pages_in_words(full_demo):
    admin = full_demo["admin"].user
    claim = Claim.objects.filter(kind="walk_in").order_by("pk").first()
    page = _page(admin, f"/claims/{claim.pk}/")
    assert "保护至 " in page and "protected until" not in page and "walk_in" not in page
    dispute = Dispute.objects.filter(open=False).order_by("pk").first()
    page = _page(admin, f"/claims/disputes/{dispute.pk}/")
    assert "裁定：虚假报备" in page and "ruled " not in page
    assert "owner_upheld" not in page and ">disputed<" not in page
    report = ProcessReport.objects.order_by("pk").first()
    story = _page(admin, f"/claims/reports/{report.pk}/").split('id="report-story"')[1]
    assert "<strong>提交</strong>" in story and "Submitted" not in story and "genuine" not in story
    proposal = PenaltyProposal.objects.order_by("pk").first()
    page = _page(admin, f"/discipline/{proposal.pk}/")
    assert "建议罚款" in page and "proposed fine" not in page


def test_inbox_escalation_reasons_in_the_readers_language(full_demo):
    message = Notification.objects.filter(template="escalation.skipped_level", language="zh-hans").first()
    assert "原因：重大" in message.body and "Major" not in message.body
    page = _page(message.recipient, "/inbox/")
    assert "Major" not in page and "overdue" not in page


def test_outcome_text_leaves_what_a_person_wrote_whole():
    assert decisions.outcome_text("自动分派 / routed by load") == "自动分派"
    assert decisions.outcome_text("经理 / 主管都不在") == "经理 / 主管都不在"
    assert decisions.outcome_text("一 / 二 / three") == "一 / 二 / three"


def test_inbox_upkeep_task_titles_in_the_readers_language():
    from kefu.engine.notifications import rendering

    context = {"task": "客户档案季度重新核定 / quarterly re-verification", "period": "2026-Q2", "count": 3}
    subject, body = rendering.render("customers.upkeep_due", "zh-hans", {**context, "rule": "CUS-5"})
    assert "客户档案季度重新核定" in subject and "quarterly" not in subject + body
    subject, _ = rendering.render("customers.upkeep_due", "en", {**context, "rule": "CUS-5"})
    assert "quarterly re-verification" in subject and "核定" not in subject
