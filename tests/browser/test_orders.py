"""Browser: ORD-1 an order on a 390 × 844 phone — 赵敏 records an order from the catalogue for her customer and
records the customer's confirmation; 郭庆 (财务) verifies the payment and releases it; 李娜 records the
shipment with the courier's phone, told to the customer; the arrival revisit appears on the order."""

import pytest

from tests.browser.test_phone_layout import PHONE, _fits, _signed_in

pytestmark = pytest.mark.browser


def test_ord1_order_confirmed_released_shipped_revisit(kefu_server, browser):  # ORD-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhaomin", PHONE)
    try:
        page.goto(f"{base}/orders/")
        assert page.locator("main h1").first.inner_text().strip() == "订单"
        _fits(page, 390, "phone-orders")
        page.select_option("#o-item-1", index=1)
        page.fill("#o-quantity-1", "1")
        page.click("#create-order")
        page.wait_for_load_state("networkidle")
        assert page.locator("#order-state").inner_text() == "待客户确认"
        order_url = page.url
        total = page.locator("#order-total").inner_text().strip()
        page.select_option("#f-method", "transfer")
        page.click("#confirm")
        page.wait_for_load_state("networkidle")
        assert page.locator("#order-state").inner_text() == "待财务核实"
        assert page.locator("#ship").count() == 0
        _fits(page, 390, "phone-order")
    finally:
        context.close()
    context, page = _signed_in(browser, base, "guoqing", PHONE)
    try:
        page.goto(order_url)
        page.fill("#f-paid", total)
        page.click("#release")
        page.wait_for_load_state("networkidle")
        assert page.locator("#order-state").inner_text() == "待发货"
    finally:
        context.close()
    context, page = _signed_in(browser, base, "lina", PHONE)
    try:
        page.goto(order_url)
        page.fill("#f-carrier", "顺丰速运")
        page.fill("#f-cphone", "13905719999")
        page.fill("#f-tracking", "SF0001")
        page.click("#ship")
        page.wait_for_load_state("networkidle")
        assert page.locator("#order-state").inner_text() == "已发货"
        assert "139****9999" in page.locator("#shipment").inner_text()
        assert "顺丰速运" in page.locator("#shipment").inner_text()
        revisit = page.locator("#arrival-revisit a")
        assert revisit.count() == 1 and "应于" in revisit.inner_text()
        _fits(page, 390, "phone-order-shipped")
        assert page.console_errors == []
    finally:
        context.close()
