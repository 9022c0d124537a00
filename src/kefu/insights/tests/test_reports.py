# ruff: noqa: F811  (`act`, `groups`, `new_case`: the cases fixtures, imported below)
"""Work reports and the monthly service report (RPT-1): the draft holds the day's records, editing and
submission to the supervisor, late flagged once, weekly and monthly summaries, the timeliness count,
rectification items to closure with the overdue flag, PDF and Excel, the sweeps."""

import io
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from kefu.cases import actions as case_actions
from kefu.cases.tests.conftest import act, groups, new_case  # noqa: F401  the cases fixtures, reused
from kefu.core import clock
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.models import Decision
from kefu.engine.notifications.models import Notification
from kefu.insights.actions import reports
from kefu.insights.exports import reports as exports
from kefu.insights.models import LineKind, RectificationState, ReportState, WorkReport
from kefu.insights.queries import kpis
from kefu.insights.queries import reports as queries
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # the `frozen` clock: Monday 2 March 2026, 10:00 in Shanghai


def _decisions(obj) -> list[str]:
    return list(
        Decision.objects.filter(object_id=str(obj.pk), rule="RPT-1").values_list("outcome", flat=True)
    )


def test_rpt1_draft_holds_the_days_records(demo, act, new_case):  # RPT-1
    case = new_case(title="咨询交房时间")
    owner = case.owner
    case_actions.act(act(owner.user.username), case, "accept")
    report = reports.draft(owner, "day", TODAY)
    kinds = {(line.kind, line.object_id) for line in report.lines.all()}
    assert (LineKind.RECEIVED, case.pk) in kinds
    assert (LineKind.HANDLED, case.pk) in kinds
    assert (LineKind.CARRIED, case.pk) in kinds
    assert report.figures["received"] == 1
    assert report.due_at == queries.midnight(TODAY + timedelta(days=1)) + timedelta(hours=10)
    assert _decisions(report)  # drafted, with the due time from the pack
    again = reports.draft(owner, "day", TODAY)  # refreshed, not drafted twice
    assert again.pk == report.pk and WorkReport.objects.filter(employee=owner).count() == 1


def test_rpt1_edit_and_submit_to_the_supervisor(demo, act, frozen, django_assert_max_num_queries):  # RPT-1
    zhaomin = act("zhaomin")
    report = reports.open_mine(zhaomin)
    with django_assert_max_num_queries(12):
        reports.save(zhaomin, report, work="接听来电 10 通", problems="无", plan="回访 3 户")
    with pytest.raises(PermissionDenied):
        reports.save(act("sunli"), report, work="改写")
    with django_assert_max_num_queries(20):
        report = reports.submit(zhaomin, report)
    assert report.state == ReportState.SUBMITTED and not report.late and report.flagged_at is None
    assert report.manager == demo["lina"]
    assert Notification.objects.filter(
        recipient=demo["lina"].user, template="insights.report_submitted"
    ).exists()
    with pytest.raises(Invalid):
        reports.save(zhaomin, report, work="再改")


def test_rpt1_submit_needs_the_work_written(demo, act, frozen):  # RPT-1
    report = reports.open_mine(act("zhaomin"))
    with pytest.raises(Invalid) as error:
        reports.submit(act("zhaomin"), report)
    assert error.value.code == "report_work_required"


def test_rpt1_late_is_flagged_once(demo, act, frozen):  # RPT-1
    zhaomin = act("zhaomin")
    report = reports.open_mine(zhaomin)
    clock.advance(timedelta(days=1, hours=1))  # Tuesday 11:00, past Tuesday 10:00
    assert reports.flag_overdue() == 1
    assert reports.flag_overdue() == 0
    assert Notification.objects.filter(
        recipient=demo["lina"].user, template="insights.report_missing"
    ).exists()
    report = reports.submit(zhaomin, report, work="补交")
    assert report.late and report.state == ReportState.SUBMITTED
    outcomes = _decisions(report)
    assert sum("迟交" in o for o in outcomes) == 1  # flagged once, not again when it came in


