"""Browser: a customer on a phone who lost the status link finds the request again with its number
and the phone given (issue 13, CASE-2) — from the public pages' link, a neutral answer for a wrong
phone, then the status page; nothing wider than 390 px."""

import json
import urllib.request

import pytest

pytestmark = pytest.mark.browser

PHONE = "13977770042"
TITLE = "小区门禁卡无法补办"


def _report(base: str) -> str:
    """A request sent through the public API (the customer then loses the answer); its number."""
    body = {
        "kind": "consultation",
        "title": TITLE,
        "unit": "hc-realty",
        "contact": {"name": "严先生", "phone": PHONE},
    }
    request = urllib.request.Request(  # noqa: S310 — our own server
        f"{base}/api/v1/public/cases",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310 — our own server
        return json.load(answer)["number"]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_lookup_by_number_and_phone_on_a_phone(kefu_server, browser):
    base = kefu_server["base"]
    number = _report(base)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        customer = phone.new_page()
        customer.goto(f"{base}/service/")
        customer.click("#lookup-link")
        customer.wait_for_load_state("networkidle")
        assert "查询我的工单" in customer.locator("h1").inner_text()
        assert _fits(customer)
        customer.fill("#id_number", number)
        customer.fill("#id_phone", "13977770000")  # a wrong phone: the same words as an unknown number
        customer.click("#public-lookup button[type=submit]")
        customer.wait_for_load_state("networkidle")
        error = customer.locator("#lookup-error")
        assert "未找到相符的工单" in error.inner_text() and number not in error.inner_text()
        assert error.is_visible() and _fits(customer)
        customer.fill("#id_number", number.lower())
        customer.fill("#id_phone", "139 7777 0042")
        customer.click("#public-lookup button[type=submit]")
        customer.wait_for_load_state("networkidle")
        assert f"/service/status/{number}/?s=" in customer.url
        assert TITLE in customer.locator("h1").inner_text()
        assert number in customer.locator("main").inner_text()
        assert _fits(customer)
    finally:
        phone.close()
