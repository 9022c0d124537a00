"""Browser: the 今日 dashboard (issue 16, KPI-1) as 赵敏 — a chart really drawn by the vendored ECharts
(a canvas in the page, no script error), at 1366 px and at 390 px, its table under it, and the 导出
Excel link downloading a workbook that holds the table. Screenshots: var/test-artifacts/dash-*.png."""

import io

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _signed_in(browser, base, username, viewport, **kwargs):
    phone = viewport["width"] < 600
    context = browser.new_context(
        locale="zh-CN", viewport=viewport, is_mobile=phone, has_touch=phone, accept_downloads=True, **kwargs
    )
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    login(page, base, username)
    return context, page


def _chart_drawn(page, name: str, width: int) -> None:
    page.wait_for_selector("#chart-day canvas", state="attached", timeout=15_000)
    box = page.locator("#chart-day canvas").first.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100, box
    assert box["x"] + box["width"] <= width + 1, box  # drawn inside the window
    assert page.locator("#chart-day-table tbody tr").count() == 4  # every chart has its table
    assert page.locator("#today-tiles a.today-tile").count() == 8
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{name}: {scroll} px wide in a {inner} px window"
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert not page.console_errors, page.console_errors


def test_today_dashboard_draws_its_chart_and_exports(kefu_server, browser):  # KPI-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhaomin", DESKTOP)
    try:
        page.goto(f"{base}/insights/today/")
        _chart_drawn(page, "dash-today-desktop", DESKTOP["width"])
        # the window narrows: the chart follows it (resize)
        page.set_viewport_size(PHONE)
        page.wait_for_function(
            "() => document.querySelector('#chart-day canvas').getBoundingClientRect().width < 400"
        )
        with page.expect_download() as info:
            page.locator("#chart-day-figure a.btn", has_text="导出 Excel").click()
        download = info.value
        assert download.suggested_filename.endswith(".xlsx")
        with open(download.path(), "rb") as saved:  # the saved file has no .xlsx name: read it as bytes
            sheet = load_workbook(io.BytesIO(saved.read())).active
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
        shown = page.locator("#chart-day-table tbody tr")
        assert [r[0] for r in rows[2:]] == [shown.nth(i).locator("th").inner_text() for i in range(4)]
        assert [str(r[1]) for r in rows[2:]] == [shown.nth(i).locator("td").inner_text() for i in range(4)]
        # a number opens the records behind it
        page.locator("#today-tiles a[data-metric=open]").click()
        page.wait_for_load_state("networkidle")
        assert "/insights/today/open/" in page.url
        assert not page.console_errors, page.console_errors
    finally:
        context.close()


def test_today_on_a_phone_with_reduced_motion(kefu_server, browser):  # KPI-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhaomin", PHONE, reduced_motion="reduce")
    try:
        page.goto(f"{base}/")  # an agent's home is the 今日 dashboard
        assert page.locator("#today[data-mode=mine]").is_visible()
        _chart_drawn(page, "dash-home-phone", PHONE["width"])
        page.goto(f"{base}/insights/today/")
        _chart_drawn(page, "dash-today-phone", PHONE["width"])
    finally:
        context.close()


def test_supervisor_sees_the_team_charts(kefu_server, browser):  # KPI-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "lina", DESKTOP)
    try:
        page.goto(f"{base}/insights/today/")
        page.wait_for_selector("#chart-queue canvas", state="attached", timeout=15_000)
        assert page.locator("#today[data-mode=team]").is_visible()
        assert page.locator("#chart-queue-table tbody tr").count() >= 2
        page.screenshot(path=str(ARTIFACTS / "dash-team-desktop.png"), full_page=True)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()