def test_rpt1_late_submission_flags_without_the_sweep(demo, act, frozen):  # RPT-1
    report = reports.open_mine(act("zhaomin"))
    clock.advance(timedelta(days=2))
    report = reports.submit(act("zhaomin"), report, work="补交")
    assert report.late and report.flagged_at is not None
    assert sum("逾期提交" in o for o in _decisions(report)) == 1


def test_rpt1_weekly_and_monthly_summaries(demo, act, frozen):  # RPT-1
    zhaomin = act("zhaomin")
    daily = reports.submit(zhaomin, reports.open_mine(zhaomin), work="今日工作")
    week = reports.open_mine(zhaomin, "week")
    assert (week.starts_on, week.ends_on) == (date(2026, 3, 2), date(2026, 3, 8))
    assert week.due_at == queries.midnight(date(2026, 3, 10))  # Sunday's end + 1 day (pack)
    assert (LineKind.REPORT, daily.pk) in {(line.kind, line.object_id) for line in week.lines.all()}
    month = reports.open_mine(zhaomin, "month")
    assert (month.starts_on, month.ends_on) == (date(2026, 3, 1), date(2026, 3, 31))
    assert month.due_at == queries.midnight(date(2026, 4, 4))
    assert reports.submit(zhaomin, week, work="本周工作").state == ReportState.SUBMITTED


def test_rpt1_timeliness_counts_on_time_and_due(demo, act, frozen):  # RPT-1
    zhaomin, employee = act("zhaomin"), demo["zhaomin"]
    since = queries.midnight(TODAY)
    reports.submit(zhaomin, reports.open_mine(zhaomin, "day", TODAY), work="一")  # on time
    clock.advance(timedelta(days=1, hours=2))  # Tuesday 12:00
    late = reports.open_mine(zhaomin, "day", TODAY + timedelta(days=1))
    clock.advance(timedelta(days=1))  # Wednesday 12:00: Tuesday's is due (10:00) and missing
    missing = reports.open_mine(zhaomin, "day", TODAY + timedelta(days=2))
    reports.open_mine(zhaomin, "day", TODAY + timedelta(days=2))  # Wednesday's: not due yet
    reports.submit(zhaomin, late, work="二")  # late
    until = since + timedelta(days=10)
    assert queries.timeliness(employee, since, until) == (1, 2)
    hotline = Unit.objects.get(code="realty-cs-hotline")
    assert queries.timeliness(hotline.path, since, until) == (1, 2)
    assert queries.timeliness(hotline.path, since, until, period="week") == (0, 0)
    clock.advance(timedelta(days=1))
    assert queries.timeliness(employee, since, until) == (1, 3)
    assert missing.state == ReportState.DRAFT


def test_rpt1_draft_sweep_from_the_pack_time(demo, frozen):  # RPT-1
    assert reports.draft_due() == 0  # 10:00, before 17:30
    clock.advance(timedelta(hours=8))  # 18:00
    drafted = reports.draft_due()
    assert drafted >= 5
    assert WorkReport.objects.filter(employee=demo["zhaomin"], period="day", starts_on=TODAY).exists()
    assert not WorkReport.objects.filter(employee=demo["zhangwei"]).exists()  # 总经理 writes none
    assert reports.draft_due() == 0
    clock.advance(timedelta(days=5))  # Saturday 18:00: a rest day on the office calendar
    assert reports.draft_due() == 0
    clock.advance(timedelta(days=1))  # Sunday 18:00: the week's summaries
    assert reports.draft_due() == drafted
    assert WorkReport.objects.filter(employee=demo["zhaomin"], period="week").exists()


@pytest.fixture
def service(demo, act, frozen):
    return reports.create_service_report(
        act("wangfang"), Unit.objects.get(code="realty-cs"), date(2026, 2, 1)
    )


