"""The handover and attendance API (HO-1, ATT-1): errors as {"error": …} 4xx, out of scope 404."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.core import clock

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_handover_api_open_confirm_and_read(demo, frozen):  # HO-1
    lvxin, zhengkai = _client(demo["lvxin"].user), _client(demo["zhengkai"].user)
    leaves_at = (clock.now() + timedelta(minutes=20)).isoformat()
    body = {"leaves_at": leaves_at, "receiver_id": demo["zhengkai"].pk}
    response = lvxin.post("/api/v1/workforce/handovers", body, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["leaver_name"] == "吕欣"
    response = zhengkai.post(f"/api/v1/workforce/handovers/{pk}/confirm", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["receiver_confirmed_at"]
    response = lvxin.post(f"/api/v1/workforce/handovers/{pk}/confirm", {}, content_type="application/json")
    assert response.json()["state"] == "done"
    outsider = _client(demo["zhaomin"].user)
    assert outsider.get(f"/api/v1/workforce/handovers/{pk}").status_code == 404
    assert lvxin.get("/api/v1/workforce/handovers").json()["count"] == 1


def test_handover_api_errors(demo, frozen):  # HO-1
    lvxin = _client(demo["lvxin"].user)
    early = {"leaves_at": (clock.now() + timedelta(minutes=3)).isoformat()}
    response = lvxin.post("/api/v1/workforce/handovers", early, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "handover_ahead"
    bad = {"leaves_at": (clock.now() + timedelta(minutes=20)).isoformat(), "receiver_id": 999999}
    response = lvxin.post("/api/v1/workforce/handovers", bad, content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "handover_receiver_unknown"


def test_attendance_api_clock_and_sheet(demo, frozen):  # ATT-1
    zhaomin = _client(demo["zhaomin"].user)
    response = zhaomin.post("/api/v1/workforce/attendance/clock")
    assert response.status_code == 201 and response.json()["clock_in"]
    assert len(zhaomin.get("/api/v1/workforce/attendance/mine").json()) == 1
    unit = demo["zhaomin"].unit_id
    assert (
        zhaomin.get(f"/api/v1/workforce/attendance/teams/{unit}/month?year=2026&month=3").status_code == 403
    )
    lina = _client(demo["lina"].user)
    rows = lina.get(f"/api/v1/workforce/attendance/teams/{unit}/month?year=2026&month=3").json()
    assert {r["employee_name"] for r in rows} >= {"赵敏", "孙丽"}
    water = demo["lvxin"].unit_id
    assert lina.get(f"/api/v1/workforce/attendance/teams/{water}/month?year=2026&month=3").status_code == 404
