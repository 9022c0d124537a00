"""VEN-1 after approval (seed 000: "定期向工商行政管理部门或相关部门报送经营情况、财务报表等。相关部门会对备案企业进行
监管,并定期进行检查"): reports each period (cadence, deadline and grace from the pack, 本系统默认值), reminders
before due (once), a report missing past its grace lapses the filing once (certificate 失效, a decision record
naming VEN-1), a later report reinstates only through review; inspections on a schedule."""

from datetime import timedelta
from decimal import Decimal

import pytest

from kefu.core import clock
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.core.models import Decision
from kefu.engine.notifications.models import Notification
from kefu.vendors.actions import reviews, supervision
from kefu.vendors.models import Certificate, FilingStatus, ReportReview

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(frozen, act, submitted):
    reviews.approve(act("zhangwei"), submitted)
    submitted.refresh_from_db()
    return submitted


def test_ven1_report_periods_from_the_pack(approved):  # VEN-1
    due = approved.dues.get()
    assert due.period_start == clock.today()
    assert due.period_end == supervision.add_months(clock.today(), 3) - timedelta(days=1)
    assert due.due_on == due.period_end + timedelta(days=15)
    assert due.lapse_after == due.due_on + timedelta(days=10)
    inspection = approved.inspections.get()
    assert inspection.due_on == supervision.add_months(clock.today(), 6)


def test_ven1_report_on_time_opens_the_next_period_with_money_in_yuan(act, approved):  # VEN-1
    with pytest.raises(PermissionDenied):
        supervision.submit_report(act("zhangwei"), approved, summary="x", revenue="1", staff_count=1)
    with pytest.raises(Invalid):
        supervision.submit_report(act("wangfang"), approved, summary="经营正常", revenue="-1", staff_count=3)
    report = supervision.submit_report(
        act("wangfang"), approved, summary="本季度经营正常", revenue="1234567.891", staff_count=42
    )
    assert report.revenue == Decimal("1234567.89") and report.review == ReportReview.ON_TIME
    assert approved.dues.count() == 2
    second = approved.dues.get(seq=2)
    assert second.period_start == report.due.period_end + timedelta(days=1)


def test_ven1_reminders_before_a_report_and_an_inspection_are_sent_once(act, demo, approved):  # VEN-1
    due = approved.dues.get()
    clock.freeze(clock.local().replace(hour=8) + (due.due_on - clock.today()) - timedelta(days=8))
    assert supervision.remind() == 0  # 8 days before: not yet (vendors.report_remind_before 7 days)
    clock.advance(timedelta(days=1))
    assert supervision.remind() == 1
    assert supervision.remind() == 0  # once
    told = Notification.objects.filter(template="vendors.report_due")
    assert told.filter(recipient=demo["wangfang"].user).count() == 1
    inspection = approved.inspections.get()
    clock.freeze(clock.local() + (inspection.due_on - clock.today()) - timedelta(days=14))
    assert supervision.remind() == 1
    assert Notification.objects.filter(
        template="vendors.inspection_due", recipient=demo["zhangwei"].user
    ).exists()


def test_ven1_late_report_lapses_the_filing_once_with_a_decision(act, demo, approved):  # VEN-1
    due = approved.dues.get()
    clock.freeze(clock.local() + (due.lapse_after - clock.today()))
    assert supervision.lapse() == 0  # the last day of grace
    clock.advance(timedelta(days=1))
    assert supervision.lapse() == 1
    assert supervision.lapse() == 0  # fires once
    approved.refresh_from_db()
    assert approved.status == FilingStatus.LAPSED
    certificate = Certificate.objects.get(filing=approved)
    assert certificate.lapsed_at is not None and "逾期未报" in certificate.lapse_reason
    decision = Decision.objects.filter(rule="VEN-1", object_id=str(approved.pk)).order_by("-pk").first()
    assert decision.outcome.startswith("备案失效") and "本系统默认值" in str(decision.inputs)
    assert Notification.objects.filter(template="vendors.filing_lapsed", recipient=demo["wangfang"].user)


def test_ven1_later_report_reinstates_only_through_review(act, demo, approved):  # VEN-1
    due = approved.dues.get()
    clock.freeze(clock.local() + (due.lapse_after - clock.today()) + timedelta(days=1))
    supervision.lapse()
    report = supervision.submit_report(
        act("wangfang"), approved, summary="补报", revenue="100", staff_count=5
    )
    approved.refresh_from_db()
    assert report.review == ReportReview.PENDING and approved.status == FilingStatus.LAPSED  # not by itself
    with pytest.raises(Conflict):
        supervision.submit_report(act("wangfang"), approved, summary="再报", revenue="1", staff_count=5)
    with pytest.raises(PermissionDenied):
        supervision.reinstate(act("wangfang"), approved, report)
    supervision.reinstate(act("zhangwei"), approved, report, note="补报材料完整")
    approved.refresh_from_db()
    assert approved.status == FilingStatus.APPROVED
    certificates = list(Certificate.objects.filter(filing=approved).order_by("pk"))
    assert len(certificates) == 2 and certificates[0].lapsed_at and certificates[1].valid
    assert approved.dues.filter(submitted_at__isnull=True).get().period_start == clock.today()


def test_ven1_refused_late_report_keeps_the_filing_lapsed(act, approved):  # VEN-1
    due = approved.dues.get()
    clock.freeze(clock.local() + (due.lapse_after - clock.today()) + timedelta(days=1))
    supervision.lapse()
    report = supervision.submit_report(
        act("wangfang"), approved, summary="补报", revenue="100", staff_count=5
    )
    supervision.refuse(act("zhangwei"), approved, report, reason="财务报表不实")
    approved.refresh_from_db()
    assert approved.status == FilingStatus.LAPSED
    again = supervision.submit_report(
        act("wangfang"), approved, summary="重新补报", revenue="100", staff_count=5
    )
    assert again.review == ReportReview.PENDING  # a new report, again for review


def test_ven1_inspections_recorded_by_reviewers_schedule_the_next(act, approved):  # VEN-1
    with pytest.raises(PermissionDenied):
        supervision.record_inspection(act("wangfang"), approved, result="passed")
    with pytest.raises(Invalid):  # a finding needs a note
        supervision.record_inspection(act("zhangwei"), approved, result="rectify")
    row = supervision.record_inspection(act("zhangwei"), approved, result="passed")
    assert row.done_at and approved.inspections.filter(done_at__isnull=True).count() == 1
