"""Browser: quality inspection end to end on the real product with demo data (QA-1).

周强 opens 质检工作台, picks a sampled call of 赵敏 with its recording, plays it in the page, scores every
item with a comment and publishes; 赵敏, on her phone, reads 我的质检结果 and appeals inside the window;
唐宁 (督导, a second inspector) rules and adjusts the score. The ruled score is at once 赵敏's QA score
(read live from the final inspections, no sweep to wait for): on her card (我的业绩, on her phone, and
as 李娜 opens it) with the inspection listed, and in 热线一组's 按坐席 chart on the KPI page (issue 16).
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
    _ruled_score_on_the_card_and_the_team_chart(browser, base, url.removeprefix(base))


def _ruled_score_on_the_card_and_the_team_chart(browser, base: str, inspection: str):  # KPI-1, QA-1
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    zhao = phone.new_page()
    login(zhao, base, "zhaomin")
    zhao.goto(f"{base}/insights/agents/me/")
    assert "我的业绩" in zhao.title() and zhao.locator("#card-name").inner_text() == "赵敏"
    row = zhao.locator("#chart-qa-table tbody tr", has=zhao.locator(f"a[href='{inspection}']"))
    assert row.count() == 1 and "95.0" in row.inner_text()
    assert "95.0" in zhao.locator("#card-qa-score").inner_text()
    assert zhao.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    phone.close()

    context, lina = _signed_in(browser, base, "lina")
    lina.goto(f"{base}/insights/kpis/")
    lina.select_option("#kpi-filters select[name=unit]", label="热线一组")
    lina.click("#kpi-filters button[type=submit]")
    lina.wait_for_load_state("networkidle")
    for box in lina.locator("#kpi-choice input[type=checkbox]").all():
        box.set_checked(box.get_attribute("value") == "qa_score")
    lina.click("#kpi-filters button[type=submit]")
    lina.wait_for_load_state("networkidle")
    assert "按坐席" in lina.locator("#chart-team-figure figcaption").inner_text()
    lina.wait_for_selector("#chart-team canvas")  # ECharts (vendored) drew the chart
    row = lina.locator("#chart-team-table tbody tr", has=lina.locator("th", has_text="赵敏"))
    assert "95.0" in row.locator("td").first.inner_text()
    row.locator("th a").click()  # the agent's name opens her card
    lina.wait_for_load_state("networkidle")
    assert lina.locator("#card-name").inner_text() == "赵敏"
    assert "95.0" in lina.locator("#card-qa-score").inner_text()
    row = lina.locator("#chart-qa-table tbody tr", has=lina.locator(f"a[href='{inspection}']"))
    assert row.count() == 1 and "95.0" in row.inner_text()
    context.close()
