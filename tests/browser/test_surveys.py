"""Browser: a customer answers the satisfaction survey 不满意 on a phone (390 × 844, CSAT-1): one tap
per item, their words, sent; then 高峰 — the supervisor of 吕欣, who owned the case — signs in and
finds the case reopened in his 我的工单, with the customer's words."""

import subprocess
import sys

import pytest

from tests.browser.test_claims import _signed_in

pytestmark = pytest.mark.browser

WORDS = "水压问题又出现了，希望尽快处理"
# the link a closed demo case's customer got (only its hash is stored: the server issues a new one)
ISSUE = """
import django
django.setup()
from kefu.core.actor import Actor
from kefu.followups.actions import survey_links
from kefu.followups.models import SurveyAnswer
answer = (
    SurveyAnswer.objects.filter(current=True, source="revisit", survey__case__state="closed")
    .select_related("survey__case").order_by("pk").first()
)
survey, token = survey_links.issue(Actor.system("browser test"), answer.survey.case)
print(answer.survey.case.pk, answer.survey.case.number, token)
"""


def _survey_link(kefu_server) -> tuple[str, str, str]:
    env = {**kefu_server["env"], "DJANGO_SETTINGS_MODULE": "kefu.settings"}
    done = subprocess.run(
        [sys.executable, "-c", ISSUE], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    pk, number, token = done.stdout.split()[-3:]
    return pk, number, token


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_customer_answers_unsatisfied_and_the_supervisor_gets_the_case(kefu_server, browser):  # CSAT-1
    base = kefu_server["base"]
    pk, number, token = _survey_link(kefu_server)
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        customer = phone.new_page()
        customer.console_errors = []
        customer.on("console", lambda m: m.type == "error" and customer.console_errors.append(m.text))
        customer.goto(f"{base}/survey/{token}/")
        assert "满意度调查" in customer.locator("h1").inner_text()
        assert number in customer.locator("main").inner_text()
        assert _fits(customer)
        tap = customer.locator("#item-r_service label.survey-unsatisfied")
        box = tap.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 88  # a thumb's target
        tap.click()
        customer.locator("#item-r_solution label.survey-unsatisfied").click()
        customer.fill("#survey-form textarea[name=words]", WORDS)
        customer.click("#survey-form button[type=submit]")
        customer.wait_for_load_state("networkidle")
        assert "感谢您的回答" in customer.locator("h1").inner_text()
        assert "主管" in customer.locator("#survey-thanks").inner_text()
        assert _fits(customer) and not customer.console_errors
    finally:
        phone.close()
    context, page = _signed_in(browser, base, "gaofeng")
    try:
        page.goto(f"{base}/cases/")
        page.wait_for_load_state("networkidle")
        assert number in page.locator("main").inner_text()  # in 高峰's own queue now
        page.goto(f"{base}/cases/{pk}/")
        text = page.locator("main").inner_text()
        assert "高峰" in text and WORDS in text and "处理中" in text
        page.goto(f"{base}/satisfaction/")
        assert "满意率" in page.locator("main").inner_text()
        assert not page.console_errors
    finally:
        context.close()
