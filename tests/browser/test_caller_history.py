"""Browser: the caller's history on 新建工单 (issue 13). An agent types a caller's phone: the page shows
the customer from the archive (masked), fills the contact's name, lists the caller's open and recent
cases and their live 报备 status as the agent may see it — protected and until when, never by whom
(CLM-1) — all without leaving the page (HTMX on change and with 查询)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser

HU = "13957242518"  # 胡永刚: realty's archive, owned by 赵敏 (demo)
QIAN = "13512340001"  # 钱先生: the demo's answered and closed consultation (赵敏's)
SHEN = "13700010001"  # 沈先生: a live 报备 of 黄磊 (demo)


def _look_up(page, phone: str, *, button: bool = False) -> None:
    """Type the phone in the new contact and look the caller up: on change (leaving the field) or with 查询."""
    page.fill("#contact-phone", phone)
    with page.expect_response(re.compile(r"/cases/new/caller/")):
        if button:
            page.click("#caller-lookup")
        else:
            page.locator("#contact-phone").press("Tab")
    # the fieldset is swapped after the answer: wait for this caller's (masked) number
    expect(page.locator("#caller-history")).to_contain_text(f"{phone[:3]}****{phone[-4:]}")


def test_caller_history_on_the_new_case_page(kefu_server, page):
    base = kefu_server["base"]
    login(page, base, "zhaomin")  # 客服专员, realty's hotline
    page.goto(f"{base}/cases/new/")

    # 1. a customer in the archive: found, masked, the contact's name filled in
    _look_up(page, HU)
    assert "已建档客户" in page.locator("#caller-customer").inner_text()
    assert "胡永刚" in page.locator("#caller-customer").inner_text()
    assert "139****2518" in page.locator("#caller-customer").inner_text()
    assert HU not in page.locator("#caller-history").inner_text()  # the archive's number stays masked
    assert page.input_value("#contact-name") == "胡永刚"
    assert page.input_value("#contact-phone") == HU  # what the agent typed stays
    assert "不在保护期内" in page.locator("#caller-claim").inner_text()

    # the agent receives the call as a case; looked up again, it is among the caller's open cases
    page.select_option("#case-kind", "consultation")
    page.fill("#case-title", "咨询商铺租金发票")
    page.click("#new-case-submit")
    page.wait_for_load_state("networkidle")
    number = re.search(r"KF-\d{8}-\d{6}", page.locator("main").inner_text()).group(0)
    page.goto(f"{base}/cases/new/")
    _look_up(page, HU, button=True)
    open_cases = page.locator("#caller-open").inner_text()
    assert number in open_cases and "咨询商铺租金发票" in open_cases
    assert page.locator(f"#caller-open a:has-text('{number}')").get_attribute("href").startswith("/cases/")

    # 2. a caller with a closed case: listed under 近期工单, not under 在办工单
    _look_up(page, QIAN)
    assert "咨询云栖三期交房时间" in page.locator("#caller-recent").inner_text()
    assert "咨询云栖三期交房时间" not in page.locator("#caller-open").inner_text()

    # 3. a caller under someone's 报备: the agent learns until when, not whose (CLM-1)
    _look_up(page, SHEN)
    claim = page.locator("#caller-claim").inner_text()
    assert "保护至" in claim and "黄磊" not in claim
    assert re.search(r"保护至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", claim), claim
    assert "黄磊" not in page.locator("#caller-history").inner_text()
    assert page.console_errors == [], page.console_errors
