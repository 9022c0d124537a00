"""Work reports and the monthly service report as files (RPT-1): a printable A4 PDF (reportlab with its built-in CID font
STSong-Light, registered by the followups report helper, so Chinese prints without font files) and an
Excel workbook (openpyxl, through the archive's spreadsheet helpers) — for the monthly service report, one
person's daily / weekly / monthly work report, and a manager's team view of a period. Pure rendering; no
state changes."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kefu.core import clock
from kefu.customers.governance.sheets import XLSX, workbook_bytes, writable
from kefu.insights.models import Period, ServiceReport, WorkReport
from kefu.insights.queries import reports as queries
from kefu.web.printing import PDF, style, table, text

__all__ = [
    "PDF",
    "XLSX",
    "filename",
    "pdf",
    "team_filename",
    "team_pdf",
    "team_workbook",
    "work_filename",
    "work_pdf",
    "work_workbook",
    "workbook",
]

ITEM_HEAD = ["整改问题", "整改措施", "责任人", "整改期限", "状态", "完成时间", "验证"]


def title(report: ServiceReport) -> str:
    return f"{report.unit.name} {report.month:%Y年%m月} 客户服务报告"


def filename(report: ServiceReport, ext: str) -> str:
    return f"service-report-{report.unit.code}-{report.month:%Y-%m}.{ext}"


def _state(item) -> str:
    text = item.get_state_display()
    return f"{text}（逾期）" if item.overdue_flagged_at and item.state == "open" else text


def _item_rows(report: ServiceReport) -> list[list]:
    return [
        [
            item.problem,
            item.measure or "—",
            item.owner.name,
            f"{item.due_on:%Y-%m-%d}",
            _state(item),
            f"{item.done_at:%Y-%m-%d}" if item.done_at else "—",
            item.verified_by.name if item.verified_by else "—",
        ]
        for item in queries.items(report)
    ]


def _sign_line(report: ServiceReport) -> str:
    if report.signed_at:
        return f"签发：{report.signed_by.name} {report.signed_at:%Y-%m-%d}"
    return "签发：未签发（草稿）"


def workbook(report: ServiceReport) -> bytes:
    """The report as .xlsx: 概况 (figures, problems, sign-off) and 整改项."""
    book = Workbook()
    sheet = book.active
    sheet.title = "概况"
    sheet.append([writable(title(report))])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([writable(f"编制：{report.author.name}"), writable(_sign_line(report))])
    sheet.append([])
    sheet.append(["指标", "数量"])
    for label, value in queries.labelled_figures(report):
        sheet.append([label, value])
    sheet.append([])
    sheet.append(["本月工作概述", writable(report.summary or "—")])
    sheet.append(["存在问题", writable(report.problems or "—")])
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60
    items = book.create_sheet("整改项")
    items.append(ITEM_HEAD)
    for row in _item_rows(report):
        items.append([writable(v) for v in row])
    items.column_dimensions["A"].width = 40
    items.column_dimensions["B"].width = 40
    return workbook_bytes(book)


def _paragraphs(body: str) -> list:
    return [text(line, style(10)) for line in (body or "—").splitlines() if line.strip()] or [
        Paragraph("—", style(10))
    ]


def pdf(report: ServiceReport) -> bytes:
    """The report as a printable A4 PDF (its title also in the document's metadata)."""
    out = io.BytesIO()
    name = title(report)
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=name, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm
    )
    width = A4[0] - 30 * mm
    figures = [["指标", "数量"], *[[label, value] for label, value in queries.labelled_figures(report)]]
    story = [
        text(name, style(16, 22)),
        text(f"编制：{report.author.name}　{_sign_line(report)}", style(10)),
        Spacer(1, 5 * mm),
        Paragraph("一、本月数据", style(12, 18)),
        table(figures, [width * 0.5, width * 0.2]),
        Spacer(1, 5 * mm),
        Paragraph("二、本月工作概述", style(12, 18)),
        *_paragraphs(report.summary),
        Spacer(1, 5 * mm),
        Paragraph("三、存在问题", style(12, 18)),
        *_paragraphs(report.problems),
        Spacer(1, 5 * mm),
        Paragraph("四、整改项", style(12, 18)),
    ]
    rows = _item_rows(report)
    if rows:
        story.append(table([ITEM_HEAD, *rows], [width * w for w in (0.22, 0.24, 0.1, 0.12, 0.12, 0.1, 0.1)]))
    else:
        story.append(Paragraph("本月没有整改项。", style(10)))
    doc.build(story)
    return out.getvalue()


