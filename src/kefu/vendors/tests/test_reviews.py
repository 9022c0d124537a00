"""VEN-1 review (seed 000: "审核过程中,如发现申请材料不完整或不符合要求的情况,会要求补充或修改相应内容" and "通过审核后…
将备案信息登记并颁发备案证书"): a reviewer (vendors.review — the group office) asks for a supplement with a written
reason and a deadline from the pack (本系统默认值), the vendor's side supplements, approval issues a numbered
certificate and its PDF; an unanswered request returns the filing at its deadline, once; rejection needs a
reason."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.core.models import AuditEvent, Decision
from kefu.engine.notifications.models import Notification
from kefu.vendors.actions import filings, reviews
from kefu.vendors.models import Certificate, FilingStatus, ReportDue, Supplement
from kefu.vendors.tests.conftest import attach_all, code, upload

pytestmark = pytest.mark.django_db


def test_ven1_only_reviewers_review_and_not_the_vendors_side(act, submitted):  # VEN-1 ORG-3
    with pytest.raises(PermissionDenied):  # 王芳 enters the vendor's side; she does not approve it
        reviews.approve(act("wangfang"), submitted)
    with pytest.raises(PermissionDenied):
        reviews.request_supplement(act("wangfang"), submitted, reason="补充")


def test_ven1_supplement_requested_answered_then_approved_with_certificate(
    frozen, act, demo, submitted
):  # VEN-1
    reviewer, vendor = act("zhangwei"), act("wangfang")
    with pytest.raises(Invalid):
        reviews.request_supplement(reviewer, submitted, reason="  ")  # a written reason is required
    asked = reviews.request_supplement(reviewer, submitted, reason="合同未盖章", kinds=["contract"])
    assert asked.due_at == clock.now() + timedelta(days=15)  # vendors.supplement_within, 本系统默认值
    submitted.refresh_from_db()
    assert submitted.status == FilingStatus.SUPPLEMENT
    decision = Decision.objects.get(rule="VEN-1", object_id=str(submitted.pk))
    assert "补正期限" in decision.outcome and "本系统默认值" in str(decision.inputs)
    assert Notification.objects.filter(
        template="vendors.supplement_requested", recipient=demo["wangfang"].user
    )
    with pytest.raises(Invalid) as refused:  # the contract named must be uploaded again first
        reviews.answer_supplement(vendor, submitted, note="已补")
    assert "服务合同" in refused.value.message
    row = filings.add_material(vendor, submitted, kind="contract", upload=upload("合同（盖章）.pdf"))
    assert row.supplement == asked
    reviews.answer_supplement(vendor, submitted, note="已补盖章合同")
    submitted.refresh_from_db()
    assert submitted.status == FilingStatus.SUBMITTED
    certificate = reviews.approve(reviewer, submitted, note="材料齐全")
    submitted.refresh_from_db()
    assert submitted.status == FilingStatus.APPROVED and certificate.valid
    assert certificate.number == f"WB-{clock.local():%Y}-{certificate.pk:06d}"
    assert ReportDue.objects.filter(filing=submitted).count() == 1 and submitted.inspections.count() == 1
    with pytest.raises(Conflict):
        reviews.approve(reviewer, submitted)  # once
    client = Client()
    client.force_login(demo["wangfang"].user)
    response = client.get(f"/vendors/{submitted.pk}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and certificate.number in response["Content-Disposition"]
    page = client.get(f"/vendors/{submitted.pk}/").content.decode()
    assert certificate.number in page and "补正期限" in page  # the 为什么 panel


def test_ven1_certificate_numbers_are_unique_and_need_no_counter_row(act, realty, media):  # VEN-1
    numbers = []
    for n in range(3):
        found = filings.create(
            act("wangfang"),
            unit=realty,
            name=f"外包{n}",
            credit_code=code(f"91330106MA2NUM0{n}0"),
            registered_capital="100",
            contact_name="某",
            contact_phone="13900000009",
        )
        attach_all(act("wangfang"), found)
        filings.submit(act("wangfang"), found)
        numbers.append(reviews.approve(act("zhangwei"), found).number)
    assert len(set(numbers)) == 3
    assert Certificate.objects.filter(number__in=numbers).count() == 3


def test_ven1_unanswered_supplement_returns_the_filing_once_at_its_deadline(
    frozen, act, demo, submitted
):  # VEN-1
    reviews.request_supplement(act("zhangwei"), submitted, reason="信用证明已过期")
    clock.advance(timedelta(days=14, hours=23))
    assert reviews.expire() == 0
    clock.advance(timedelta(hours=1))
    assert reviews.expire() == 1
    assert reviews.expire() == 0  # fires once
    submitted.refresh_from_db()
    assert submitted.status == FilingStatus.RETURNED
    assert Supplement.objects.get(filing=submitted).expired_at is not None
    decision = Decision.objects.filter(rule="VEN-1", object_id=str(submitted.pk)).order_by("-pk").first()
    assert decision.outcome == "逾期未补正，备案已退回" and decision.actor is None
    assert (
        AuditEvent.objects.filter(action="vendors.supplement.expire", object_id=str(submitted.pk)).count()
        == 1
    )
    with pytest.raises(Conflict):  # too late to answer
        reviews.answer_supplement(act("wangfang"), submitted, note="补")
    filings.add_material(act("wangfang"), submitted, kind="credit", upload=upload("新信用证明.pdf"))
    assert filings.submit(act("wangfang"), submitted).status == FilingStatus.SUBMITTED  # submitted again


def test_ven1_reject_needs_a_written_reason(act, submitted):  # VEN-1
    with pytest.raises(Invalid):
        reviews.reject(act("zhangwei"), submitted, reason="")
    reviews.reject(act("zhangwei"), submitted, reason="业务模式不符合相关规定")
    submitted.refresh_from_db()
    assert submitted.status == FilingStatus.REJECTED and submitted.reject_reason == "业务模式不符合相关规定"
    with pytest.raises(Conflict):
        reviews.approve(act("zhangwei"), submitted)
