"""Browser: the month view of a work calendar (issue 13) — what the grid shows, on a desktop and a phone;
and a year's import — upload, the diff preview, confirm, the result; a refused import says why in Chinese."""

import re
from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.engine.calendars import festivals
from tests.browser.test_org_pages import login

pytestmark = pytest.mark.browser


def test_calendars_month_view_shows_holidays_today_and_fits_a_phone(kefu_server, page, browser):
    base = kefu_server["base"]
    login(page, base, "zhaomin")  # a front-line agent: calendars are read by everyone
    page.goto(f"{base}/engine/calendars/office/month/?m=2027-10")
    assert "2027 年 10 月" in page.locator(".page-head").inner_text()
    national_day = page.locator("td[data-date='2027-10-01']")
    assert national_day.get_attribute("data-kind") == "holiday"
    assert "国庆节" in national_day.inner_text() and "节假日" in national_day.inner_text()
    assert page.locator("td[data-date='2027-10-08']").get_attribute("data-kind") == "workday"
    assert "2027 年的法定节假日与调休安排尚未导入" in page.content()  # 2027 is on the fallback
    page.click("a[rel=next]")
    page.wait_for_load_state("networkidle")
    assert "2027 年 11 月" in page.locator(".page-head").inner_text()
    page.click("text=本月")
    page.wait_for_load_state("networkidle")
    today = clock.today().isoformat()
    assert page.locator("td[aria-current=date]").get_attribute("data-date") == today
    assert page.console_errors == [], page.console_errors
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        small = phone.new_page()
        login(small, base, "zhaomin")
        small.goto(f"{base}/engine/calendars/office/month/?m=2027-10")
        # the page's own content stays inside 390 px (the top bar is the phones item's business)
        wide = small.evaluate(
            "[...document.querySelectorAll('.page-head *, .card, .card *')]"
            ".filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert wide == [], wide
        assert small.locator("td[data-date='2027-10-01']").is_visible()
    finally:
        phone.close()


YEAR = 2029  # beyond what the other tests read (2027's fallback is the month view's business)
IMPORT_FORM = "form[action$='/engine/calendars/import/']"


def _admin_password(kefu_server) -> str:
    """`kefu run` prints the administrator's password once, at the first start (calendar.manage)."""
    found = re.search(r"密码\s+password: (\S+)", kefu_server["log"].read_text())  # not the demo users'
    assert found, "kefu run printed no admin password"
    return found.group(1)


def _login_admin(page, kefu_server) -> None:
    page.goto(f"{kefu_server['base']}/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", _admin_password(kefu_server))
    page.click("form[action$='/login/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert not page.url.endswith("/login/"), "admin login failed"


def _schedule(tmp_path, rows: list[tuple]) -> str:
    """A year file as an office saves it: a Chinese header and the Chinese words 休 / 班."""
    path = tmp_path / f"{YEAR}.csv"
    lines = ["日期,类型,名称", *(f"{day.isoformat()},{kind},{name}" for day, kind, name in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _upload(page, base: str, path: str) -> None:
    page.goto(f"{base}/engine/calendars/")
    form = page.locator(IMPORT_FORM)
    form.locator("input[name=year]").fill(str(YEAR))
    form.locator("input[name=note]").fill("国办发明电（浏览器测试）")
    form.locator("input[name=file]").set_input_files(path)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_calendars_import_a_year_preview_confirm_and_a_refusal(kefu_server, page, tmp_path):  # CAL-3
    base = kefu_server["base"]
    _login_admin(page, kefu_server)
    statutory = festivals.statutory_festivals(YEAR)
    spring = statutory["春节"]
    added_holiday = spring[-1] + timedelta(days=1)  # the official schedule gives 春节 a longer break
    makeup = next(  # and a weekend day after it becomes a 调休 workday
        spring[-1] + timedelta(days=n)
        for n in range(2, 14)
        if (spring[-1] + timedelta(days=n)).weekday() >= 5
    )

    # 1. refused: only 春节 — the Chinese reason names what is missing, nothing is written
    _upload(page, base, _schedule(tmp_path, [(day, "休", "春节") for day in spring]))
    alert = page.locator(f"{IMPORT_FORM} .alert-error").inner_text()
    assert "导入被拒绝，未写入任何数据" in alert and "缺少法定节日" in alert, alert
    assert "国庆节" in alert and "元旦" in alert
    assert "Import refused" not in page.content()  # the page's language only
    page.console_errors.clear()  # the refused form answers 400 on purpose; nothing else may fail

    # 2. the whole year: the diff before anything is replaced
    rows = [(day, "休", name) for name, days in statutory.items() for day in days]
    rows += [(added_holiday, "休", "春节"), (makeup, "班", "春节")]
    _upload(page, base, _schedule(tmp_path, rows))
    assert f"核对 {YEAR} 年的导入" in page.locator("h1").inner_text()
    changes = page.locator("tr[data-change]")
    assert changes.count() == 2, page.locator("main").inner_text()
    added = page.locator("tr[data-change=added]").all_inner_texts()
    assert any(added_holiday.isoformat() in row for row in added), added
    assert any(makeup.isoformat() in row for row in added), added
    assert "新增 2 天，删除 0 天，变更 0 天" in page.locator("[data-diff-summary]").inner_text()
    assert "推算：仅含法定节日" in page.locator("main").inner_text()  # what answers now: the fallback
    month = f"{base}/engine/calendars/office/month/?m={makeup:%Y-%m}"
    page.goto(month)
    assert page.locator(f"td[data-date='{makeup}']").get_attribute("data-kind") != "makeup_workday"  # not yet

    # 3. confirm: the result, and the month now follows the import
    _upload(page, base, _schedule(tmp_path, rows))
    page.click("button:has-text('确认导入')")
    page.wait_for_load_state("networkidle")
    days = len(rows)
    assert f"已导入 {YEAR} 年的安排：共 {days} 天。" in page.locator(".messages .alert-success").inner_text()
    page.goto(month)
    assert page.locator(f"td[data-date='{makeup}']").get_attribute("data-kind") == "makeup_workday"
    assert page.locator(f"td[data-date='{added_holiday}']").get_attribute("data-kind") == "holiday"
    assert page.console_errors == [], page.console_errors