# ── a work report (daily, weekly, monthly) ──────────────────────────────────────────────────────

SECTIONS = {
    Period.DAY: ("今日工作", "明日计划"),
    Period.WEEK: ("本周工作", "下周计划"),
    Period.MONTH: ("本月工作", "下月计划"),
}
PERIOD_NAMES = {Period.DAY: "工作日报", Period.WEEK: "工作周报", Period.MONTH: "工作月报"}
REPORT_STATE = {"on_time": "按时提交", "late": "迟交", "missing": "逾期未提交", "draft": "草稿"}
TEAM_STATE = {
    "on_time": "按时提交",
    "late": "迟交",
    "missing": "逾期未提交",
    "draft": "未到期",
    "none": "未生成",
}
LINE_HEAD = ["类别", "记录", "时间"]
TEAM_HEAD = ["人员", "部门", "状态", "截止时间", "提交时间"]


def _stamp(at) -> str:
    return f"{clock.local(at):%Y-%m-%d %H:%M}" if at else "—"


def _span(period: str, starts_on, ends_on) -> str:
    if period == Period.DAY:
        return f"{starts_on:%Y-%m-%d}"
    return f"{starts_on:%Y-%m-%d} 至 {ends_on:%Y-%m-%d}"


def work_title(report: WorkReport) -> str:
    return f"{report.employee.name} {PERIOD_NAMES[report.period]}（{_span(report.period, report.starts_on, report.ends_on)}）"


def work_filename(report: WorkReport, ext: str) -> str:
    return f"work-report-{report.period}-{report.starts_on:%Y-%m-%d}-{report.pk}.{ext}"


def _work_state(report: WorkReport) -> str:
    text = REPORT_STATE[queries.status_of(report, clock.now())]
    return f"{text} {_stamp(report.submitted_at)}" if report.submitted_at else text


def _work_head(report: WorkReport) -> list[tuple[str, str]]:
    return [
        ("人员", f"{report.employee.name}（{report.unit.name}）"),
        ("期间", _span(report.period, report.starts_on, report.ends_on)),
        ("截止时间", _stamp(report.due_at)),
        ("状态", _work_state(report)),
        ("呈送", report.manager.name if report.manager else "—"),
    ]


def _line_rows(report: WorkReport) -> list[list]:
    return [[line.get_kind_display(), line.label, _stamp(line.at)] for line in queries.lines(report)]


def _texts(report: WorkReport) -> list[tuple[str, str]]:
    work, plan = SECTIONS[report.period]
    return [(work, report.work), ("问题与建议", report.problems), (plan, report.plan)]


