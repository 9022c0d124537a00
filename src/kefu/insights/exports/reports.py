"""The monthly service report as files (RPT-1): a printable A4 PDF (reportlab with its built-in CID font
STSong-Light, registered by the followups report helper, so Chinese prints without font files) and an
Excel workbook (openpyxl, through the archive's spreadsheet helpers). Pure rendering; no state changes."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kefu.customers.governance.sheets import XLSX, workbook_bytes, writable
from kefu.insights.models import ServiceReport
from kefu.insights.queries import reports as queries
from kefu.web.printing import PDF, style, table

__all__ = ["PDF", "XLSX", "filename", "pdf", "workbook"]

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


def _paragraphs(text: str) -> list:
    return [Paragraph(line, style(10)) for line in (text or "—").splitlines() if line.strip()] or [
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
        Paragraph(name, style(16, 22)),
        Paragraph(f"编制：{report.author.name}　{_sign_line(report)}", style(10)),
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
