"""Browser: HRD-1 逾期报备 on a 390 × 844 phone — 赵敏 records a report with the hours the customer takes
calls, tries to log a call outside those hours and sees the refusal quoting the seed's clause, then logs
one inside them with its recording, which plays on the report's page."""

import struct
from datetime import datetime, time, timedelta

import pytest

from kefu.cases.actions.hardship import WINDOW_CLAUSE
from kefu.core import clock
from tests.browser.test_phone_layout import PHONE, _fits, _signed_in

pytestmark = pytest.mark.browser


def _wav() -> bytes:
    frames = b"\x80" * 8000
    header = b"RIFF" + struct.pack("<I", 36 + len(frames)) + b"WAVE"
    header += b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 8000, 1, 8)
    return header + b"data" + struct.pack("<I", len(frames)) + frames


def test_hrd1_hardship_report_on_a_phone(kefu_server, browser):  # HRD-1
    base = kefu_server["base"]
    now = clock.local()
    day_start = datetime.combine(now.date(), time(0, 0), tzinfo=now.tzinfo)
    start = max(now - timedelta(hours=1), day_start).replace(second=0, microsecond=0)
    end = min(now + timedelta(hours=1), day_start + timedelta(hours=23, minutes=59)).replace(second=0)
    window = f"{start:%H:%M}–{end:%H:%M}"
    context, page = _signed_in(browser, base, "zhaomin", PHONE)
    try:
        page.goto(f"{base}/cases/hardship/")
        assert page.locator("main h1").first.inner_text().strip() == "逾期报备"
        _fits(page, 390, "phone-hardship-list")
        page.fill("#hardship-phone", "13512398765")
        page.fill("#hardship-name", "孙先生")
        page.fill("#hardship-overdue", f"{now.date() + timedelta(days=3):%Y-%m-%d}")
        page.fill("#hardship-text", "失业两个月，本月还款即将逾期")
        page.select_option("#hardship-willingness", "willing_unable")
        page.fill("#hardship-window-start", f"{start:%H:%M}")
        page.fill("#hardship-window-end", f"{end:%H:%M}")
        page.click("#hardship-submit")
        page.wait_for_load_state("networkidle")
        assert "/hardship/" in page.url and page.locator("#hardship-window").inner_text() == window, page.url
        assert "（" in page.locator("#hardship-agent").inner_text()  # the agent with their 工号
        _fits(page, 390, "phone-hardship-report")

        outside = now - timedelta(hours=3)
        page.fill("#call-at", f"{outside:%Y-%m-%dT%H:%M}")
        page.select_option("#call-target", "customer")
        page.select_option("#call-outcome", "reached")
        page.click("#call-submit")
        page.wait_for_load_state("networkidle")
        refusal = page.locator("#hardship-call-error").inner_text()
        assert window in refusal and WINDOW_CLAUSE in refusal, refusal
        assert page.locator(".hardship-call").count() == 0

        inside = now - timedelta(minutes=2)
        page.fill("#call-at", f"{inside:%Y-%m-%dT%H:%M}")
        page.select_option("#call-outcome", "reached")
        page.fill("#call-note", "客户确认有还款意愿，本次通话已录音")
        page.set_input_files(
            "#call-recording", files=[{"name": "通话录音.wav", "mimeType": "audio/wav", "buffer": _wav()}]
        )
        page.click("#call-submit")
        page.wait_for_load_state("networkidle")
        assert page.locator("#hardship-call-error").count() == 0
        assert page.locator(".hardship-call").count() == 1
        player = page.locator(".hardship-call audio")
        assert player.count() == 1
        source = player.get_attribute("src")
        heard = page.request.get(f"{base}{source}")
        assert heard.status == 200 and heard.headers["content-type"] == "audio/wav"
        _fits(page, 390, "phone-hardship-call")
        # the refused call re-renders the form with status 400 (attempt()): the one expected console line
        assert [e for e in page.console_errors if "status of 400" not in e] == []
    finally:
        context.close()