def test_rpt1_rectification_items_to_closure_with_the_overdue_flag(demo, act, service, frozen):  # RPT-1
    wangfang, lina = act("wangfang"), act("lina")
    first = reports.add_item(
        wangfang,
        service,
        problem="交房咨询重复",
        measure="补知识库",
        owner=demo["lina"],
        due_on=date(2026, 3, 5),
    )
    second = reports.add_item(
        wangfang, service, problem="报修超时", measure="", owner=demo["zhouqiang"], due_on=date(2026, 3, 3)
    )
    with pytest.raises(PermissionDenied):
        reports.advance_item(act("zhaomin"), first, "done")
    first = reports.advance_item(lina, first, "done")
    with pytest.raises(PermissionDenied):
        reports.advance_item(lina, first, "verified")
    first = reports.advance_item(wangfang, first, "verified")
    assert first.state == RectificationState.VERIFIED and first.verified_by == demo["wangfang"]
    with pytest.raises(Invalid):
        reports.advance_item(wangfang, first, "done")
    clock.advance(timedelta(days=2))  # 4 March: the second is past its due date
    assert reports.flag_overdue_items() == 1
    assert reports.flag_overdue_items() == 0
    second.refresh_from_db()
    assert second.overdue_flagged_at is not None
    assert any("逾期" in o for o in _decisions(second))
    assert Notification.objects.filter(
        recipient=demo["zhouqiang"].user, template="insights.rectification_overdue"
    ).exists()


def test_rpt1_service_report_figures_and_sign_off(demo, act, service):  # RPT-1
    wangfang = act("wangfang")
    assert set(service.figures) >= {"received", "complaint", "closed", "revisited"}
    with pytest.raises(Invalid):
        reports.sign_service_report(wangfang, service)  # no problems written
    service = reports.update_service_report(wangfang, service, summary="本月概述", problems="维修慢")
    service = reports.sign_service_report(wangfang, service)
    assert service.state == "signed" and service.signed_by == demo["wangfang"]
    with pytest.raises(Invalid):
        reports.update_service_report(wangfang, service, summary="改")
    with pytest.raises(Invalid):
        reports.create_service_report(wangfang, service.unit, date(2026, 2, 14))  # one per month


def test_rpt1_pdf_and_excel_open(demo, act, service):  # RPT-1
    reports.add_item(
        act("wangfang"),
        service,
        problem="报修超时",
        measure="催办",
        owner=demo["lina"],
        due_on=date(2026, 3, 20),
    )
    data = exports.pdf(service)
    assert data.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(exports.workbook(service)))
    assert book.sheetnames == ["概况", "整改项"]
    assert "客户服务报告" in book["概况"]["A1"].value
    rows = list(book["整改项"].iter_rows(values_only=True))
    assert rows[0][0] == "整改问题" and rows[1][0] == "报修超时" and rows[1][2] == "李娜"


def test_rpt1_scopes(demo, act, service):  # RPT-1
    report = reports.open_mine(act("zhaomin"))
    assert queries.report(act("lina"), report.pk) == report  # her supervisor
    for outsider in ("gaofeng", "lvxin", "wujing"):  # another subsidiary's manager, another agent
        with pytest.raises(NotFound):
            queries.report(act(outsider), report.pk)
    with pytest.raises(NotFound):
        queries.service_report(act("gaofeng"), service.pk)
    with pytest.raises(NotFound):
        reports.add_item(
            act("gaofeng"), service, problem="x", measure="", owner=demo["lina"], due_on=date(2026, 3, 9)
        )
    with pytest.raises(NotFound):
        reports.create_service_report(act("gaofeng"), service.unit, date(2026, 1, 1))


def test_kpi1_reporting_timeliness_from_the_work_reports(demo, act, frozen):  # KPI-1, RPT-1
    zhaomin = act("zhaomin")
    reports.submit(zhaomin, reports.open_mine(zhaomin, "day", TODAY), work="一")  # on time
    clock.advance(timedelta(days=1, hours=2))
    late = reports.open_mine(zhaomin, "day", TODAY + timedelta(days=1))
    clock.advance(timedelta(days=1))
    reports.submit(zhaomin, late, work="二")  # late: one of two due on time
    lead = act("lina")
    period = kpis.period_of("month", TODAY)
    found = kpis.value(lead, "reporting_timeliness", kpis.scope_of(lead, agent=demo["zhaomin"].pk), period)
    assert (found.numerator, found.denominator, found.value) == (1, 2, 50.0)
