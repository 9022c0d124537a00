"""Browser: a demo user logs in, walks the organisation pages, logs out (SEC-10, ORG-1…ORG-5)."""

import re

import pytest

from kefu.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ARTIFACTS_NAME = "org-pages"


def login(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_manager_logs_in_opens_org_pages_and_logs_out(kefu_server, page):  # ORG-1 / ORG-3 / SEC-10
    from tests.browser.conftest import ARTIFACTS

    base = kefu_server["base"]
    login(page, base, "wangfang")
    assert not page.url.endswith("/login/"), "login failed"
    assert "王芳" in page.content()
    nav_links = page.eval_on_selector_all("nav a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    org_links = [href for href in nav_links if href.startswith("/org/")]
    assert len(org_links) >= 4, nav_links  # units, employees, roles, delegations
    for href in org_links:
        response = page.goto(base + href)
        assert response.status == 200, href
        assert page.locator("table, .tree, ul").count() > 0, href
        page.screenshot(
            path=str(ARTIFACTS / f"{ARTIFACTS_NAME}{href.replace('/', '-').rstrip('-')}.png"), full_page=True
        )
    page.goto(base + next(h for h in org_links if "employees" in h))
    content = page.content()
    assert "赵敏" in content  # her subsidiary (ORG-3)
    assert "吕欣" not in content  # the other subsidiary stays invisible
    assert re.search(r"138\*{4}\d{4}", content), "phones are masked in lists (SEC-2)"
    assert page.console_errors == [], page.console_errors  # no CSP violation, no script error
    page.locator("form[action$='/logout/'] button").first.click()
    page.wait_for_load_state("networkidle")
    assert "/login/" in page.url
    page.goto(base + org_links[0])
    assert "/login/" in page.url, "after logout the pages ask for login again"


def test_no_page_loads_anything_from_outside(kefu_server, page):  # ARCHITECTURE: no CDN
    base = kefu_server["base"]
    outside = []
    page.on(
        "request",
        lambda req: req.url.startswith(base) or req.url.startswith("data:") or outside.append(req.url),
    )
    login(page, base, "zhangwei")
    for href in [
        "/",
        "/org/units/",
        "/org/employees/",
        "/org/roles/",
        "/org/delegations/",
        "/audit/",
        "/profile/",
        "/policy/",
        "/inbox/",
        "/approvals/",
        "/api/docs",
    ]:
        page.goto(base + href)
        page.wait_for_load_state("networkidle")
    assert outside == []
    assert page.console_errors == [], page.console_errors


def test_policy_page_shows_the_pack_with_its_clauses(kefu_server, page):  # POL-1 / POL-3
    from tests.browser.conftest import ARTIFACTS

    base = kefu_server["base"]
    login(page, base, "zhaomin")
    page.goto(base + "/policy/")
    text = page.inner_text("body")
    assert "制度与参数" in text
    assert "一次处罚50元" in text  # CLM-7 quoted from the source policy
    assert "满意度达到90%以上" in text  # KPI-1
    page.screenshot(path=str(ARTIFACTS / "policy.png"), full_page=False)
    assert page.console_errors == [], page.console_errors
