"""The annual execution summary of emergency plans (DRL-1, seed 003 "每年对应急预案的执行情况进行总结") printed
as PDF (`kefu.web.printing`: typed text prints as typed) and as an Excel workbook: the totals, a row per plan
and every section other modules registered (e.g. the incidents of the year)."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kefu.core import clock
from kefu.web import charts, printing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _average(value) -> str:
    return "—" if value is None else f"{value:.1f}"


def totals(found) -> list[list]:
    return [
        [_("Plans"), len(found.plans)],
        [_("Drills due"), found.due],
        [_("Drills scheduled, not held yet"), found.scheduled],
        [_("Drills held"), found.held],
        [_("Drills evaluated"), found.evaluated],
        [_("Average evaluation score"), _average(found.average)],
        [_("Plans short of drills"), found.short],
        [_("Corrective actions open"), found.actions_open],
        [_("of which overdue"), found.actions_overdue],
        [_("Corrective actions closed"), found.actions_closed],
    ]


def plan_headers() -> list[str]:
    return [
        _("Emergency plan"),
        _("Unit"),
        _("Drills due"),
        _("Drills held"),
        _("Evaluated"),
        _("Average score"),
    ]


def plan_rows(found) -> list[list]:
    return [[p.title, p.unit.name, p.required, p.held, p.evaluated, _average(p.average)] for p in found.plans]


def title(found) -> str:
    return _("%(unit)s: execution summary of the emergency plans, %(year)s") % {
        "unit": found.unit.name,
        "year": found.year,
    }


def summary_pdf(found) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm)
    head, h2, body = printing.style(16), printing.style(12), printing.style(10)
    story = [
        printing.text(title(found), head),
        Spacer(1, 4 * mm),
        printing.text(_("Printed on %(d)s") % {"d": f"{clock.today():%Y-%m-%d}"}, body),
        Spacer(1, 4 * mm),
        printing.table([[_("Item"), _("Count")], *totals(found)], [110 * mm, 60 * mm]),
        Spacer(1, 6 * mm),
        printing.text(_("Drills per plan"), h2),
        Spacer(1, 2 * mm),
        printing.table(
            [plan_headers(), *plan_rows(found)], [55 * mm, 35 * mm, 20 * mm, 20 * mm, 20 * mm, 24 * mm]
        ),
    ]
    for section_title, headers, rows in found.sections:
        width = 174 * mm / max(len(headers), 1)
        story += [
            Spacer(1, 6 * mm),
            printing.text(section_title, h2),
            Spacer(1, 2 * mm),
            printing.table([headers, *rows], [width] * len(headers)),
        ]
    doc.build(story)
    return out.getvalue()


def _append(sheet, row) -> None:
    """A row of typed text: characters a worksheet cannot hold become U+FFFD; a cell that would read as a
    formula ("=1+1") stays text."""
    sheet.append([charts.ILLEGAL.sub("\ufffd", v) if isinstance(v, str) else v for v in row])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith(charts.FORMULA_START):
            cell.data_type = "s"


def summary_workbook(found) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = str(found.year)
    _append(sheet, [title(found)])
    sheet.append([])
    for row in totals(found):
        _append(sheet, row)
    sheet.append([])
    _append(sheet, plan_headers())
    for row in plan_rows(found):
        _append(sheet, row)
    for section_title, headers, rows in found.sections:
        sheet.append([])
        _append(sheet, [section_title])
        _append(sheet, list(headers))
        for row in rows:
            _append(sheet, list(row))
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 20
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
