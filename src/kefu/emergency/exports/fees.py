"""A fee quote (FEE-1) printed as PDF (`kefu.web.printing`) and as an Excel workbook; amounts in 元 with
two decimals as stored."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from kefu.core import clock
from kefu.web import printing

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _yuan(value) -> str:
    return f"{value:,.2f}"


def _plain(value) -> str:
    """A quantity or a share without trailing zeros: 1000, 33.33 (never 1E+3)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def quote_pdf(quote) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm)
    title, body = printing.style(16), printing.style(10)
    story = [
        printing.text(_("Quote for emergency plan drafting"), title),
        Spacer(1, 6 * mm),
        printing.text(_("Quote number: %(n)s") % {"n": quote.number}, body),
        printing.text(_("Client: %(c)s") % {"c": quote.client}, body),
        printing.text(_("Headcount: %(h)s") % {"h": quote.headcount}, body),
        printing.text(
            _("Date: %(d)s") % {"d": f"{clock.local(quote.created_at):%Y-%m-%d}"},
            body,
        ),
        Spacer(1, 4 * mm),
    ]
    rows = [[_("Service item"), _("Quantity"), _("Unit price (yuan)"), _("Amount (yuan)")]]
    rows += [[ln.label, _plain(ln.quantity), _yuan(ln.price), _yuan(ln.amount)] for ln in quote.lines.all()]
    rows.append([_("Total amount"), "", "", _yuan(quote.total)])
    story += [printing.table(rows, [80 * mm, 25 * mm, 35 * mm, 35 * mm]), Spacer(1, 6 * mm)]
    pays = [[_("Payment"), _("Share"), _("Amount (yuan)")]]
    pays += [[p.label, f"{_plain(p.percent)}%", _yuan(p.amount)] for p in quote.payments.all()]
    story += [printing.table(pays, [90 * mm, 30 * mm, 55 * mm]), Spacer(1, 6 * mm)]
    story.append(
        printing.text(
            _("Prices from the fee standard for emergency plan drafting (policy version %(v)s).")
            % {"v": quote.table_version},
            body,
        )
    )
    doc.build(story)
    return out.getvalue()


def quote_workbook(quote) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = quote.number
    sheet.append([_("Quote number"), quote.number])
    sheet.append([_("Client"), quote.client])
    sheet.append([_("Headcount"), quote.headcount])
    sheet.append([])
    sheet.append([_("Service item"), _("Quantity"), _("Unit price (yuan)"), _("Amount (yuan)")])
    for ln in quote.lines.all():
        sheet.append([ln.label, ln.quantity, ln.price, ln.amount])
    sheet.append([_("Total amount"), None, None, quote.total])
    sheet.append([])
    sheet.append([_("Payment"), _("Share"), _("Amount (yuan)")])
    for p in quote.payments.all():
        sheet.append([p.label, f"{_plain(p.percent)}%", p.amount])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.column in (3, 4) and not isinstance(cell.value, str) and cell.value is not None:
                cell.number_format = "#,##0.00"
    sheet.column_dimensions["A"].width = 36
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
