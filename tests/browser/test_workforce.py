"""Browser: shifts, handover and attendance on the real product with the demo data (WFM-1, HO-1, ATT-1).

陈杰 (排班管理员) finds the demo's published rota of 热线一组 in the team's week calendar, drafts the rota
of a later week, looks at its gaps and takes it through staff comments and finalisation to publication;
赵敏 sees her shifts and subscribes to them as a calendar. 赵敏 opens a temporary handover to 孙丽, both
confirm. 赵敏 clocks in on the web; 王芳 reads 热线一组's monthly sheet with the demo's two late arrivals
and downloads it as Excel.

The demo's past rota and time-clock sheet may change (exact hours, which days were late): the checks
read what the pages say — names, the 迟到 counts over the last four weeks — not fixed times or dates.
"""

import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser
SHANGHAI = timedelta(hours=8)  # fixed offset: no daylight saving in China
HOTLINE = "热线一组"


def _today():
    return (datetime.now(UTC) + SHANGHAI).date()


def _go(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")


def _submit(page, selector: str) -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


def _no_overflow(page) -> None:
    width = page.evaluate(
        "() => document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    assert width <= 0, f"the page scrolls sideways by {width}px: {page.url}"


def test_wfm1_calendar_draft_gaps_publish_my_shifts_and_ical(kefu_server, browser):  # WFM-1
    base = kefu_server["base"]
    context, chenjie = _signed_in(browser, base, "chenjie")

    # the team's week calendar, next week: the demo's published rota of 热线一组
    _go(chenjie, f"{base}/workforce/rotas/")
    chenjie.click(f"#teams li:has-text('{HOTLINE}') a.calendar-link")
    chenjie.wait_for_load_state("networkidle")
    assert HOTLINE in chenjie.locator("h1").inner_text()
    _submit(chenjie, "#calendar-after")
    grid = chenjie.locator(".rota-grid")
    header = grid.locator("thead").inner_text()
    assert "早班" in header and "中班" in header and "晚班" in header
    days = grid.locator("tbody tr")
    assert days.count() == 7
    for n in range(7):
        row = days.nth(n).inner_text()
        assert any(name in row for name in ("赵敏", "孙丽", "李娜")), row  # someone on every day

    # a rota for a later week (three weeks on, clear of the demo's), drafted by the solver
    monday = _today() + timedelta(days=21 - _today().weekday())
    _go(chenjie, f"{base}/workforce/rotas/")
    chenjie.select_option("#id_unit", label=HOTLINE)
    chenjie.fill("#id_starts_on", monday.isoformat())
    chenjie.fill("#id_ends_on", (monday + timedelta(days=6)).isoformat())
    _submit(chenjie, "#draft-form button[type=submit]")
    assert re.search(r"/workforce/rotas/\d+/$", chenjie.url), chenjie.url
    rota_url = chenjie.url
    assert "草稿" in chenjie.locator("#rota-state").inner_text()
    assert f"{monday.month}月{monday.day}日" in chenjie.locator(".rota-grid").inner_text()
    # gaps, if any, are shown before publishing — and the list says the same
    has_gaps = chenjie.locator("#gaps").count() == 1
    if has_gaps:
        assert "缺" in chenjie.locator("#gaps").inner_text()
    _go(chenjie, f"{base}/workforce/rotas/")
    row = chenjie.locator(f"#rotas tr:has(a[href$='{rota_url[len(base) :]}'])")
    gaps_cell = row.locator("td").nth(3).inner_text().strip()
    assert ("缺" in gaps_cell) if has_gaps else (gaps_cell == "无"), gaps_cell

    # draft → staff feedback → final → published
    _go(chenjie, rota_url)
    _submit(chenjie, "#advance-form button[type=submit]")
    assert "征求意见" in chenjie.locator("#rota-state").inner_text()
    _submit(chenjie, "#advance-form button[type=submit]")
    assert "已定稿" in chenjie.locator("#rota-state").inner_text()
    if has_gaps:
        chenjie.check("#advance-form input[name=confirm_gaps]")
    _submit(chenjie, "#advance-form button[type=submit]")
    assert "已发布" in chenjie.locator("#rota-state").inner_text()
    assert chenjie.locator("#advance-form").count() == 0  # nothing left to advance
    context.close()

    # an agent sees her shifts, and her calendar link serves them as iCalendar
    context, zhaomin = _signed_in(browser, base, "zhaomin")
    _go(zhaomin, f"{base}/workforce/my/")
    mine = zhaomin.locator("#my-shifts").inner_text()
    assert HOTLINE in mine and re.search(r"\d{2}:\d{2}–\d{2}:\d{2}", mine), mine
    _submit(zhaomin, "#feed-form button[type=submit]")
    feed_url = zhaomin.locator("#feed-url a").get_attribute("href")
    assert feed_url and feed_url.endswith(".ics")
    feed = zhaomin.request.get(feed_url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    body = feed.text()
    assert body.startswith("BEGIN:VCALENDAR") and body.count("BEGIN:VEVENT") >= 1
    context.close()


def test_ho1_temporary_handover_confirmed_by_both(kefu_server, browser):  # HO-1
    base = kefu_server["base"]
    context, zhaomin = _signed_in(browser, base, "zhaomin")
    _go(zhaomin, f"{base}/handovers/")
    zhaomin.fill("#id_minutes", "20")  # 10–30 minutes ahead (pack)
    zhaomin.select_option("#id_receiver", label="孙丽")
    zhaomin.fill("#id_note", "临时离岗二十分钟，热线请孙丽接听")
    _submit(zhaomin, "#temporary-form button[type=submit]")
    assert re.search(r"/handovers/\d+/$", zhaomin.url), zhaomin.url
    handover_url = zhaomin.url
    assert "交接中" in zhaomin.locator("#handover-state").inner_text()
    assert "未确认" in zhaomin.locator("#receiver-side").inner_text()
    _submit(zhaomin, "#confirm-form button[type=submit]")  # 确认：我已交班
    assert "已确认" in zhaomin.locator("#leaver-side").inner_text()
    assert "交接中" in zhaomin.locator("#handover-state").inner_text()  # the receiver has not yet
    context.close()

    context, sunli = _signed_in(browser, base, "sunli")
    _go(sunli, handover_url)
    assert "赵敏" in sunli.locator("h1").inner_text()
    _submit(sunli, "#confirm-form button[type=submit]")  # 确认：我已接班
    assert "已移交" in sunli.locator("#handover-state").inner_text()
    assert "已确认" in sunli.locator("#leaver-side").inner_text()
    assert "已确认" in sunli.locator("#receiver-side").inner_text()
    assert sunli.locator("#confirm-form").count() == 0
    _go(sunli, f"{base}/handovers/")
    row = sunli.locator(f"#handovers tr:has(a[href$='{handover_url[len(base) :]}'])")
    assert "已移交" in row.inner_text()
    context.close()


def _late_in_month(page) -> tuple[int, list[str]]:
    """The 迟到 count summed over the sheet, and the flags of the month that are late arrivals."""
    header = [c.strip() for c in page.locator("#sheet thead th").all_inner_texts()]
    late = header.index("迟到")
    total = 0
    for row in page.locator("#sheet tbody tr").all():
        cells = row.locator("td").all_inner_texts()
        if len(cells) > late:
            total += int(cells[late])
    flags = [t for t in page.locator("#flags li").all_inner_texts() if "迟到" in t]
    return total, flags


def test_att1_clock_in_and_monthly_sheet_with_two_late_arrivals(kefu_server, browser):  # ATT-1
    base = kefu_server["base"]
    context, zhaomin = _signed_in(browser, base, "zhaomin")
    _go(zhaomin, f"{base}/attendance/")
    assert "上班打卡" in zhaomin.locator("#clock-button").inner_text()
    _submit(zhaomin, "#clock-button")
    clock = zhaomin.locator("#clock").inner_text()
    assert re.search(r"上班打卡：\d{2}:\d{2}", clock), clock
    assert "下班打卡" in zhaomin.locator("#clock-button").inner_text()  # the next tap clocks out
    today = _today()
    assert f"{today.month}月{today.day}日" in zhaomin.locator("#my-days tbody tr").first.inner_text()
    context.close()

    # the monthly sheet of 热线一组: the demo's four weeks hold exactly two late arrivals
    context, wangfang = _signed_in(browser, base, "wangfang")
    _go(wangfang, f"{base}/attendance/")
    wangfang.click(f"#teams a:text-is('{HOTLINE}')")
    wangfang.wait_for_load_state("networkidle")
    assert HOTLINE in wangfang.locator("h1").inner_text()
    names = wangfang.locator("#sheet tbody").inner_text()
    assert "赵敏" in names and "孙丽" in names
    late, flags = _late_in_month(wangfang)
    with wangfang.expect_download() as download:
        wangfang.click("#xlsx")
    path = download.value.path()
    rows = list(load_workbook(io.BytesIO(Path(path).read_bytes())).active.iter_rows(values_only=True))
    assert HOTLINE in rows[0][0] and "迟到次数" in rows[1]
    assert (
        sum(r[rows[1].index("迟到次数")] or 0 for r in rows[2:]) == late
    )  # the file says what the page says
    _submit(wangfang, "#month-before")  # the four weeks may have begun last month
    before, before_flags = _late_in_month(wangfang)
    late, flags = late + before, flags + before_flags
    assert late == 2, (late, flags)
    assert len(flags) == 2 and all(re.search(r"(赵敏|孙丽)：迟到", f) for f in flags), flags
    context.close()
