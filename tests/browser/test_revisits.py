"""Browser: 郑凯's revisit queue on the real product with demo data (FUP-1, FUP-2).

郑凯 (回访组) opens 我的回访 from the navigation: the demo's three revisits, the earliest due first,
the overdue one in red. He opens the one that could not be reached before, reads its record and its
script, records that the customer is satisfied, and the revisit leaves his open queue.
"""

import pytest

from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser

RED = "rgb(180, 35, 24)"


def test_revisit_queue_due_first_overdue_red_and_an_attempt(kefu_server, browser):  # FUP-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhengkai")
    page.goto(f"{base}/")
    page.click("nav a:has-text('我的回访')")
    page.wait_for_load_state("networkidle")
    rows = page.locator("#revisits tbody tr")
    assert rows.count() == 3
    first = rows.nth(0)
    assert first.get_attribute("data-overdue") == "1"  # the earliest due is the overdue one
    assert first.locator("td").nth(1).evaluate("e => getComputedStyle(e).color") == RED
    assert "已超时" in first.inner_text()
    fresh = rows.nth(2)
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
    assert page.locator("#revisits tbody tr").count() == 2
    assert not page.console_errors
    context.close()
