"""Browser: the top bar's search (issue 13). "/" on any page focuses the box (not while typing in a
field), a two-character Chinese term lists the matching cases grouped under 工单 on /search/; at
390 px the box folds into its button, which stays inside the screen and opens the search page."""

import pytest

from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser


def test_slash_focuses_the_top_bar_search_and_finds_cases(kefu_server, browser):
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "wangfang")
    try:
        page.goto(f"{base}/")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement && document.activeElement.id") == "topbar-search"
        assert page.input_value("#topbar-search") == ""  # the key focused the box and typed nothing
        page.keyboard.type("渗水")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=*")
        cases = page.locator("#search-cases")
        assert "外墙渗水" in cases.inner_text()
        assert "工单" in cases.locator("h2").inner_text()
        assert page.input_value("#search-q") == "渗水"
        # "/" while typing in a field types a slash
        page.click("#search-q")
        page.keyboard.press("End")
        page.keyboard.type("/")
        assert page.input_value("#search-q") == "渗水/"
        page.goto(f"{base}/search/?q=鲸鱼")
        assert "没有找到" in page.locator("#search-empty").inner_text()
        assert not page.console_errors
    finally:
        context.close()


def test_the_search_button_fits_a_phone(kefu_server, browser):
    base = kefu_server["base"]
    context, page = _signed_in(browser, base, "zhaomin")
    try:
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{base}/")
        assert not page.locator("#topbar-search").is_visible()  # folded into the button
        button = page.locator(".topbar-search-button")
        box = button.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        button.click()
        page.wait_for_url("**/search/**")
        assert page.locator("#search-q").is_visible()
    finally:
        context.close()
