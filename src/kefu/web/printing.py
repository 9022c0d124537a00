"""Printable PDF building blocks every report uses (《回访总结报告》, the monthly service report …):
reportlab with its built-in CID font STSong-Light, so Chinese prints without font files on disk."""

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, Table, TableStyle

PDF = "application/pdf"
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def style(size: int, leading: int | None = None) -> ParagraphStyle:
    """A paragraph style in the Chinese font at `size` points."""
    return ParagraphStyle(f"kefu{size}", fontName=FONT, fontSize=size, leading=leading or size + 4)


def text(value, in_style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: what people typed ("<b>", "R&D") prints as typed, never as markup."""
    return Paragraph(escape(str(value)), in_style)


def table(rows: list[list], widths) -> Table:
    """A gridded table whose first row is the header (repeated on every page); cells wrap."""
    cell = style(9)
    found = Table([[text(v, cell) for v in row] for row in rows], colWidths=widths, repeatRows=1)
    found.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef2f7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return found
