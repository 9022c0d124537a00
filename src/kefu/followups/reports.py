"""《回访总结报告》 as files (FUP-1): an Excel workbook (openpyxl, through the archive's spreadsheet
helpers) and a printable PDF (reportlab with its built-in CID font STSong-Light, so Chinese prints
without font files). Pure rendering of a `queries.campaigns.Report`; no state changes."""

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from kefu.customers.governance.sheets import XLSX, workbook_bytes, writable
from kefu.followups.queries.campaigns import Counts, Report
from kefu.web.printing import PDF, style, table, text

__all__ = ["PDF", "XLSX", "pdf", "workbook"]


HEAD = ["", "回访总数", "已回访", "未回访", "待回访", "满意", "不满意", "回访率", "满意率"]
WORDS_HEAD = ["回访时间", "工单", "客户", "回访专员", "客户意见"]


def _rate(value) -> str:
    return "—" if value is None else f"{value}%"


def _row(label: str, c: Counts) -> list:
    return [
        label,
        c.total,
        c.reached,
        c.unreached,
        c.open,
        c.satisfied,
        c.unsatisfied,
        _rate(c.reach_rate),
        _rate(c.satisfied_rate),
    ]


def _rows(report: Report) -> list[list]:
    return [_row("合计", report.totals), *(_row(name, c) for name, c in report.officers)]


def _word_rows(report: Report) -> list[list]:
    return [
        [f"{w['at']:%Y-%m-%d %H:%M}", w["case"] or "—", w["customer"] or "—", w["officer"], w["words"]]
        for w in report.unsatisfied
    ]


def workbook(report: Report) -> bytes:
    """The report as .xlsx: 汇总 (totals and per 回访专员) and 不满意 (the customers' words)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "汇总"
    sheet.append([writable(report.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([writable(report.subtitle)])
    sheet.append([])
    sheet.append(["回访专员", *HEAD[1:]])
    for row in _rows(report):
        sheet.append([writable(v) for v in row])
    sheet.column_dimensions["A"].width = 18
    words = book.create_sheet("不满意")
    words.append(WORDS_HEAD)
    for row in _word_rows(report):
        words.append([writable(v) for v in row])
    words.column_dimensions["E"].width = 60
    return workbook_bytes(book)


def pdf(report: Report) -> bytes:
    """The report as a printable A4 PDF (its title also in the document's metadata)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=report.title, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm
    )
    width = A4[0] - 30 * mm
    summary = [["回访专员", *HEAD[1:]], *_rows(report)]
    story = [
        text(report.title, style(16, 22)),  # a campaign's name is typed: escaped, never markup
        text(report.subtitle, style(10)),
        Spacer(1, 6 * mm),
        table(summary, [width * 0.2] + [width * 0.1] * 8),
        Spacer(1, 6 * mm),
        Paragraph(f"不满意回访（{len(report.unsatisfied)} 条）", style(12, 18)),
    ]
    if report.unsatisfied:
        story.append(
            table([WORDS_HEAD, *_word_rows(report)], [width * w for w in (0.17, 0.15, 0.12, 0.12, 0.44)])
        )
    else:
        story.append(Paragraph("本期没有不满意的回访。", style(10)))
    doc.build(story)
    return out.getvalue()
