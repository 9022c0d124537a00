"""CAL-3: importing a year's official schedule, the coverage warning, healthz and the dashboard."""

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import translation
from tests.pages.test_chinese_only import latin_shown

from kefu import cli
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.engine.calendars import actions, api, festivals, importing, seed
from kefu.engine.calendars.models import Calendar, HolidayDay, HolidayYear
from kefu.engine.calendars.seed import grant_admin
from kefu.org.models import Role

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)

SCHEDULE_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-02-05,holiday,春节
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-09,holiday,春节
2027-02-10,holiday,春节
2027-02-11,holiday,春节
2027-02-20,makeup_workday,春节
"""


def _full_2027(schedule: str = SCHEDULE_2027) -> str:
    """`schedule` plus the other statutory festivals of 2027 (an import must hold them all)."""
    present = {line.split(",")[2] for line in schedule.strip().splitlines()[1:]}
    rows = [
        f"{day},holiday,{name}"
        for name, days in festivals.statutory_festivals(2027).items()
        if name not in present
        for day in days
    ]
    return schedule + "\n".join(rows) + "\n"


FULL_2027 = _full_2027()
FULL_2027_DAYS = len(FULL_2027.strip().splitlines()) - 1


@pytest.fixture
def today():
    clock.freeze(TODAY)
    return TODAY


def test_2027_warns_until_imported(admin_actor, today):  # CAL-3
    warnings = api.coverage_warnings(date(2026, 11, 24))
    assert [w.year for w in warnings] == [2027]
    assert "2027" in warnings[0].zh and "2027" in warnings[0].en
    holiday_year = actions.import_holiday_year(admin_actor, 2027, importing.parse_text(FULL_2027))
    assert holiday_year.days.count() == len(FULL_2027.strip().splitlines()) - 1
    assert api.coverage_warnings(date(2026, 11, 24)) == []
    # the import replaces the fallback: 2/9–2/11 now off, Saturday 2/20 a 调休 workday, 10/1 still off
    assert not api.is_working_day("office", date(2027, 2, 10))
    assert api.is_working_day("office", date(2027, 2, 20))
    assert not api.is_working_day("office", date(2027, 10, 1))
    event = AuditEvent.objects.get(action="calendar.holiday_year.import")
    assert event.after["makeup_workdays"] == 1 and event.actor_name == "admin"


def test_reimport_replaces_the_year_atomically(admin_actor, today):  # CAL-3
    actions.import_holiday_year(admin_actor, 2027, importing.parse_text(FULL_2027))
    assert not api.is_working_day("office", date(2027, 2, 10))
    corrected = _full_2027("date,kind,name\n2027-02-06,holiday,春节\n")
    actions.import_holiday_year(admin_actor, 2027, importing.parse_text(corrected), note="更正")
    assert HolidayDay.objects.count() == len(corrected.strip().splitlines()) - 1
    assert HolidayYear.objects.count() == 1
    assert api.is_working_day("office", date(2027, 2, 10))
    assert AuditEvent.objects.filter(action="calendar.holiday_year.import").count() == 2
    last = AuditEvent.objects.filter(action="calendar.holiday_year.import").order_by("-id").first()
    assert len(last.before["days"]) == len(FULL_2027.strip().splitlines()) - 1


@pytest.mark.parametrize(
    ("rows", "needle_en", "needle_zh"),
    [
        (
            [("2027-02-05", "holiday", "春节"), ("2028-01-01", "holiday", "元旦")],
            "is not in 2027",
            "不在 2027 年内",
        ),
        ([("2027-02-05", "vacation", "春节")], "invalid kind", "类型"),
        ([("2027-02-05", "holiday", "春节"), ("2027-02-05", "holiday", "春节")], "repeats line 1", "重复"),
        ([("2027-02-30", "holiday", "春节")], "invalid date", "日期"),
        ([], "No rows", "没有可导入的行"),
        ([("2027-02-06", "holiday", "春节")], "lacks the statutory festival", "缺少法定节日"),
    ],
)
def test_invalid_imports_are_refused_bilingually_and_write_nothing(
    admin_actor, rows, needle_en, needle_zh
):  # CAL-3
    actions.import_holiday_year(admin_actor, 2027, importing.parse_text(FULL_2027))
    before = list(HolidayDay.objects.order_by("date").values_list("date", flat=True))
    with pytest.raises(Invalid) as caught:
        actions.import_holiday_year(admin_actor, 2027, rows)
    assert needle_en in caught.value.en and needle_zh in caught.value.zh
    assert list(HolidayDay.objects.order_by("date").values_list("date", flat=True)) == before
    assert AuditEvent.objects.filter(action="calendar.holiday_year.import").count() == 1


def test_only_calendar_managers_import(demo):  # CAL-3
    from kefu.core.actor import Actor

    agent = Actor(user=demo["zhaomin"].user, origin="test")
    with pytest.raises(PermissionDenied):
        actions.import_holiday_year(agent, 2027, [("2027-02-06", "holiday", "春节")])
    assert not HolidayYear.objects.exists()


def test_healthz_reports_the_warning_without_failing(client, today):  # CAL-3
    body = client.get("/healthz").json()
    assert body["calendar"]["status"] == "warning"
    assert [w["year"] for w in body["calendar"]["warnings"]] == [2027]
    assert body["calendar"]["warnings"][0]["messages"]["en"].startswith("No official holiday")
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_healthz_is_ok_once_imported(client, admin_actor, today):  # CAL-3
    actions.import_holiday_year(admin_actor, 2027, importing.parse_text(FULL_2027))
    assert client.get("/healthz").json()["calendar"] == {"status": "ok", "warnings": []}


def _admin_client(demo):
    grant_admin(Role)  # the migration's grant (a flushed database re-seeds roles without it)
    client = Client()
    client.force_login(demo["admin"].user)
    return client


def test_dashboard_warns_calendar_managers_only(demo, today):  # CAL-3
    client = _admin_client(demo)
    with translation.override("zh-hans"):
        body = client.get("/").content.decode()
    assert "2027 年的法定节假日与调休安排尚未导入" in body
    assert 'href="/engine/calendars/"' in body
    agent = Client()
    agent.force_login(demo["zhaomin"].user)
    body = agent.get("/").content.decode()
    assert "2027 年的法定节假日" not in body and "/engine/calendars/" not in body


def test_page_renders_for_admin_and_is_forbidden_for_an_agent(demo, today):  # CAL-1 CAL-3
    client = _admin_client(demo)
    response = client.get("/engine/calendars/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "office" in body and "24x7" in body and "08:30–12:00" in body
    assert " style=" not in body and "<style" not in body
    agent = Client()
    agent.force_login(demo["zhaomin"].user)
    assert agent.get("/engine/calendars/").status_code == 403
    assert (
        agent.post("/engine/calendars/import/", {"year": 2027, "text": "2027-02-06,holiday,春节"}).status_code
        == 403
    )
    assert not HolidayYear.objects.exists()


def test_calendars_page_in_chinese_shows_no_english(demo, today, settings):  # issue 13 "Chinese everywhere"
    client = _admin_client(demo)
    body = client.get("/engine/calendars/").content.decode()
    assert latin_shown(body, {"admin"}) == set()
    # 北京时间, not Asia/Shanghai; the calendars offered by name, not "name (code)"; the import's words
    assert "<td>北京时间</td>" in body and "Asia/Shanghai" not in body
    office = Calendar.objects.get(code="office")
    assert f'<option value="{office.pk}">{office.name}</option>' in body and "(24x7)" not in body
    assert "2027-02-05,放假,春节" in body and "类型为 放假" in body and "makeup_workday" not in body
    assert "内置节假日库" in body and "chinese-calendar" not in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/engine/calendars/").content.decode()
    assert "China Standard Time (Asia/Shanghai)" in english and "2027-02-05,holiday,春节" in english


def _token(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def test_import_through_the_page(demo, today):  # CAL-3
    client = _admin_client(demo)
    response = client.post(
        "/engine/calendars/import/", {"year": 2027, "text": FULL_2027, "note": "国办发明电"}
    )
    assert response.status_code == 200 and not HolidayYear.objects.exists()
    response = client.post("/engine/calendars/import/confirm/", {"token": _token(response)})
    assert response.status_code == 302
    assert HolidayYear.objects.get(year=2027).days.count() == FULL_2027_DAYS
    body = client.get("/engine/calendars/").content.decode()
    assert "2027 年的法定节假日与调休安排尚未导入" not in body
    # a wrong row: the form shows the bilingual error and nothing changes
    response = client.post("/engine/calendars/import/", {"year": 2027, "text": "2027-02-06,holday,春节"})
    assert response.status_code == 400
    assert "第 1 行" in response.content.decode()
    assert HolidayYear.objects.get(year=2027).days.count() == FULL_2027_DAYS


def test_csv_upload_and_override_form(demo, today):  # CAL-1 CAL-3
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _admin_client(demo)
    upload = SimpleUploadedFile("2027.csv", FULL_2027.encode("utf-8-sig"), content_type="text/csv")
    preview = client.post("/engine/calendars/import/", {"year": 2027, "file": upload})
    assert client.post("/engine/calendars/import/confirm/", {"token": _token(preview)}).status_code == 302
    assert HolidayDay.objects.filter(holiday_year__year=2027).count() == FULL_2027_DAYS
    from kefu.engine.calendars.models import Calendar, CalendarOverride

    office = Calendar.objects.get(code="office")
    response = client.post(
        "/engine/calendars/overrides/",
        {"calendar": office.pk, "date": "2026-12-31", "kind": "closed", "note": "年终盘点"},
    )
    assert response.status_code == 302
    assert not api.is_working_day("office", date(2026, 12, 31))
    override = CalendarOverride.objects.get()
    assert client.post(f"/engine/calendars/overrides/{override.pk}/remove/").status_code == 302
    assert api.is_working_day("office", date(2026, 12, 31))
    assert AuditEvent.objects.filter(action__startswith="calendar.override").count() == 2


def test_policy_pack_honesty_the_office_lunch_break_is_marked_a_default(demo, today):  # CAL-1, issue 13
    # the seeds give "每天8:30-17:30", not the 12:00–13:00 lunch break: the calendar says it is 本系统默认值
    office = Calendar.objects.get(code="office")
    assert office.name == "办公时间（周一至周五 8:30–17:30；午休 12:00–13:00 为本系统默认值）"
    assert "午休 12:00–13:00 为本系统默认值" in _admin_client(demo).get("/engine/calendars/").content.decode()
    # the migration renames the calendar as seeded, and leaves one an administrator renamed alone
    Calendar.objects.filter(code="office").update(name="办公时间（周一至周五 8:30–17:30）")
    seed.mark_office_lunch_break(Calendar)
    assert Calendar.objects.get(code="office").name == seed.OFFICE_NAME
    Calendar.objects.filter(code="office").update(name="总部办公时间")
    seed.mark_office_lunch_break(Calendar)
    assert Calendar.objects.get(code="office").name == "总部办公时间"


def test_calendars_an_import_of_only_chunjie_is_refused_and_the_fallback_stays(client, admin_actor, today):
    # issue 13: importing only 春节 2027 replaced the whole year's fallback (2027-10-01 became a working
    # day) and /healthz turned "ok". Now it is refused, nothing changes, and healthz still warns.
    with pytest.raises(Invalid) as caught:
        actions.import_holiday_year(admin_actor, 2027, importing.parse_text(SCHEDULE_2027))
    assert "清明节、劳动节、端午节、中秋节、国庆节" in caught.value.zh and "国庆节" in caught.value.en
    assert not HolidayYear.objects.exists()
    assert not api.is_working_day("office", date(2027, 10, 1))  # the fallback still knows 国庆
    assert [w.year for w in api.coverage_warnings(date(2026, 11, 24))] == [2027]
    assert client.get("/healthz").json()["calendar"]["status"] == "warning"


def test_calendars_chinese_words_are_accepted(admin_actor, today):  # issue 13: 休/班, 放假/调休上班
    text = FULL_2027.replace("2027-02-05,holiday,春节", "2027-02-05,休,春节").replace(
        "2027-02-20,makeup_workday,春节", "2027-02-20,调休上班,春节"
    )
    text = text.replace("2027-01-01,holiday,元旦", "2027-01-01,放假,元旦") + "2027-09-26,班,国庆节\n"
    actions.import_holiday_year(admin_actor, 2027, importing.parse_text(text))
    assert not api.is_working_day("office", date(2027, 2, 5)) and not api.is_working_day(
        "office", date(2027, 1, 1)
    )
    assert api.is_working_day("office", date(2027, 2, 20)) and api.is_working_day("office", date(2027, 9, 26))


def test_calendars_an_import_shows_a_diff_and_changes_nothing_before_confirm(demo, today):  # issue 13
    client = _admin_client(demo)
    text = FULL_2027 + "2027-09-26,班,国庆节\n"
    response = client.post("/engine/calendars/import/", {"year": 2027, "text": text, "note": "国办发明电"})
    body = response.content.decode()
    assert response.status_code == 200
    # against the fallback: 2/5–2/11 春节 (the fallback has 除夕–初三 = 2/5–2/8) → 2/9–2/11 added,
    # 2/20 and 9/26 调休上班 added; the fallback's 春节 days stay
    assert 'data-change="added"' in body and "2027-02-09" in body and "2027-09-26" in body
    assert "推算：仅含法定节日" in body
    assert (
        not HolidayYear.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="calendar.").exists()
    )
    assert not api.is_working_day("office", date(2027, 9, 26))  # still a Sunday off before confirm
    token = _token(response)
    # the token is the content: altering it is refused and writes nothing
    assert client.post("/engine/calendars/import/confirm/", {"token": token[:-3] + "xyz"}).status_code == 302
    assert not HolidayYear.objects.exists()
    assert client.post("/engine/calendars/import/confirm/", {"token": token}).status_code == 302
    assert api.is_working_day("office", date(2027, 9, 26))
    assert HolidayYear.objects.get(year=2027).note == "国办发明电"
    assert AuditEvent.objects.filter(action="calendar.holiday_year.import").count() == 1
    # a second import previewed against that import: a day removed, and the stale first token is refused
    admin = Actor(user=demo["admin"].user, origin="test")
    diff = actions.preview_holiday_year(admin, 2027, importing.parse_text(FULL_2027))
    assert [r["date"] for r in diff["removed"]] == [date(2027, 9, 26)] and diff["source"] == "import"
    with pytest.raises(Conflict):
        actions.confirm_holiday_year(admin, token)
    assert api.is_working_day("office", date(2027, 9, 26))


def test_calendars_an_import_states_its_year(admin_actor, today):  # issue 13: rows outside the year refused
    with pytest.raises(Invalid) as caught:
        actions.preview_holiday_year(
            admin_actor, 2027, importing.parse_text(FULL_2027 + "2028-01-01,休,元旦\n")
        )
    assert "不在 2027 年内" in caught.value.zh
    with pytest.raises(Invalid):
        actions.preview_holiday_year(admin_actor, "", importing.parse_text(FULL_2027))


def test_calendars_kefu_calendar_import_prints_the_diff_and_asks(db, capsys, tmp_path, today):  # issue 13
    schedule = tmp_path / "2027.csv"
    schedule.write_text(FULL_2027 + "2027-09-26,调休上班,国庆节\n", encoding="utf-8")
    # without --yes and nobody to ask: the diff is printed and nothing is imported
    assert cli.main(["calendar", "import", str(schedule), "--year", "2027", "--calendar", "office"]) == 2
    captured = capsys.readouterr()
    assert "+ 2027-09-26" in captured.out and "[office: 休息/off → 上班/working]" in captured.out
    assert "推算" in captured.out and "--yes" in captured.err
    assert not HolidayYear.objects.exists()
    # a file holding a day outside the stated year is refused
    assert cli.main(["calendar", "import", str(schedule), "--year", "2028", "--yes"]) == 1
    assert "不在 2028 年内" in capsys.readouterr().err and not HolidayYear.objects.exists()
    assert cli.main(["calendar", "import", str(schedule), "--year", "2027", "--yes"]) == 0
    assert "imported" in capsys.readouterr().out
    assert api.is_working_day("office", date(2027, 9, 26))
    event = AuditEvent.objects.get(action="calendar.holiday_year.import")
    assert event.after["year"] == 2027


def test_calendars_month_view(demo, today):  # issue 13: a month grid with working days, holidays, 调休, today
    actions.import_holiday_year(
        Actor(user=demo["admin"].user, origin="test"),
        2027,
        importing.parse_text(FULL_2027 + "2027-09-26,调休上班,国庆节\n"),
    )
    agent = Client()  # any signed-in person reads calendars
    agent.force_login(demo["zhaomin"].user)
    with translation.override("zh-hans"):
        response = agent.get("/engine/calendars/office/month/", {"m": "2027-10"})
        body = response.content.decode()
    assert response.status_code == 200
    assert "2027 年 10 月" in body and "星期一" in body
    assert 'data-date="2027-10-01" data-kind="holiday"' in body and "国庆节" in body
    assert 'data-date="2027-10-08" data-kind="workday"' in body
    assert "上个月" in body and 'href="?m=2027-09"' in body and 'href="?m=2027-11"' in body
    body = agent.get("/engine/calendars/office/month/", {"m": "2027-09"}).content.decode()
    assert 'data-date="2027-09-26" data-kind="makeup_workday"' in body and "调休补班日" in body
    # today (2026-11-24) is marked on the default month; 2026 is known to chinese-calendar: no warning
    body = agent.get("/engine/calendars/office/month/").content.decode()
    assert 'data-date="2026-11-24" data-kind="workday" aria-current="date"' in body
    assert "今天" in body and "尚未导入" not in body
    # a month of a year on the fallback says so
    assert (
        "2030 年的法定节假日与调休安排尚未导入"
        in agent.get("/engine/calendars/office/month/", {"m": "2030-10"}).content.decode()
    )
    assert agent.get("/engine/calendars/nope/month/").status_code == 404
    assert agent.get("/engine/calendars/office/month/", {"m": "junk"}).status_code == 200
    # the calendars page links each calendar's month view
    assert (
        'href="/engine/calendars/office/month/"'
        in _admin_client(demo).get("/engine/calendars/").content.decode()
    )
