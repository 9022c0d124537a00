"""Browser: the 本月 dashboard (issue 16, KPI-1) as 总经理 张伟 — his home shows the month's KPIs against
their targets (a missed one in red), the full page draws its charts with the vendored ECharts, a tile
opens the records behind it, a table downloads as an Excel workbook that holds it; the page fits a
390 px phone. Screenshots: var/test-artifacts/month-*.png."""

import io
import time
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from kefu.core import clock
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboards import DESKTOP, PHONE, _signed_in

pytestmark = pytest.mark.browser

RED = "rgb(192, 38, 45)"  # --danger of web/kefu.css


def _month_with_data(shift_clock) -> None:
    """The demo's cases were received over the last nine days: early in a month, look at the end of
    the previous one, which holds them."""
    today = clock.today()
    if today.day < 10:
        shift_clock(-timedelta(days=today.day))


def _home_with_facts(page, base) -> None:
    """The worker keeps the daily facts: wait for its first sweep to have counted the demo cases."""
    deadline = time.monotonic() + 60
    while True:
        page.goto(f"{base}/")
        if page.locator("#month-tiles a[data-missed]").count() or time.monotonic() > deadline:
            return
        time.sleep(2)


def test_zhangwei_home_is_the_month_against_targets(kefu_server, browser, shift_clock):  # KPI-1
    base = kefu_server["base"]
    _month_with_data(shift_clock)
    context, page = _signed_in(browser, base, "zhangwei", DESKTOP)
    try:
        _home_with_facts(page, base)
        assert page.locator("#month").is_visible() and not page.locator("#today").count()
        tiles = page.locator("#month-tiles a.month-tile")
        assert tiles.count() == 11  # every KPI against its target
        assert "目标" in tiles.first.inner_text()
        missed = page.locator("#month-tiles a[data-missed]").first
        assert missed.is_visible(), "no target missed in the demo month"
        assert "未达标" in missed.inner_text()
        figure_color = missed.locator(".month-figure").evaluate("e => getComputedStyle(e).color")
        assert figure_color == RED, figure_color
        page.wait_for_selector("#chart-rates canvas", state="attached", timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "month-home-desktop.png"))
        # the full page
        page.locator("#month-full").click()
        page.wait_for_load_state("networkidle")
        assert "/insights/month/" in page.url
        for key in ("rates", "units", "volume", "categories", "escalations", "reopen"):
            page.wait_for_selector(f"#chart-{key}-figure", state="attached", timeout=15_000)
            assert page.locator(f"#chart-{key}-table").count() == 1  # every chart has its table
        page.wait_for_selector("#chart-units canvas", state="attached", timeout=15_000)
        page.screenshot(path=str(ARTIFACTS / "month-page-desktop.png"), full_page=True)
        # a table to Excel: the workbook holds the rows the page shows
        with page.expect_download() as info:
            page.locator("#chart-units-figure a.btn", has_text="导出 Excel").click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        with open(download.path(), "rb") as saved:
            sheet = load_workbook(io.BytesIO(saved.read())).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        shown = page.locator("#chart-units-table tbody tr")
        assert [r[0] for r in rows[2:]] == [
            shown.nth(i).locator("th").inner_text() for i in range(shown.count())
        ]
        assert "华辰置业有限公司" in [r[0] for r in rows[2:]]
        # a tile drills to the records behind it
        page.locator("#month-tiles a[data-kpi=complaint_rate]").click()
        page.wait_for_load_state("networkidle")
        assert "/insights/kpis/complaint_rate/" in page.url
        assert page.locator("#kpi-records tbody tr a").count() >= 1
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


def test_month_page_on_a_phone(kefu_server, browser, shift_clock):  # KPI-1
    base = kefu_server["base"]
    _month_with_data(shift_clock)
    context, page = _signed_in(browser, base, "zhangwei", PHONE)
    try:
        page.goto(f"{base}/insights/month/")
        page.wait_for_selector("#chart-rates canvas", state="attached", timeout=15_000)
        box = page.locator("#chart-rates canvas").first.bounding_box()
        assert box and box["x"] + box["width"] <= PHONE["width"] + 1, box
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= inner, f"{scroll} px wide in a {inner} px window"
        page.screenshot(path=str(ARTIFACTS / "month-page-phone.png"), full_page=True)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()
