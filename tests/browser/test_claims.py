"""Browser: 报备 end to end on the real product with demo data (CLM-1, CLM-2, CLM-4, CLM-5).

黄磊 pre-checks a new phone, registers the customer and sees the countdown; 何平, in a separate browser
context, is refused with the protected-until time and no word of who holds the claim. Then the
server's clock (web and worker) is moved past the protected-until time: the worker expires the
claim, 黄磊 sees it expired, the pre-check answers "not protected" and 何平 may now register.
"""

import re
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser

PHONE = "13766660001"


def _until_instant(shown: str) -> datetime:
    """The page shows local (Asia/Shanghai) minutes; the claim ends within that minute."""
    local = datetime.strptime(shown, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    return local.astimezone(UTC) + timedelta(minutes=1)


def _wait_for_state(page, url: str, text: str, timeout: float = 180) -> None:
    """Reload until the worker has done its part (it sweeps timers every second)."""
    deadline = time.monotonic() + timeout
    while True:
        page.goto(url)
        if text in page.locator("h1").first.inner_text():
            return
        assert time.monotonic() < deadline, f"{url} never showed {text!r}"
        time.sleep(1)


def _signed_in(browser, base: str, username: str):
    """A fresh browser context (its own cookies) with `username` signed in; returns (context, page)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 820})
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    login(page, base, username)
    return context, page


def _register(page, phone: str) -> None:
    """Fill and submit the registration form on 我的报备 (the page is already open)."""
    page.fill("#register input[name=name]", "褚先生")
    page.fill("#register input[name=phone]", phone)
    page.fill("#register input[name=address]", "杭州市西湖区云栖路 120 号")
    page.click("#register button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_precheck_register_refusal_then_expiry_by_clock(kefu_server, browser, shift_clock):  # CLM-1/2/4/5
    from tests.browser.conftest import ARTIFACTS

    base = kefu_server["base"]
    first, page = _signed_in(browser, base, "huanglei")
    page.click("nav a[href='/claims/']")
    page.fill("#precheck input[name=phone]", PHONE)
    page.click("#precheck button[type=submit]")
    assert "可以报备" in page.locator("#precheck-result").inner_text()
    _register(page, PHONE)
    assert re.search(r"/claims/\d+/$", page.url), page.url
    content = page.content()
    assert "褚先生" in content and "CLM-3" in content
    shown = page.locator("#protected-until").inner_text()
    until = re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown).group(0)
    page.screenshot(path=str(ARTIFACTS / "claims-registered.png"), full_page=True)
    assert page.console_errors == [], page.console_errors
    claim_url = page.url
    first.close()

    # A colleague is refused with the protected-until time and no word of who holds it (CLM-4).
    second, other = _signed_in(browser, base, "heping")
    other.goto(f"{base}/claims/")
    _register(other, "137-6666-0001")
    refusal = other.locator("#register-error").inner_text()
    assert until in refusal and "CLM-4" in refusal, refusal
    assert "黄磊" not in refusal
    other.screenshot(path=str(ARTIFACTS / "claims-refused.png"), full_page=True)
    second.close()

    # The clock passes the protected-until time; the worker expires the claim (CLM-5).
    shift_clock(_until_instant(until) - datetime.now(UTC) + timedelta(minutes=1))
    first, page = _signed_in(browser, base, "huanglei")  # a week on, the old session has timed out
    _wait_for_state(page, claim_url, "已过期")
    page.goto(f"{base}/claims/?phone={PHONE}")
    assert "可以报备" in page.locator("#precheck-result").inner_text()
    page.screenshot(path=str(ARTIFACTS / "claims-expired.png"), full_page=True)
    first.close()

    # Now the colleague's registration goes through: the customer is free again.
    second, other = _signed_in(browser, base, "heping")
    other.goto(f"{base}/claims/")
    _register(other, PHONE)
    assert re.search(r"/claims/\d+/$", other.url), other.url
    assert other.url != claim_url and "保护中" in other.locator("h1").inner_text()
    assert other.console_errors == [], other.console_errors
    second.close()


def test_issue13_precheck_never_names_the_owner_to_a_site_lead(kefu_server, browser):  # CLM-1
    """何平 (案场负责人) pre-checks 黄磊's demo customer 韩女士 (deposit, 90 days): the page says protected
    and until when, and its help text promises no more — no 黄磊; 黄磊 himself sees it is his."""
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "heping")
    page.goto(f"{base}/claims/")
    page.fill("#precheck input[name=phone]", "13700010002")
    page.click("#precheck button[type=submit]")
    answer = page.locator("#precheck-result").inner_text()
    assert "保护至" in answer and "黄磊" not in answer, answer
    assert "不透露报备人" in page.locator(".page-head").inner_text()
    context.close()
    context, page = _signed_in(browser, base, "huanglei")
    page.goto(f"{base}/claims/?phone=13700010002")
    assert "黄磊" in page.locator("#precheck-result").inner_text()
    context.close()
