"""Browser: rest and leave end to end (LV-1…LV-5) on the real product with demo data.

A customer's complaint reaches 吴静, who transfers it to 赵敏. 赵敏 asks for two days' rest with 孙丽 as
her substitute; the evening before the rest — still within the one-working-day clock — 李娜 approves
it, and 赵敏's open complaint is handed to 孙丽 at once (the start is near). During the rest a new
consultation — at a time 孙丽 is on shift by the published rota — goes to 孙丽, not to 赵敏: she is
out of routing for those days.
"""

import time
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.browser.test_cases import _open_case
from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser
SHANGHAI = timedelta(hours=8)  # fixed offset: no daylight saving in China


def _public_case(browser, base: str, kind: str, title: str, phone_number: str) -> str:
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    customer = phone.new_page()
    customer.goto(f"{base}/service/hc-realty/")
    customer.check(f"input[name=kind][value={kind}]")
    customer.fill("#id_title", title)
    customer.fill("#id_description", f"{title}，请尽快处理。")
    customer.fill("#id_name", "齐女士")
    customer.fill("#id_phone", phone_number)
    time.sleep(3.5)  # the form refuses submissions faster than a person can type
    customer.click("form.public-form button[type=submit]")
    customer.wait_for_load_state("networkidle")
    number = customer.locator(".public-number").inner_text().strip()
    phone.close()
    return number


def _rest_days(today: date) -> date:
    first = today + timedelta(days=2)
    while first.weekday() > 3:  # Monday to Thursday: both days are weekdays
        first += timedelta(days=1)
    return first


def test_rest_request_approval_routing_and_handover(kefu_server, browser, shift_clock):  # LV-1…LV-5
    base = kefu_server["base"]
    number = _public_case(browser, base, "complaint", "楼道照明长期不亮", "13977770051")
    context, wujing = _signed_in(browser, base, "wujing")
    case_url = _open_case(wujing, base, number)
    wujing.click("#transfer summary")
    wujing.select_option(
        "#transfer-owner", label=wujing.locator("#transfer-owner option", has_text="赵敏").first.inner_text()
    )
    wujing.fill("#transfer-reason", "熟悉该楼栋，转赵敏跟进")
    wujing.click("#transfer-submit")
    wujing.wait_for_load_state("networkidle")
    assert "赵敏" in wujing.locator("#case-owner").inner_text()
    context.close()

    # 1. 赵敏 asks for two days' rest, with 孙丽 as substitute (LV-1); the page shows her quota (LV-4)
    now = datetime.now(UTC)
    first = _rest_days((now + SHANGHAI).date())
    context, zhaomin = _signed_in(browser, base, "zhaomin")
    zhaomin.goto(f"{base}/leave/")
    assert "带薪休息剩余额度" in zhaomin.locator("#leave-quota").inner_text()
    zhaomin.select_option("#id_kind", "rest")
    zhaomin.fill("#id_starts_on", first.isoformat())
    zhaomin.fill("#id_ends_on", (first + timedelta(days=1)).isoformat())
    zhaomin.fill("#id_reason", "家中有事")
    zhaomin.fill("#id_arrangement", "在办投诉交孙丽跟进")
    zhaomin.select_option("#id_substitute", label="孙丽")
    zhaomin.click("#leave-form button[type=submit]")
    zhaomin.wait_for_load_state("networkidle")
    leave_url = zhaomin.url
    assert "/leave/" in leave_url and "待批准" in zhaomin.locator("#leave-state").inner_text()
    context.close()

    # 2. the evening before the rest (within the working-day clock), 李娜 approves (LV-2, LV-3)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC) - SHANGHAI
    shift_clock(start - timedelta(hours=6) - datetime.now(UTC))
    context, lina = _signed_in(browser, base, "lina")
    lina.goto(leave_url)
    lina.select_option("#id_decision", "approve")
    lina.click("#leave-decision button[type=submit]")
    lina.wait_for_load_state("networkidle")
    assert "已批准" in lina.locator("#leave-state").inner_text()
    assert "尚未交接" not in lina.locator("#leave-handover").inner_text()  # handed over at once (LV-5)
    lina.goto(case_url)
    assert "孙丽" in lina.locator("#case-owner").inner_text()  # her complaint went to the substitute
    context.close()

    # 3. during the rest a new case goes to someone else (LV-5, ROUTE-1): to 孙丽, at a time she is on
    #    shift by the published rota (or any time when no rota covers those days)
    context, sunli = _signed_in(browser, base, "sunli")
    shifts = sunli.request.get(f"{base}/api/v1/workforce/my/shifts").json()
    rest_end = start + timedelta(days=2)
    on_shift = [
        datetime.fromisoformat(s["starts_at"])
        for s in shifts
        if datetime.fromisoformat(s["starts_at"]) < rest_end and datetime.fromisoformat(s["ends_at"]) > start
    ]
    at = max(min(on_shift), start) + timedelta(hours=1) if on_shift else start + timedelta(hours=10)
    context.close()
    shift_clock(at - datetime.now(UTC))
    during = _public_case(browser, base, "consultation", "咨询车位租赁", "13977770052")
    context, sunli = _signed_in(browser, base, "sunli")  # a new session: the idle one has expired
    _open_case(sunli, base, during)
    assert "孙丽" in sunli.locator("#case-owner").inner_text()  # not 赵敏: she is out of routing
    context.close()
