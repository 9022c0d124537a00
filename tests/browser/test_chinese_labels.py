"""Browser: the audit log and a case page read in words, not codes (issue 13)."""

import pytest

from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser


def test_issue13_audit_log_and_case_page_show_words_not_codes(kefu_server, browser):
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "wangfang")
    page.goto(f"{base}/audit/?object_type=customers.customer")
    rows = page.locator("#audit-results").inner_text()
    assert "客户档案 #" in rows and "命令行 · 演示数据" in rows, rows
    for code in ("customers.customer", "fp:", "cli demo"):
        assert code not in rows, code
    context.close()
    context, page = _signed_in(browser, base, "wujing")  # her overdue complaint: escalated, routed by load
    page.goto(f"{base}/cases/")
    page.locator("a.queue-link").first.click()
    page.wait_for_load_state("networkidle")
    shown = page.locator("main").inner_text()
    assert "可上传图片、PDF、文档、表格和纯文本文件" in shown, shown
    for word in ("routed by load", "overdue", "supervisor", "Major", "允许的类型：csv"):
        assert word not in shown, word
    context.close()
