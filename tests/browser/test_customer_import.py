"""Browser: the customer Excel round trip as a user does it (issue 13) — export from the customer list,
import the file back choosing 跳过, and watch the job's status in words (排队中 / 检查中 n/N / 导入中 n/N /
已完成) with its progress bar, until every row is skipped and nothing is refused."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser


def test_export_then_import_the_same_file_back(kefu_server, page, tmp_path):
    from tests.browser.conftest import ARTIFACTS

    base = kefu_server["base"]
    login(page, base, "songyu")  # 信息主管: export and import rights over 华辰置业
    page.goto(f"{base}/customers/?tier=normal")
    page.click("#export-filtered")
    assert "层级" in page.locator("#export-filters").inner_text()
    page.fill("input[name=purpose]", "往返检查")
    with page.expect_download() as download:
        page.click("section.card-form form button[type=submit]")
    exported = tmp_path / "customers.xlsx"
    download.value.save_as(exported)

    page.goto(f"{base}/customers/governance/imports/")
    assert page.locator("input[name=existing]:checked").count() == 0  # the page asks, nothing chosen
    page.select_option("select[name=unit]", label="客户服务部")
    page.set_input_files("input[name=file]", str(exported))
    page.check("input[name=existing][value=skip]")
    page.click("section.card-form form button[type=submit]")
    page.wait_for_url(re.compile(r"/imports/\d+/$"))
    status = page.locator("#import-status")
    assert re.search(r"排队中|检查中 \d+/\d+|导入中 \d+/\d+|已完成", status.inner_text())
    expect(status).to_contain_text("已完成", timeout=60_000)  # HTMX polls the job every second
    assert page.locator("#import-progress progress").count() == 1
    outcome = page.locator("#import-outcome").inner_text()
    assert outcome.startswith("新增 0 位") and "跳过档案中已有的" in outcome
    assert page.locator(".alert-error").count() == 0
    page.screenshot(path=str(ARTIFACTS / "customer-import-round-trip.png"), full_page=True)
