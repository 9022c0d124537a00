"""Browser: quality inspection end to end on the real product with demo data (QA-1).

周强 opens 质检工作台, picks a sampled call of 赵敏 with its recording, plays it in the page, scores every
item with a comment and publishes; 赵敏, on her phone, reads 我的质检结果 and appeals inside the window;
唐宁 (督导, a second inspector) rules and adjusts the score.
"""

import pytest

from tests.browser.test_claims import _signed_in
from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser


def _task_with_recording(page, base: str) -> str:
    page.goto(f"{base}/quality/?state=assigned")
    links = [a.get_attribute("href") for a in page.locator("#tasks a").all()]
    for link in links:
        page.goto(f"{base}{link}")
        if page.locator("audio").count() and page.locator("#score-form").count():
            return page.url
    raise AssertionError("no sampled task with a recording")


def test_inspect_a_recorded_call_appeal_and_ruling(kefu_server, browser):  # QA-1
    base = kefu_server["base"]
    context, zhou = _signed_in(browser, base, "zhouqiang")
    url = _task_with_recording(zhou, base)
    duration = zhou.evaluate(
        """() => new Promise(done => {
            const audio = document.querySelector('audio');
            if (audio.readyState >= 1) return done(audio.duration);
            audio.addEventListener('loadedmetadata', () => done(audio.duration));
            audio.addEventListener('error', () => done(-1));
            audio.load();
        })"""
    )
    assert duration > 1  # the generated WAV plays in the page
    for box in zhou.locator("#score-form input[type=number]").all():
        box.fill(box.get_attribute("max"))
    first = zhou.locator("#score-form input[type=number]").first
    first.fill("6")
    zhou.locator("#score-form textarea").first.fill("未使用“您好”开场")
    zhou.click("#score-form button[type=submit]")
    zhou.wait_for_load_state("networkidle")
    assert "总分" in zhou.locator("#total").inner_text()
    zhou.click("#publish-form button[type=submit]")
    zhou.wait_for_load_state("networkidle")
    assert "已发布" in zhou.content() or "申诉截止" in zhou.content()
    context.close()

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    zhao = phone.new_page()
    login(zhao, base, "zhaomin")
    zhao.goto(f"{base}/quality/mine/")
    zhao.click(f"#results a[href='{url.removeprefix(base)}']")
    zhao.fill("#appeal-form textarea[name=reason]", "录音开头已说“您好”，请复核")
    zhao.click("#appeal-form button[type=submit]")
    zhao.wait_for_load_state("networkidle")
    assert "请复核" in zhao.locator("#appeal").inner_text()
    assert zhao.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.close()

    context, tang = _signed_in(browser, base, "tangning")
    tang.goto(f"{base}/quality/")
    assert tang.locator(f"#appeals a[href='{url.removeprefix(base)}']").count() == 1
    tang.goto(url)
    tang.select_option("#rule-form select[name=outcome]", "adjusted")
    tang.fill("#rule-form input[name=total]", "95")
    tang.fill("#rule-form textarea[name=ruling]", "核听录音，开场已使用十字服务用语")
    tang.click("#rule-form button[type=submit]")
    tang.wait_for_load_state("networkidle")
    assert "95" in tang.locator("#total").inner_text() and "调整得分" in tang.locator("#ruling").inner_text()
    context.close()
