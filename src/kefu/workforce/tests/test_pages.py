"""WFM-1 pages: rotas, a rota as a calendar with its buttons, the team calendar by week and month,
Excel export, my shifts with the swap form, and the .ics feed (RFC 5545, parsed back)."""

import io
import re
from datetime import UTC, datetime

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.pages.test_chinese_only import latin_shown

from kefu.workforce.actions import rotas
from kefu.workforce.models import CalendarFeed, RotaState
from kefu.workforce.tests.conftest import NEXT_MONDAY, NEXT_SUNDAY


def login(demo, username):
    client = Client()
    client.force_login(demo[username].user)
    return client


@pytest.fixture
def rota(hotline, act):
    return rotas.draft(act("chenjie"), hotline, NEXT_MONDAY, NEXT_SUNDAY, time_limit=10)


def test_scheduler_pages_in_chinese(rota, demo, hotline):  # WFM-1
    client = login(demo, "chenjie")
    names = {"chenjie", "lina", "zhaomin", "sunli"}
    for page in [
        "/workforce/rotas/",
        f"/workforce/rotas/{rota.pk}/",
        f"/workforce/teams/{hotline.pk}/",
        f"/workforce/teams/{hotline.pk}/calendar/?view=week&day=2026-03-09",
        f"/workforce/teams/{hotline.pk}/calendar/?view=month&day=2026-03-09",
        "/workforce/my/",
    ]:
        response = client.get(page)
        html = response.content.decode()
        assert response.status_code == 200, page
        assert not latin_shown(html, names), (page, latin_shown(html, names))
    assert "/workforce/rotas/" in client.get("/").content.decode()  # the navigation entry


def test_publish_through_the_page_needs_confirmation_with_gaps(hotline, act, demo):  # WFM-1
    off = {demo["sunli"].pk: {NEXT_MONDAY}}
    rota = rotas.draft(act("chenjie"), hotline, NEXT_MONDAY, NEXT_SUNDAY, unavailable=off, time_limit=10)
    assert rota.gaps
    client = login(demo, "chenjie")
    for _ in range(2):
        assert client.post(f"/workforce/rotas/{rota.pk}/advance/").status_code == 302
    refused = client.post(f"/workforce/rotas/{rota.pk}/advance/")
    assert refused.status_code == 409 and "缺口" in refused.content.decode()
    assert client.post(f"/workforce/rotas/{rota.pk}/advance/", {"confirm_gaps": "1"}).status_code == 302
    rota.refresh_from_db()
    assert rota.state == RotaState.PUBLISHED


def test_excel_export(rota, demo):  # WFM-1
    response = login(demo, "chenjie").get(f"/workforce/rotas/{rota.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "排班表" in rows[0][0] and rows[1][0] == "日期" and len(rows) == 2 + 7


def unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_ics_feed_is_valid_and_tokenized(rota, act, demo):  # WFM-1
    chenjie = act("chenjie")
    for _ in range(3):
        rota = rotas.advance(chenjie, rota)
    client = login(demo, "zhaomin")
    response = client.post("/workforce/my/feed/")
    url = re.search(r"(/workforce/ics/[\w-]+\.ics)", response.content.decode()).group(1)
    token = url.rsplit("/", 1)[1][: -len(".ics")]
    assert CalendarFeed.objects.get(employee=demo["zhaomin"]).token_hash != token  # stored hashed
    feed = Client().get(url)  # no login
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    raw = feed.content
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = unfold(raw.decode())
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(line.startswith("PRODID:") for line in lines)
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    assert len(events) == 7
    for event in events:
        assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"} <= set(event)
        start = datetime.strptime(event["DTSTART"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        end = datetime.strptime(event["DTEND"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        assert end > start
    assert len({e["UID"] for e in events}) == 7
    assert Client().get("/workforce/ics/not-a-token.ics").status_code == 404


def test_swap_through_the_pages(rota, act, demo):  # WFM-1
    chenjie = act("chenjie")
    for _ in range(3):
        rota = rotas.advance(chenjie, rota)
    mine = rota.shifts.filter(employee=demo["zhaomin"]).first()
    client = login(demo, "zhaomin")
    response = client.post(
        "/workforce/my/change/", {"shift": mine.pk, "colleague": demo["sunli"].pk, "reason": "家中有事"}
    )
    assert response.status_code == 302
    lead = login(demo, "lina")
    page = lead.get("/workforce/my/").content.decode()
    change_id = re.search(r"/workforce/changes/(\d+)/decide/", page).group(1)
    refused = lead.post(f"/workforce/changes/{change_id}/decide/", {"approve": "1"})
    assert refused.status_code == 409  # 孙丽 works every day of a 3-person 24×7 rota: too little rest
    assert "最少休息时间" in refused.content.decode()
    rota.shifts.filter(employee=demo["sunli"]).delete()  # 孙丽 off that week: now the shift fits
    assert lead.post(f"/workforce/changes/{change_id}/decide/", {"approve": "1"}).status_code == 302
    mine.refresh_from_db()
    assert mine.employee_id == demo["sunli"].pk


def test_the_why_panel_names_the_person_not_the_login(rota, demo):  # POL-3
    html = login(demo, "chenjie").get(f"/workforce/rotas/{rota.pk}/").content.decode()
    panel = html[html.index("why-panel") :]
    assert "陈杰" in panel and "chenjie" not in panel
