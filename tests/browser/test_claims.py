"""Browser: 报备 end to end on the real product with demo data (CLM-1, CLM-2, CLM-4).

黄磊 pre-checks a new phone, registers the customer and sees the countdown; 何平, in a separate browser
context, is refused with the protected-until time and no word of who holds the claim. Expiry by the
clock cannot be driven in the separate server process: it is tested in the non-browser suite
(src/kefu/claims/tests/test_registration.py, CLM-5 / CLM-10).
"""

import re

import pytest

from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser

PHONE = "13766660001"


def test_register_then_a_colleague_is_refused_until(kefu_server, browser):  # CLM-1 / CLM-2 / CLM-4
    from tests.browser.conftest import ARTIFACTS

    base = kefu_server["base"]
    first = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 820})
    page = first.new_page()
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    login(page, base, "huanglei")
    page.click("nav a[href='/claims/']")
    page.fill("#precheck input[name=phone]", PHONE)
    page.click("#precheck button[type=submit]")
    assert "不在保护期" in page.locator("#precheck-result").inner_text() or "可以报备" in page.content()
    page.fill("#register input[name=name]", "褚先生")
    page.fill("#register input[name=phone]", PHONE)
    page.fill("#register input[name=address]", "杭州市西湖区云栖路 120 号")
    page.click("#register button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert re.search(r"/claims/\d+/$", page.url), page.url
    content = page.content()
    assert "褚先生" in content and "CLM-3" in content
    shown = page.locator("#protected-until").inner_text()
    until = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown).group(0)
    page.screenshot(path=str(ARTIFACTS / "claims-registered.png"), full_page=True)
    assert errors == [], errors
    first.close()

    second = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 820})
    other = second.new_page()
    login(other, base, "heping")
    other.goto(f"{base}/claims/")
    other.fill("#register input[name=name]", "褚先生")
    other.fill("#register input[name=phone]", "137-6666-0001")
    other.fill("#register input[name=address]", "杭州市西湖区云栖路 120 号")
    other.click("#register button[type=submit]")
    other.wait_for_load_state("networkidle")
    refusal = other.locator("#register-error").inner_text()
    assert until in refusal and "CLM-4" in refusal, refusal
    assert "黄磊" not in refusal
    other.screenshot(path=str(ARTIFACTS / "claims-refused.png"), full_page=True)
    second.close()
