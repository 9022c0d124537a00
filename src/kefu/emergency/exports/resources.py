"""The emergency resources register as an Excel workbook (RES-1), the rows of the caller's scope and filters."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def register_workbook(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Emergency resources")
    sheet.append(
        [
            _("Kind"),
            _("Name"),
            _("Location"),
            _("Quantity"),
            _("Unit"),
            _("Custodian"),
            _("Inspection every (days)"),
            _("Next inspection"),
            _("Expires on"),
        ]
    )
    for r in rows:
        sheet.append(
            [
                r.get_kind_display(),
                r.name,
                r.location,
                r.quantity,
                r.unit.name,
                r.custodian.name,
                r.inspect_every_days,
                r.next_inspection,
                r.expires_on,
            ]
        )
    for column, width in zip("ABCDEFGHI", (14, 24, 28, 8, 18, 12, 12, 14, 14), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
