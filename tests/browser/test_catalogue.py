"""Browser: PRC-1 the service and price catalogue on a 390 × 844 phone — 王芳 proposes a new price for 管家代办服务
effective today, 郭庆 (another person, 财务) approves it and the item's page shows it in effect; 赵敏 charges a
case outside the catalogue and is refused with the clause "不准乱收费", then charges the price in effect."""

import pytest

from tests.browser.test_phone_layout import PHONE, _fits, _signed_in

pytestmark = pytest.mark.browser


def _option(page, select: str, text: str) -> str:
    """The value of the option of `select` whose label contains `text`."""
    return page.locator(f"{select} option", has_text=text).first.get_attribute("value")


def test_prc1_price_change_approved_and_charges_only_from_catalogue(kefu_server, browser):  # PRC-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "wangfang", PHONE)
    try:
        page.goto(f"{base}/catalogue/")
        assert page.locator("main h1").first.inner_text().strip() == "服务项目与价目表"
        assert page.locator("#pending tbody tr").count() >= 1  # the demo's proposal awaiting approval
        _fits(page, 390, "phone-catalogue")
        page.select_option("#p-kind", "price")
        page.select_option("#p-item", _option(page, "#p-item", "管家代办服务"))
        page.fill("#p-price", "60.00")
        page.fill("#p-reason", "服务时长增加，调整收费")
        page.click("#propose")
        page.wait_for_load_state("networkidle")
        assert "/catalogue/items/" in page.url
        item_url = page.url
        assert "50.00" in page.locator("#price-today").inner_text()  # not in effect before approval
        assert page.locator("button[id^=approve-]").count() == 0  # the proposer may not approve
    finally:
        context.close()
    context, page = _signed_in(browser, base, "guoqing", PHONE)
    try:
        page.goto(item_url)
        page.locator("button[id^=approve-]").first.click()
        page.wait_for_load_state("networkidle")
        assert "60.00" in page.locator("#price-today").inner_text()
        _fits(page, 390, "phone-catalogue-item")
    finally:
        context.close()
    context, page = _signed_in(browser, base, "zhaomin", PHONE)
    try:
        page.goto(f"{base}/cases/")
        case_path = page.evaluate(
            "[...document.querySelectorAll('a')].map(a => a.getAttribute('href')).find(h => /^\\/cases\\/\\d+\\/$/.test(h || ''))"
        )
        page.goto(f"{base}{case_path}")
        page.click("#case-charges")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/charges/")
        page.select_option("#c-item", _option(page, "#c-item", "管家代办服务"))
        page.fill("#c-price", "80")
        page.click("#charge")
        page.wait_for_load_state("networkidle")
        assert "不准乱收费" in page.locator("main").inner_text()
        assert page.locator("#charges tbody tr").first.inner_text().strip() == "暂无收费。"
        page.fill("#c-price", "")
        page.click("#charge")
        page.wait_for_load_state("networkidle")
        assert page.locator("#charges-total").inner_text().strip() == "60.00"
        _fits(page, 390, "phone-case-charges")
        assert page.console_errors == []
    finally:
        context.close()
