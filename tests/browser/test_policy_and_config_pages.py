"""Browser: the policy page and the case configuration pages read in Chinese only (issue 13 "Chinese
everywhere a Chinese user looks"); the same pages in English name things in English."""

import re

import pytest

from kefu.engine.policy import pack
from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser

# a word in Latin letters that is not a rule ID (CASE-1), a record number or a product name
LATIN = re.compile(r"(?<![A-Za-z0-9-])(?!kefu\b|API\b)[A-Za-z]*[a-z][A-Za-z]*")


def _main_text(page) -> str:
    """What the reader sees of the page's content (quoted clauses and codes are not our words)."""
    return page.evaluate(
        "(() => { const main = document.querySelector('main').cloneNode(true);"
        " main.querySelectorAll('code, q, blockquote').forEach(e => e.remove());"
        " return main.innerText; })()"
    )


def test_policy_and_case_configuration_pages_show_chinese_only(kefu_server, page):
    base = kefu_server["base"]
    login(page, base, "gaofeng")  # 客服经理 of the water company: configures its case kinds and groups
    page.goto(f"{base}/policy/")
    shown = _main_text(page)
    assert LATIN.findall(shown) == []
    entries = pack.read()[0]
    assert all(e["name_zh"] in shown and e["name_en"] not in shown for e in entries)
    assert "日历：办公时间" in shown and "第 1 版" in shown and "本系统默认值" in shown
    page.goto(f"{base}/cases/config/kinds/")
    shown = _main_text(page)
    assert LATIN.findall(shown) == [] and "过户" in shown
    page.goto(f"{base}/cases/config/groups/")
    shown = _main_text(page)
    assert LATIN.findall(shown) == [] and "报修" in shown
    page.goto(f"{base}/cases/config/kinds/new/")
    assert LATIN.findall(_main_text(page)) == []
    assert page.get_attribute("input[name=field_name] >> nth=0", "placeholder") == "小写字母、数字或下划线"
    # the reader switches to English: the same pages in English words
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/policy/")
    assert "Protection period of a walk-in prospect" in _main_text(page)
    page.goto(f"{base}/cases/config/kinds/")
    assert "Account transfer" in _main_text(page)
    assert page.console_errors == [], page.console_errors
