"""Browser: the month view of a work calendar (issue 13) — what the grid shows, on a desktop and a phone."""

import pytest

from kefu.core import clock
from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser


def test_calendars_month_view_shows_holidays_today_and_fits_a_phone(kefu_server, page, browser):
    base = kefu_server["base"]
    login(page, base, "zhaomin")  # a front-line agent: calendars are read by everyone
    page.goto(f"{base}/engine/calendars/office/month/?m=2027-10")
    assert "2027 年 10 月" in page.locator(".page-head").inner_text()
    national_day = page.locator("td[data-date='2027-10-01']")
    assert national_day.get_attribute("data-kind") == "holiday"
    assert "国庆节" in national_day.inner_text() and "节假日" in national_day.inner_text()
    assert page.locator("td[data-date='2027-10-08']").get_attribute("data-kind") == "workday"
    assert "2027 年的法定节假日与调休安排尚未导入" in page.content()  # 2027 is on the fallback
    page.click("a[rel=next]")
    page.wait_for_load_state("networkidle")
    assert "2027 年 11 月" in page.locator(".page-head").inner_text()
    page.click("text=本月")
    page.wait_for_load_state("networkidle")
    today = clock.today().isoformat()
    assert page.locator("td[aria-current=date]").get_attribute("data-date") == today
    assert page.console_errors == [], page.console_errors
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        small = phone.new_page()
        login(small, base, "zhaomin")
        small.goto(f"{base}/engine/calendars/office/month/?m=2027-10")
        # the page's own content stays inside 390 px (the top bar is the phones item's business)
        wide = small.evaluate(
            "[...document.querySelectorAll('.page-head *, .card, .card *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert wide == [], wide
        assert small.locator("td[data-date='2027-10-01']").is_visible()
    finally:
        phone.close()
