"""Browser: the live queue (issue 13). 吴静 has 我的工单 open; 赵敏 receives a complaint through the API
(her browser session) and it is routed to the complaints group, that is to 吴静. Without a reload, 吴静's
page shows the new row, the top-bar badge counts the inbox message and the tab title carries the count
— the server for the browser tests polls every 2 s (KEFU_LIVE_POLL_SECONDS, conftest). A hidden tab
does not poll; showing it again polls at once.
"""

import json
import time

import pytest

from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser

LIVE = "/inbox/live/"


def _unread(page) -> int:
    return int(page.locator("#inbox-badge").get_attribute("data-unread"))


def _complaint_by_api(context, base: str, title: str) -> dict:
    """赵敏 receives a complaint on the phone: POST /api/v1/cases with her session and CSRF token."""
    csrf = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    answer = context.request.post(
        f"{base}/api/v1/cases",
        data=json.dumps(
            {
                "kind": "complaint",
                "channel": "phone",
                "title": title,
                "description": "楼道灯坏了一个月无人维修",
                "customer": {"name": "冯先生", "phone": "13977770013"},
            }
        ),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": f"{base}/cases/"},
    )
    assert answer.status == 201, answer.text()
    return answer.json()


def test_a_routed_case_appears_in_my_cases_the_badge_and_the_title_without_reload(kefu_server, browser):
    from tests.browser.conftest import ARTIFACTS

    base = kefu_server["base"]
    agent_context, wujing = _signed_in(browser, base, "wujing")
    polls = []
    wujing.on("request", lambda r: LIVE in r.url and polls.append(r.url))
    wujing.goto(f"{base}/cases/")
    before = _unread(wujing)
    wujing.evaluate("window.__notReloaded = true")  # a reload would drop it
    assert wujing.title().endswith("我的工单 · kefu")

    desk_context, zhaomin = _signed_in(browser, base, "zhaomin")
    case = _complaint_by_api(desk_context, base, "楼道照明投诉")
    assert case["owner"]["name"] == "吴静", case["owner"]  # the complaints group's member (ROUTE-1)

    row = wujing.locator(f"#queue-row-{case['id']}")
    row.wait_for(state="visible", timeout=30_000)  # within the 30 s; here ~2 s
    assert case["number"] in row.inner_text() and "楼道照明投诉" in row.inner_text()
    wujing.wait_for_function(f"document.getElementById('inbox-badge').dataset.unread === '{before + 1}'")
    assert wujing.locator("#inbox-badge .inbox-count").inner_text() == str(before + 1)
    assert wujing.title() == f"({before + 1}) 我的工单 · kefu"
    assert wujing.evaluate("window.__notReloaded === true")
    assert polls and all("watch=cases.queue" in url for url in polls)
    wujing.screenshot(path=str(ARTIFACTS / "live-queue.png"), full_page=True)

    # the message itself: in the inbox, Chinese, linking to the case
    wujing.goto(f"{base}/inbox/")
    message = wujing.locator(".inbox-item.unread", has_text=case["number"]).first
    assert f"【新工单】{case['number']} 楼道照明投诉" in message.inner_text()
    assert message.locator("a").first.get_attribute("href").endswith("/open/")

    # a hidden tab does not poll; shown again, it polls at once
    wujing.goto(f"{base}/cases/")
    wujing.evaluate(
        "Object.defineProperty(document, 'hidden', {value: true, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    polls.clear()
    time.sleep(5)  # more than two poll intervals
    assert polls == []
    wujing.evaluate(
        "Object.defineProperty(document, 'hidden', {value: false, configurable: true});"
        "document.dispatchEvent(new Event('visibilitychange'))"
    )
    deadline = time.monotonic() + 5
    while not polls and time.monotonic() < deadline:
        wujing.wait_for_timeout(100)
    assert polls, "showing the tab again polls"
    assert wujing.console_errors == [] and zhaomin.console_errors == []
    desk_context.close()
    agent_context.close()