def work_workbook(report: WorkReport) -> bytes:
    """The work report as .xlsx: 报告 (the header and the texts) and 记录 (the lines from the records)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "报告"
    sheet.append([writable(work_title(report))])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in _work_head(report):
        sheet.append([label, writable(value)])
    sheet.append([])
    for label, body in _texts(report):
        sheet.append([label, writable(body or "—")])
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 70
    lines = book.create_sheet("记录")
    lines.append(LINE_HEAD)
    for row in _line_rows(report):
        lines.append([writable(v) for v in row])
    lines.column_dimensions["A"].width = 16
    lines.column_dimensions["B"].width = 60
    lines.column_dimensions["C"].width = 18
    return workbook_bytes(book)


def work_pdf(report: WorkReport) -> bytes:
    """The work report as a printable A4 PDF: the header, the texts, then the lines from the records."""
    out = io.BytesIO()
    name = work_title(report)
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=name, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm
    )
    width = A4[0] - 30 * mm
    story = [
        text(name, style(16, 22)),
        table([["项目", "内容"], *[[k, v] for k, v in _work_head(report)]], [width * 0.2, width * 0.8]),
    ]
    for n, (label, body) in enumerate(_texts(report)):
        story += [Spacer(1, 5 * mm), Paragraph(f"{'一二三'[n]}、{label}", style(12, 18)), *_paragraphs(body)]
    story += [Spacer(1, 5 * mm), Paragraph("四、当期记录", style(12, 18))]
    rows = _line_rows(report)
    if rows:
        story.append(table([LINE_HEAD, *rows], [width * 0.18, width * 0.6, width * 0.22]))
    else:
        story.append(Paragraph("本期没有记录。", style(10)))
    doc.build(story)
    return out.getvalue()


# ── a manager's team view of a period ────────────────────────────────────────────────────────────


def team_title(sheet: queries.TeamSheet) -> str:
    return (
        f"团队{PERIOD_NAMES[sheet.period]}提交情况（{_span(sheet.period, sheet.starts_on, sheet.ends_on)}）"
    )


def team_filename(sheet: queries.TeamSheet, ext: str) -> str:
    return f"team-reports-{sheet.period}-{sheet.starts_on:%Y-%m-%d}.{ext}"


def _team_rows(sheet: queries.TeamSheet) -> list[list]:
    return [
        [
            row.employee.name,
            row.employee.unit.name,
            TEAM_STATE[row.status],
            _stamp(row.report.due_at) if row.report else "—",
            _stamp(row.report.submitted_at) if row.report else "—",
        ]
        for row in sheet.rows
    ]


def team_summary(sheet: queries.TeamSheet) -> list[tuple[str, object]]:
    """The counts per status and the team's reporting timeliness (the KPI's count over the period)."""
    rate = f"{sheet.rate}%" if sheet.rate is not None else "—"
    return [
        *[(TEAM_STATE[key], sheet.counts[key]) for key in queries.TEAM_STATUSES],
        ("本期到期报告", sheet.due),
        ("其中按时提交", sheet.on_time),
        ("报表按时提交率", rate),
    ]


def team_workbook(sheet: queries.TeamSheet) -> bytes:
    """The team view as .xlsx: 人员 (one row per person) and 汇总 (counts and timeliness)."""
    book = Workbook()
    people = book.active
    people.title = "人员"
    people.append(TEAM_HEAD)
    for row in _team_rows(sheet):
        people.append([writable(v) for v in row])
    for column, width in zip("ABCDE", (12, 24, 14, 18, 18), strict=True):
        people.column_dimensions[column].width = width
    summary = book.create_sheet("汇总")
    summary.append([writable(team_title(sheet))])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(["项目", "数量"])
    for label, value in team_summary(sheet):
        summary.append([label, value])
    summary.column_dimensions["A"].width = 20
    return workbook_bytes(book)


def team_pdf(sheet: queries.TeamSheet) -> bytes:
    out = io.BytesIO()
    name = team_title(sheet)
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=name, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm
    )
    width = A4[0] - 30 * mm
    rows = _team_rows(sheet)
    story = [
        text(name, style(16, 22)),
        Spacer(1, 3 * mm),
        table([["项目", "数量"], *[[k, v] for k, v in team_summary(sheet)]], [width * 0.4, width * 0.2]),
        Spacer(1, 5 * mm),
    ]
    if rows:
        story.append(table([TEAM_HEAD, *rows], [width * w for w in (0.16, 0.28, 0.16, 0.2, 0.2)]))
    else:
        story.append(Paragraph("没有向您汇报的人员。", style(10)))
    doc.build(story)
    return out.getvalue()
