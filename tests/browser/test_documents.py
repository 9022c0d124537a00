"""Browser: DOC-1 policy acknowledgement — 王芳 issues version 2 of 华辰置业's 首问负责制 from its page; 赵敏, on a
390 × 844 phone, finds it waiting for her acknowledgement, reads it (and a long seed document of the group's
library fits the screen too) and acknowledges; 王芳 then sees who has read version 2, 赵敏 among them."""

import pytest

from tests.browser.test_phone_layout import PHONE, _fits, _signed_in

pytestmark = pytest.mark.browser

TITLE = "客户服务首问负责制实施办法"


def test_doc1_version_2_acknowledged_on_a_phone(kefu_server, browser):  # DOC-1
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "wangfang", {"width": 1280, "height": 800})
    try:
        page.goto(f"{base}/documents/policies/")
        page.click(f"#policies a:text-is('{TITLE}')")
        page.wait_for_load_state("networkidle")
        policy_url = page.url
        page.fill("#version-form input[name=note]", "增加第五条：投诉升级时限")
        page.fill(
            "#version-form textarea[name=body]", "第一条 首问负责。\n第五条 重大投诉当日升级至客服经理。"
        )
        page.click("#version-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "第 2 版" in page.locator("#policy-meta").inner_text()
        assert "赵敏" in page.locator("#readers").inner_text()
    finally:
        context.close()

    context, page = _signed_in(browser, base, "zhaomin", PHONE)
    try:
        page.goto(f"{base}/documents/policies/")
        pending = page.locator("#to-acknowledge")
        assert TITLE in pending.inner_text() and "第 2 版" in pending.inner_text()
        _fits(page, 390, "phone-policies")
        pending.locator(f"a:text-is('{TITLE}')").click()
        page.wait_for_load_state("networkidle")
        assert "重大投诉当日升级至客服经理" in page.locator("#policy-body").inner_text()
        assert page.locator("#acknowledge").is_visible()
        _fits(page, 390, "phone-policy")
        page.click("#acknowledge")
        page.wait_for_load_state("networkidle")
        assert (
            page.locator("#acknowledged").is_visible()
            and "第 2 版" in page.locator("#acknowledged").inner_text()
        )
        page.goto(f"{base}/documents/policies/")
        page.click("#policies a:text-is('集团公司客户管理服务中心管理制度')")  # a long seed text on a phone
        page.wait_for_load_state("networkidle")
        assert page.locator("#policy-body p").count() > 50
        _fits(page, 390, "phone-policy-long")
        assert page.console_errors == []
    finally:
        context.close()

    context, page = _signed_in(browser, base, "wangfang", PHONE)
    try:
        page.goto(policy_url)
        readers = page.locator("#readers")
        assert "第 2 版阅知情况" in readers.inner_text()
        assert readers.locator("li.doc-read[data-person='赵敏']").count() == 1
        assert readers.locator("li.doc-unread[data-person='孙丽']").count() == 1
        _fits(page, 390, "phone-policy-readers")
    finally:
        context.close()
