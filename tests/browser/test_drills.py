"""Browser: DRL-1 emergency drills on a 390 × 844 phone — 王芳 sees the plans due a drill this year at the
top of 应急演练, schedules one through the form, lands on the drill's page with the 登记演练实施 form (steps
as cards), and the annual summary fits the screen with its PDF and Excel links."""

from datetime import timedelta

import pytest

from kefu.core import clock
from tests.browser.test_phone_layout import PHONE, _fits, _signed_in

pytestmark = pytest.mark.browser


def test_drl1_drills_on_a_phone(kefu_server, browser):
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "wangfang", PHONE)
    try:
        page.goto(f"{base}/emergency/drills/")
        assert page.locator("main h1").first.inner_text().strip() == "应急演练"
        assert page.locator("#due-plans tbody tr").count() >= 1
        _fits(page, 390, "phone-drills")
        when = clock.local(clock.now() + timedelta(days=3)).replace(hour=10, minute=0)
        page.fill("#d-when", f"{when:%Y-%m-%dT%H:%M}")
        page.fill("#d-place", "客服大厅")
        page.fill("#d-scenario", "午间火警疏散")
        page.click("#drill-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/emergency/drills/" in page.url and page.locator("#drill-status").inner_text() == "已计划"
        assert page.locator("#held-form").is_visible()
        _fits(page, 390, "phone-drill")
        page.goto(f"{base}/emergency/drills/summary/")
        assert page.locator("#summary-pdf").is_visible() and page.locator("#summary-xlsx").is_visible()
        _fits(page, 390, "phone-drill-summary")
        assert page.console_errors == []
    finally:
        context.close()
