"""Browser: VEN-1 外包客服备案 — 王芳 (the vendor's side of 华辰置业) enters a filing, uploads its six materials and
submits it; 张伟 (group office, reviewer) asks for a supplement of the credit proof; 王芳 uploads it and
submits the supplement; 张伟 approves and downloads the certificate PDF. On a desktop, then the filing and the
list on a 390 × 844 phone (no sideways scroll). Runs on whichever database the server fixture uses."""

import secrets

import pytest

from kefu.vendors.actions.common import check_digit
from kefu.vendors.models import MaterialKind
from tests.browser.test_phone_layout import DESKTOP, PHONE, _fits, _signed_in

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _upload(page, kind: str, name: str) -> None:
    page.select_option("#m-kind", kind)
    page.set_input_files("#m-file", {"name": name, "mimeType": "application/pdf", "buffer": PDF})
    page.click("#material-form button[type=submit]")
    page.wait_for_load_state("networkidle")


def _status(page) -> str:
    return page.locator("#filing-status").inner_text().strip()


def test_ven1_filing_supplement_approval_certificate(kefu_server, browser):  # VEN-1
    base = kefu_server["base"]
    first17 = f"91330106MA2B{secrets.randbelow(100000):05d}"
    vendor, page = _signed_in(browser, base, "wangfang", DESKTOP)
    reviewer, review = _signed_in(browser, base, "zhangwei", DESKTOP)
    try:
        page.goto(f"{base}/vendors/")
        assert page.locator("main h1").first.inner_text().strip() == "外包客服备案"
        page.fill("#v-name", "浏览器外包客服有限公司")
        page.fill("#v-code", first17 + check_digit(first17))
        page.fill("#v-capital", "3000000.00")
        page.fill("#v-contact", "测试联系人")
        page.fill("#v-phone", "13900000088")
        page.click("#filing-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "/vendors/" in page.url and _status(page) == "草稿"
        filing_url = page.url
        page.click(
            "#submit-form button[type=submit]"
        )  # nothing attached yet: refused, naming what is missing
        page.wait_for_load_state("networkidle")
        assert "营业执照" in page.locator(".messages, main").first.inner_text() and _status(page) == "草稿"
        for kind in MaterialKind:
            _upload(page, kind.value, f"{kind.label}.pdf")
        assert page.locator("#missing").count() == 0
        page.click("#submit-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert _status(page) == "待审核"

        review.goto(filing_url)
        review.fill("#s-reason", "信用证明已过期，请补充最新的信用证明")
        review.check("#supplement-form input[value=credit]")
        review.click("#supplement-form button[type=submit]")
        review.wait_for_load_state("networkidle")
        assert _status(review) == "待补充材料" and review.locator("#supplement-due").is_visible()

        page.goto(filing_url)
        assert "信用证明已过期" in page.locator("#supplement-open").inner_text()
        _upload(page, "credit", "最新信用证明.pdf")
        page.fill("#a-note", "已补充最新信用证明")
        page.click("#answer-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert _status(page) == "待审核"

        review.goto(filing_url)
        review.fill("#p-note", "材料齐全，同意备案")
        review.click("#approve-form button[type=submit]")
        review.wait_for_load_state("networkidle")
        assert _status(review) == "已备案"
        number = review.locator("#certificate-number").inner_text().strip()
        assert number.startswith("WB-")
        with review.expect_download() as info:
            review.click("#certificate-pdf")
        download = info.value
        assert download.suggested_filename == f"{number}.pdf"
        with open(download.path(), "rb") as saved:
            assert saved.read(5) == b"%PDF-"
        _fits(review, DESKTOP["width"], "desktop-vendor-filing")
        assert page.console_errors == [] and review.console_errors == []
    finally:
        vendor.close()
        reviewer.close()
    phone, small = _signed_in(browser, base, "wangfang", PHONE)
    try:
        small.goto(filing_url)
        assert _status(small) == "已备案" and small.locator("#next-due").is_visible()
        _fits(small, 390, "phone-vendor-filing")
        small.goto(f"{base}/vendors/")
        assert small.locator("#filings tbody tr").count() >= 2
        _fits(small, 390, "phone-vendors")
        assert small.console_errors == []
    finally:
        phone.close()
