"""Browser: 郑凯's revisit queue on the real product with demo data (FUP-1, FUP-2).

郑凯 (回访组) opens 我的回访 from the navigation: the demo's three revisits and the arrival revisit of
the water company's order shipped yesterday (ORD-1), the earliest due first, the overdue one in red. He opens the one that could not be reached before, reads its record and its
script, records that the customer is satisfied, and the revisit leaves his open queue.
"""

import pytest

from tests.browser.test_claims import _signed_in
from tests.browser.test_phone_layout import PHONE, _fits
from tests.browser.test_phone_layout import _signed_in as _sized


def _phone(browser, base, username):
    return _sized(browser, base, username, PHONE)


pytestmark = pytest.mark.browser

RED = "rgb(180, 35, 24)"


def test_revisit_queue_due_first_overdue_red_and_an_attempt(kefu_server, browser):  # FUP-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhengkai")
    page.goto(f"{base}/")
    page.click("nav a:has-text('我的回访')")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#revisits tbody tr")
    assert rows.count() == 4
    first = rows.nth(0)
    assert first.get_attribute("data-overdue") == "1"  # the earliest due is the overdue one
    assert first.locator("td").nth(1).evaluate("e => getComputedStyle(e).color") == RED
    assert "已超时" in first.inner_text()
    fresh = rows.nth(3)
    assert fresh.get_attribute("data-overdue") == "0"
    assert fresh.locator("td").nth(1).evaluate("e => getComputedStyle(e).color") != RED
    retry = page.locator("#revisits tbody tr:has-text('无法联系')")
    assert retry.count() == 1
    retry.locator("a.queue-link").click()
    page.wait_for_load_state("networkidle")
    assert "无法联系" in page.locator("#revisit-attempts").inner_text()  # the earlier try, in 《回访记录表》
    assert page.locator("#revisit-script h2").inner_text() == "回访话术"
    page.select_option("#attempt-form select[name=outcome]", "satisfied")
    page.fill("#attempt-form textarea[name=words]", "已经来水了，谢谢")
    page.click("#attempt-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#revisit-state").inner_text() == "已回访"
    assert "已经来水了，谢谢" in page.locator("#revisit-attempts").inner_text()
    page.goto(f"{base}/revisits/")
    assert page.locator("#revisits tbody tr").count() == 3
    assert not page.console_errors
    context.close()


def test_revisit_queue_by_keyboard(kefu_server, browser):  # FUP-1
    """j/k move through 我的回访 like 我的工单, Enter opens the chosen revisit, g goes back."""
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhengkai")
    page.goto(f"{base}/revisits/")
    page.wait_for_load_state("networkidle")
    links = page.locator("#revisits a.queue-link")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.className") == "queue-link"
    page.keyboard.press("j")
    second = links.nth(1).get_attribute("href")
    assert page.evaluate("document.activeElement.getAttribute('href')") == second
    assert page.locator("#revisits tr.row-current").count() == 1
    page.keyboard.press("k")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{second}")
    page.keyboard.press("g")
    page.wait_for_url(f"{base}/revisits/")
    assert not page.console_errors
    context.close()


@pytest.mark.parametrize(
    "path", ["/revisits/", "/revisits/campaigns/", "/revisits/monthly/", "/revisits/plans/"]
)
def test_revisit_pages_fit_a_phone(kefu_server, browser, path):  # FUP-1
    """The revisit pages at 390 px: nothing scrolls sideways; a flush card's heading keeps its padding."""
    base = kefu_server["base"]
    context, page = _phone(browser, base, "gaofeng")
    page.goto(f"{base}{path}")
    _fits(page, 390, "phone-revisits-" + path.strip("/").replace("/", "-"))
    for heading in page.locator(".card-flush > h2").all():  # not flush against the card's edge
        assert float(heading.evaluate("e => getComputedStyle(e).paddingLeft").removesuffix("px")) >= 10
    context.close()


def test_zhengkai_records_a_revisit_on_a_phone(kefu_server, browser):  # FUP-1
    """At 390 × 844 郑凯 opens a revisit from 我的回访, records the customer's answer in 《回访记录表》,
    and the revisit ends 已回访 with the customer's words kept."""
    base = kefu_server["base"]
    context, page = _phone(browser, base, "zhengkai")
    page.goto(f"{base}/revisits/")
    page.wait_for_load_state("networkidle")
    before = page.locator("#revisits a.queue-link").count()
    assert before >= 1
    page.locator("#revisits a.queue-link").first.click()
    page.wait_for_load_state("networkidle")
    page.select_option("#attempt-form select[name=outcome]", "satisfied")
    page.fill("#attempt-form textarea[name=words]", "师傅很准时，问题解决了")
    page.locator("#attempt-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#revisit-state").inner_text() == "已回访"
    assert "师傅很准时，问题解决了" in page.locator("#revisit-attempts").inner_text()
    _fits(page, 390, "phone-revisit-recorded")
    page.goto(f"{base}/revisits/")
    assert page.locator("#revisits a.queue-link").count() == before - 1
    assert not page.console_errors
    context.close()
