"""Charts with their tables (issue 16: "every chart has its table; every table exports to Excel; charts
render offline").

A view builds a `Chart` from numbers it computed in the caller's scope; the template shows it with
`{% load charts %}{% chart spec %}`: an Apache ECharts canvas (vendored `web/vendor/echarts.min.js`,
started by the static `web/charts.js` from a `json_script` block — the CSP allows no inline script)
and, under it, the same numbers as an HTML table with an 导出 Excel link. The link asks the same view
again with `?export=<key>`; the view recomputes its charts and answers `exported(request, charts)` — an
.xlsx of the table built on the server, so an export shows exactly what the reader may see and never
data sent by the browser.

The web foundation imports no other kefu app: labels arrive already translated, links as paths.
"""

import io
import re
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.encoding import escape_uri_path
from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = ("bar", "line", "pie", "table")
# a key names the chart in its page's export link: plain letters, digits, dash and underscore
KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
# characters a worksheet cannot hold (openpyxl refuses them): shown as U+FFFD instead
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# characters a worksheet's name cannot hold (a chart titled after a category "维修/保养"): a space
SHEET_TITLE = re.compile(r"[\\/*?:\[\]]")
# a text cell that a spreadsheet program would read as a formula is kept as text
FORMULA_START = ("=", "+", "-", "@")
# the site's colours (web/kefu.css): brand blue first; a series may name its own (`Series.color`)
PALETTE = ["#1e6fd9", "#15803d", "#b45309", "#7c3aed", "#0e7490", "#c0262d", "#64748b"]
OK, WARN, DANGER = "#15803d", "#d97706", "#c0262d"
# a long category axis on a phone: names are cut after this many characters on the axis (the table
# keeps them whole)
AXIS_LABEL_CHARS = 6


@dataclass
class Series:
    """One row of numbers over the chart's categories; `links[i]` (optional) is the path of the
    records behind `values[i]` — the table shows the number as a link to them."""

    name: str
    values: list
    links: list | None = None
    color: str = ""


@dataclass
class Chart:
    """A chart and its table. `categories` label the x axis (the table's rows), each series is a
    column of the table. `kind`: bar, line, pie (one series) or table (no chart, the table alone).
    `unit` (件, %, 分钟 …) follows every number in the tooltip and the column heads."""

    key: str
    title: str
    categories: list[str]
    series: list[Series]
    kind: str = "bar"
    unit: str = ""
    category_label: str = ""
    stacked: bool = False
    note: str = ""
    export_path: str = ""  # the page's path (request.path): the export link is <path>?export=<key>
    category_links: list | None = None  # the path each row's label links to (a case number → its page)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if not KEY.match(self.key):
            raise ValueError(f"chart key {self.key!r}: lower-case letters, digits, - and _ only")
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r}: one of {KINDS}")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError(f"series {series.name!r}: one value per category")

    @property
    def dom_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def export_url(self) -> str:
        joiner = "&" if "?" in self.export_path else "?"
        return f"{self.export_path}{joiner}export={self.key}"

    @property
    def is_empty(self) -> bool:
        return not self.categories or not self.series

    def option(self) -> dict:
        """The ECharts option: no external resource, Chinese labels as given, animation decided by
        the browser (charts.js turns it off under prefers-reduced-motion)."""
        unit = self.unit
        if self.kind == "pie":
            first = self.series[0] if self.series else Series("", [])
            return {
                "color": PALETTE,
                "tooltip": {"trigger": "item", "unit": unit},
                "legend": {"type": "scroll", "bottom": 0},
                "series": [
                    {
                        "type": "pie",
                        "name": first.name,
                        "radius": ["35%", "65%"],
                        "data": [
                            {"name": name, "value": value}
                            for name, value in zip(self.categories, first.values, strict=True)
                        ],
                    }
                ],
            }
        series = []
        for one in self.series:
            item = {"type": self.kind, "name": one.name, "data": list(one.values)}
            if one.color:
                item["itemStyle"] = {"color": one.color}
            if self.stacked:
                item["stack"] = "total"
            if self.kind == "bar":
                item["barMaxWidth"] = 28
            series.append(item)
        several = len(self.series) > 1  # one series needs no legend: the title names it
        return {
            "color": PALETTE,
            "tooltip": {"trigger": "axis", "unit": unit},
            "legend": {"type": "scroll", "top": 0, "show": several},
            "grid": {"left": 8, "right": 8, "top": 32 if several else 24, "bottom": 8, "containLabel": True},
            "xAxis": {
                "type": "category",
                "data": list(self.categories),
                "axisLabel": {"interval": 0, "hideOverlap": True, "maxChars": AXIS_LABEL_CHARS},
            },
            "yAxis": {"type": "value", "minInterval": 1},  # the unit: in the tooltip and the table's heads
            "series": series,
        }

    def columns(self) -> list[str]:
        head = [s.name + (f"（{self.unit}）" if self.unit else "") for s in self.series]
        return [self.category_label, *head]

    def rows(self) -> list[list[dict]]:
        """The table: one row per category, each cell {"value", "link"}."""
        out = []
        for index, category in enumerate(self.categories):
            link = self.category_links[index] if self.category_links else ""
            row = [{"value": category, "link": link or ""}]
            for series in self.series:
                link = series.links[index] if series.links else ""
                row.append({"value": series.values[index], "link": link or ""})
            out.append(row)
        return out


def _cell(value):
    if isinstance(value, str):
        return ILLEGAL.sub("\ufffd", value)
    return value


def workbook(chart: Chart) -> bytes:
    """The chart's table as .xlsx: the title, then the header and the rows as the page shows them."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE.sub(" ", chart.title)[:31].strip() or "Sheet1"
    sheet.append([_cell(chart.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    if chart.note:
        sheet.append([_cell(chart.note)])
    sheet.append([_cell(c) for c in chart.columns()])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in chart.rows():
        sheet.append([_cell(c["value"]) for c in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # a name like "=1+1" stays text, never a formula
    sheet.column_dimensions["A"].width = 24
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def exported(request, charts, *, suffix: str = "") -> HttpResponse | None:
    """The Excel file of the chart that `?export=<key>` names among `charts` (recomputed by the view
    for this request's reader), named after the chart's title and `suffix` (a day, a month); None when
    the request asks for no export or names no chart of the page (the page itself answers)."""
    key = request.GET.get("export", "")
    if not key:
        return None
    chart = next((c for c in charts if c.key == key), None)
    if chart is None:
        return None
    response = HttpResponse(workbook(chart), content_type=XLSX)
    name = f"{chart.title} {suffix}".strip() + ".xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{escape_uri_path(name)}"
    response["Cache-Control"] = "private, no-store"
    return response
