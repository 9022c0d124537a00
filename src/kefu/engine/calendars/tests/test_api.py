"""GET /api/v1/calendars… (CAL-1, CAL-2, CAL-3)."""

from datetime import date
from urllib.parse import urlencode

import pytest
from django.test import Client

from kefu.core.models import AuditEvent
from kefu.engine.calendars import api, festivals
from kefu.engine.calendars.models import HolidayYear
from kefu.engine.calendars.seed import grant_admin
from kefu.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_client(demo):
    client = Client()
    client.force_login(demo["zhaomin"].user)  # any signed-in person may compute deadlines
    return client


def get(client, path, **params):
    return client.get(f"/api/v1/calendars{path}" + (f"?{urlencode(params)}" if params else ""))


def test_list(api_client, django_assert_max_num_queries):  # CAL-1
    with django_assert_max_num_queries(12):
        body = get(api_client, "").json()
    codes = {c["code"]: c for c in body["items"]}
    assert set(codes) >= {"office", "24x7"}
    assert {"weekday": 0, "start": "08:30", "end": "12:00"} in codes["office"]["windows"]
    assert codes["24x7"]["windows"][0] == {"weekday": 0, "start": "00:00", "end": "24:00"}


def test_due_working_days_and_business_hours(api_client):  # CAL-2
    body = get(api_client, "/office/due", start="2025-09-30T10:00:00+08:00", working_days=1).json()
    assert body["due"] == "2025-10-09T09:30:00Z"
    assert body["calendar"] == "office"
    assert "2025-10-01" in body["explanation"] and "chinese-calendar" in body["explanation"]
    body = get(api_client, "/office/due", start="2025-09-30T17:00:00+08:00", business_hours=8).json()
    assert body["due"] == "2025-10-09T09:00:00Z"
    body = get(api_client, "/24x7/due", start="2025-09-30T17:00:00+08:00", business_minutes=90).json()
    assert body["due"] == "2025-09-30T10:30:00Z"


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2025-09-30T10:00:00", "working_days": 1},  # naive
        {"start": "2025-09-30T10:00:00+08:00"},  # no duration
        {"start": "2025-09-30T10:00:00+08:00", "working_days": 1, "business_hours": 2},
        {"start": "2025-09-30T10:00:00+08:00", "business_hours": -1},
        {"start": "2025-09-30T10:00:00+08:00", "business_hours": "nan"},
        {"start": "2025-09-30T10:00:00+08:00", "working_days": 10**9},
        {"start": "yesterday", "working_days": 1},
    ],
)
def test_bad_input_is_a_4xx_envelope(api_client, params):  # CAL-2
    response = get(api_client, "/office/due", **params)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"


def test_unknown_calendar_is_404(api_client):
    response = get(api_client, "/nope/due", start="2025-09-30T10:00:00+08:00", working_days=1)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_days_with_sources(api_client):  # CAL-1 CAL-3
    body = get(api_client, "/office/days", **{"from": "2025-09-27", "to": "2025-10-02"}).json()
    kinds = {d["date"]: (d["kind"], d["source"], d["working"]) for d in body}
    assert kinds["2025-09-27"] == ("rest", "weekly", False)
    assert kinds["2025-09-28"] == ("makeup_workday", "chinese-calendar", True)
    assert kinds["2025-10-01"] == ("holiday", "chinese-calendar", False)
    body = get(api_client, "/office/days", **{"from": "2027-02-05", "to": "2027-02-06"}).json()
    assert [(d["kind"], d["source"], d["name"]) for d in body] == [("holiday", "fallback", "春节")] * 2
    assert get(api_client, "/office/days", **{"from": "2027-01-01", "to": "2029-01-01"}).status_code == 400
    assert get(api_client, "/office/days", **{"from": "2027-01-02", "to": "2027-01-01"}).status_code == 400
    assert get(api_client, "/office/days", **{"from": "x", "to": "2027-01-01"}).status_code == 422


def test_anonymous_is_401():
    assert Client().get("/api/v1/calendars").status_code == 401


def test_calendars_due_carries_the_coverage_warning(api_client):  # issue 13, CAL-3
    # 2025 is known to chinese-calendar: no warning; a span into 2027 (no import yet) warns for 2027
    body = get(api_client, "/office/due", start="2025-09-30T10:00:00+08:00", working_days=1).json()
    assert body["warnings"] == []
    body = get(api_client, "/office/due", start="2027-09-30T10:00:00+08:00", working_days=1).json()
    assert [w["year"] for w in body["warnings"]] == [2027]
    assert body["warnings"][0]["code"] == "CAL-3.no_official_schedule"
    assert "2027 年的法定节假日与调休安排尚未导入" in body["warnings"][0]["messages"]["zh-hans"]
    # years beyond the fallback warn too; a span over new year names both years
    body = get(api_client, "/office/due", start="2030-06-01T10:00:00+08:00", business_hours=8).json()
    assert [w["year"] for w in body["warnings"]] == [2030]
    body = get(api_client, "/office/due", start="2029-12-31T10:00:00+08:00", working_days=3).json()
    assert [w["year"] for w in body["warnings"]] == [2029, 2030]
    # a calendar that ignores statutory holidays has nothing to warn about
    body = get(api_client, "/24x7/due", start="2030-06-01T10:00:00+08:00", business_hours=8).json()
    assert body["warnings"] == []


def test_calendars_import_through_the_api_previews_then_applies(demo):  # issue 13, CAL-3
    grant_admin(Role)
    rows = [f"{d},休,{name}" for name, days in festivals.statutory_festivals(2027).items() for d in days]
    text = "\n".join([*rows, "2027-09-26,调休上班,国庆节"])
    admin = Client()
    admin.force_login(demo["admin"].user)
    preview = admin.post(
        "/api/v1/calendars/holiday-years/preview",
        {"year": 2027, "text": text, "note": "国办发明电", "calendar": "office"},
        content_type="application/json",
    )
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["source"] == "fallback" and body["makeup_workdays"] == 1
    (change,) = body["changes"]
    assert change["date"] == "2027-09-26" and change["change"] == "added"
    assert change["working_before"] is False and change["working_after"] is True
    assert not HolidayYear.objects.exists() and not api.is_working_day("office", date(2027, 9, 26))
    # outside the stated year: refused
    bad = admin.post(
        "/api/v1/calendars/holiday-years/preview",
        {"year": 2027, "text": text + "\n2028-01-01,休,元旦"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "CAL-3.invalid_rows"
    # only calendar.manage previews or applies
    agent = Client()
    agent.force_login(demo["zhaomin"].user)
    token = {"token": body["token"]}
    assert (
        agent.post(
            "/api/v1/calendars/holiday-years/import", token, content_type="application/json"
        ).status_code
        == 403
    )
    applied = admin.post("/api/v1/calendars/holiday-years/import", token, content_type="application/json")
    assert applied.status_code == 200 and applied.json()["year"] == 2027
    assert api.is_working_day("office", date(2027, 9, 26))
    assert AuditEvent.objects.filter(action="calendar.holiday_year.import").count() == 1
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/calendars/holiday-years/preview" in paths
    assert "/api/v1/calendars/holiday-years/import" in paths
