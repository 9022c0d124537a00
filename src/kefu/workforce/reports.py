"""A rota as an Excel workbook (openpyxl through the archive's spreadsheet helpers): one row per day,
one column per shift, the names of the people on it; a second sheet lists the gaps. Pure rendering."""

from openpyxl import Workbook
from openpyxl.styles import Font

from kefu.customers.governance.sheets import XLSX, workbook_bytes, writable

__all__ = ["XLSX", "rota_workbook"]


def rota_workbook(title: str, columns, grid, gaps) -> bytes:
    """`columns`: the shift headings; `grid`: [(day label, [names per column])]; `gaps`: [(day, shift, missing)]."""
    book = Workbook()
    sheet = book.active
    sheet.title = "排班表"
    sheet.append([writable(title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append(["日期", *[writable(c) for c in columns]])
    for label, cells in grid:
        sheet.append([label, *[writable("、".join(names)) for names in cells]])
    sheet.column_dimensions["A"].width = 16
    for column in "BCDEFGH":
        sheet.column_dimensions[column].width = 24
    short = book.create_sheet("缺口")
    short.append(["日期", "班次", "缺少人数"])
    for row in gaps:
        short.append(list(row))
    return workbook_bytes(book)
