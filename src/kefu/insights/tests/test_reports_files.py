"""Work reports printable and as Excel (RPT-1 "printable (PDF) and Excel"): one person's report — the
header (person, period, due, state, manager), the texts and the lines from the records — scoped like its
page; the manager's team view of a period with the counts per status and the team's reporting timeliness,
counted by the code the KPI "reporting timeliness" uses, equal to the page."""

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.insights.actions import reports
from kefu.insights.demo_reports import load_reports
from kefu.insights.models import WorkReport
from kefu.insights.queries import kpis
from kefu.insights.queries import reports as queries
from kefu.org.access import actor_for
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def login(demo, username):
    client = Client()
    client.force_login(demo[username].user)
    return client


def _as(demo, username):
    return actor_for(demo[username].user, origin="test")


def pdf_title(data: bytes) -> str:
    """The document title of a reportlab PDF (a literal string, UTF-16 with its byte-order mark)."""
    raw = re.search(rb"/Title \((.*?)(?<!\\)\)", data, re.S).group(1)
    raw = re.sub(rb"\\([0-7]{1,3})", lambda m: bytes([int(m.group(1), 8)]), raw)
    raw = re.sub(rb"\\(.)", rb"\1", raw, flags=re.S)
    return raw[2:].decode("utf-16-be") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def test_rpt1_work_report_pdf_and_excel(demo, frozen):  # RPT-1
    report = reports.open_mine(_as(demo, "zhaomin"))
    reports.submit(_as(demo, "zhaomin"), report, work="接听来电 8 通", problems="系统卡顿", plan="回访 3 户")
    report.refresh_from_db()
    for username in ("zhaomin", "lina"):  # the author and the manager it went to
        client = login(demo, username)
        pdf = client.get(f"/reports/{report.pk}/report.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF") and pages(pdf.content) >= 1
        assert "赵敏" in pdf_title(pdf.content) and "工作日报" in pdf_title(pdf.content)
        xlsx = client.get(f"/reports/{report.pk}/report.xlsx")
        assert xlsx.status_code == 200
        book = load_workbook(io.BytesIO(xlsx.content))
        head = {row[0]: row[1] for row in book["报告"].iter_rows(min_row=2, values_only=True) if row[0]}
        assert head["人员"].startswith("赵敏") and head["呈送"] == "李娜"
        assert head["状态"].startswith("按时提交")
        assert head["今日工作"] == "接听来电 8 通" and head["问题与建议"] == "系统卡顿"
        assert head["明日计划"] == "回访 3 户"
        assert book["记录"].max_row - 1 == report.lines.count()
    page = login(demo, "zhaomin").get(f"/reports/{report.pk}/").content.decode()
    assert f"/reports/{report.pk}/report.pdf" in page and f"/reports/{report.pk}/report.xlsx" in page


def test_rpt1_work_report_files_scoped_like_the_page(demo, frozen):  # RPT-1
    report = reports.open_mine(_as(demo, "zhaomin"))
    for username in ("sunli", "gaofeng"):  # another agent of the team; another subsidiary's manager
        client = login(demo, username)
        assert client.get(f"/reports/{report.pk}/").status_code == 404
        assert client.get(f"/reports/{report.pk}/report.pdf").status_code == 404
        assert client.get(f"/reports/{report.pk}/report.xlsx").status_code == 404
    assert login(demo, "zhaomin").get("/reports/team/team.xlsx").status_code == 403
    assert login(demo, "zhaomin").get("/reports/team/team.pdf").status_code == 403


def test_rpt1_draft_overdue_reads_overdue_in_the_file(demo, frozen):  # RPT-1
    report = reports.open_mine(_as(demo, "zhaomin"))
    clock.advance(timedelta(days=1))
    xlsx = login(demo, "zhaomin").get(f"/reports/{report.pk}/report.xlsx")
    head = {
        row[0]: row[1] for row in load_workbook(io.BytesIO(xlsx.content))["报告"].iter_rows(values_only=True)
    }
    assert head["状态"] == "逾期未提交" and head["呈送"] == "—"


def test_rpt1_team_export_counts_equal_the_page(demo):  # RPT-1, KPI-1
    load_reports(Actor.system("test"))
    monday = clock.today() - timedelta(days=clock.today().weekday() + 7)
    lina = login(demo, "lina")
    for period in ("day", "week"):
        query = {"period": period, "day": f"{monday + timedelta(days=3):%Y-%m-%d}"}
        page = lina.get("/reports/team/", query)
        assert page.status_code == 200
        sheet = page.context["sheet"]
        shown = re.findall(r'data-status="(\w+)"', page.content.decode())
        book = load_workbook(io.BytesIO(lina.get("/reports/team/team.xlsx", query).content))
        people = list(book["人员"].iter_rows(min_row=2, values_only=True))
        assert [row[0] for row in people] == [r.employee.name for r in sheet.rows]
        summary = dict(book["汇总"].iter_rows(min_row=3, values_only=True))
        for key, label in (("on_time", "按时提交"), ("late", "迟交"), ("missing", "逾期未提交")):
            assert summary[label] == shown.count(key) == sheet.counts[key]
        assert summary["本期到期报告"] == sheet.due and summary["其中按时提交"] == sheet.on_time
        assert summary["报表按时提交率"] == (f"{sheet.rate}%" if sheet.due else "—")
        pdf = lina.get("/reports/team/team.pdf", query)
        assert pdf.content.startswith(b"%PDF") and "团队" in pdf_title(pdf.content)
    # the day: 孙丽's Thursday missing, 赵敏's on time; the week: the KPI's own count for the same people
    day = queries.team_sheet(_as(demo, "lina"), "day", monday + timedelta(days=3))
    assert {r.employee.name: r.status for r in day.rows} == {"赵敏": "on_time", "孙丽": "missing"}
    week = queries.team_sheet(_as(demo, "lina"), "week", monday)
    hotline = Unit.objects.get(code="realty-cs-hotline")
    value = kpis.value(
        _as(demo, "lina"), "reporting_timeliness", kpis.Scope(unit=hotline), kpis.period_of("week", monday)
    )
    assert (week.on_time, week.due) == (value.numerator, value.denominator)
    assert (
        week.due
        == WorkReport.objects.filter(due_at__lt=queries.midnight(monday + timedelta(days=7)))
        .filter(due_at__gte=queries.midnight(monday))
        .count()
    )
    assert week.due > 0 and week.rate == value.value


def test_rpt1_typed_markup_prints_as_typed(demo, frozen):  # RPT-1: never a 500 on what people typed
    report = reports.open_mine(_as(demo, "zhaomin"))
    reports.save(
        _as(demo, "zhaomin"), report, work="<b>加粗 & R&D <script>", problems="a < b", plan="</para>"
    )
    client = login(demo, "zhaomin")
    pdf = client.get(f"/reports/{report.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = client.get(f"/reports/{report.pk}/report.xlsx")
    head = {
        row[0]: row[1] for row in load_workbook(io.BytesIO(xlsx.content))["报告"].iter_rows(values_only=True)
    }
    assert head["今日工作"] == "<b>加粗 & R&D <script>"
