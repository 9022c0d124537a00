"""Browser: a water main bursts (EMG-4, EMG-5). The administrator sets 华辰水务's own stricter surge trigger
(5 报修 in the window, any factor over the usual number); 吕欣 on the hotline receives a burst of 报修;
the running worker's detector raises the surge and opens a draft incident; the command centre's 主任 on
a 390×844 phone finds it on 突发事件, sees the 30-minute clock counting down, activates the response
within it, ticks the checklist, reports the recovery, lifts the emergency and writes the review.
Screenshots: var/test-artifacts/emergency-*.png."""

import json
import time
from datetime import timedelta

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_calendars import _login_admin
from tests.browser.test_dashboards import DESKTOP, PHONE, _signed_in

pytestmark = pytest.mark.browser

WATER = "华辰水务有限公司"
DIRECTOR = "gaofeng"  # the command centre's 主任 at 华辰水务 (the demo binds the 客服经理)


def _override(page, base: str, key: str, value: int) -> None:
    page.goto(f"{base}/policy/{key}/override/")
    page.select_option("select[name=unit]", label=WATER)
    page.fill("input[name=value]", str(value))
    page.fill("[name=reason]", "爆管演示：本公司更严的激增触发条件")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/override/" not in page.url, page.content()[-2000:]


def _repair(context, base: str, n: int) -> None:
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    answer = context.request.post(
        f"{base}/api/v1/cases",
        data=json.dumps(
            {
                "kind": "repair",
                "channel": "phone",
                "title": f"水管爆裂报修 {n}",
                "extra": {"address": f"解放路 {n + 1} 号", "fault": "停水"},
                "customer": {"name": "韩先生", "phone": f"139777701{n:02d}"},
            }
        ),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": f"{base}/cases/"},
    )
    assert answer.status == 201, answer.text()


def _no_sideways_scroll(page) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner + 1, (scroll, inner)


def test_emg5_a_burst_of_repairs_to_a_draft_incident_activated_in_time_on_a_phone(
    kefu_server, browser, shift_clock
):
    base = kefu_server["base"]
    # two hours on: the demo's own burst of 报修 (an hour-long window) is over, its surge ends
    shift_clock(timedelta(hours=2))
    admin_context = browser.new_context(locale="zh-CN", viewport=DESKTOP)
    admin = admin_context.new_page()
    _login_admin(admin, kefu_server)  # policy.manage: the administrator
    try:
        _override(admin, base, "emergency.surge_threshold", 5)
        _override(admin, base, "emergency.surge_factor", 1)
    finally:
        admin_context.close()

    desk_context, _desk = _signed_in(browser, base, "lvxin", DESKTOP)
    try:
        for n in range(6):
            _repair(desk_context, base, n)
    finally:
        desk_context.close()

    context, page = _signed_in(browser, base, DIRECTOR, PHONE)
    try:
        deadline = time.monotonic() + 60
        # the new draft (not started yet), not the demo's burst already in response
        row = page.locator("#incidents tr", has_text="报修激增（").filter(has_text="须启动")
        while True:  # the worker sweeps every second: the draft incident appears within seconds
            page.goto(f"{base}/emergency/incidents/")
            if row.count() or time.monotonic() > deadline:
                break
            time.sleep(2)
        assert row.count(), "no draft incident from the surge"
        assert "须启动" in row.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "emergency-incidents-phone.png"), full_page=True)
        row.first.locator("a").first.click()
        page.wait_for_load_state("networkidle")
        assert (
            "/emergency/incidents/" in page.url and "已报告" in page.locator("#incident-status").inner_text()
        )
        clock_text = page.locator("#incident-clock").inner_text()
        assert "须启动" in clock_text, clock_text
        _no_sideways_scroll(page)
        page.screenshot(path=str(ARTIFACTS / "emergency-command-phone.png"), full_page=True)

        page.click("#do-activate")
        page.wait_for_load_state("networkidle")
        assert "在时限内启动" in page.locator("#incident-clock").inner_text()
        items = page.locator("#checklist li")
        assert items.count() >= 2
        for _ in range(2):
            page.locator("#checklist li[data-done='0'] form button").first.click()
            page.wait_for_load_state("networkidle")
        assert page.locator("#checklist li[data-done='1']").count() == 2
        assert "处置中" in page.locator("#incident-status").inner_text()

        page.locator("summary", has_text="恢复情况报告").click()
        page.fill("#v-report", "抢修完成，供水恢复")
        page.fill("#v-impact", "城东片区停水约 3 小时")
        page.click("#do-recover")
        page.wait_for_load_state("networkidle")
        page.click("#do-lift")
        page.wait_for_load_state("networkidle")
        assert "已解除" in page.locator("#incident-status").inner_text()
        page.fill("#w-cause", "主管老化")
        page.fill("#w-prevention", "更换老旧管段")
        page.fill("#w-lessons", "语音提示应在 10 分钟内上线")
        page.click("#do-review")
        page.wait_for_load_state("networkidle")
        assert "已复盘" in page.locator("#incident-status").inner_text()
        timeline = page.locator("#incident-timeline").inner_text()
        for step in ("投诉激增检测", "启动应急响应", "完成", "恢复", "解除应急状态", "复盘"):
            assert step in timeline, timeline
        _no_sideways_scroll(page)
        page.screenshot(path=str(ARTIFACTS / "emergency-reviewed-phone.png"), full_page=True)
        assert not page.console_errors, page.console_errors
    finally:
        context.close()
