"""The handover and attendance pages (HO-1, ATT-1): one-tap clock, opening and confirming a handover,
the import's preview and its all-or-nothing commit, errors in Chinese."""

from io import BytesIO

import pytest
from django.test import Client
from openpyxl import Workbook

from kefu.workforce.models import AttendanceRecord, Handover, HandoverState

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_clock_button_taps_in_then_out(demo, frozen):  # ATT-1
    zhaomin = _client(demo["zhaomin"].user)
    assert "上班打卡" in zhaomin.get("/attendance/").content.decode()
    assert zhaomin.post("/attendance/").status_code == 302
    record = AttendanceRecord.objects.get(employee=demo["zhaomin"])
    assert record.clock_in and not record.clock_out
    zhaomin.post("/attendance/")
    record.refresh_from_db()
    assert record.clock_out
    html = zhaomin.get("/attendance/").content.decode()
    assert 'id="clock-button"' not in html


def test_open_and_confirm_a_handover_on_the_pages(demo, frozen):  # HO-1
    lvxin = _client(demo["lvxin"].user)
    response = lvxin.post("/handovers/", {"minutes": 5, "receiver": demo["zhengkai"].pk, "note": ""})
    assert response.status_code == 400 and "10–30 分钟" in response.content.decode()
    assert not Handover.objects.exists()
    response = lvxin.post("/handovers/", {"minutes": 20, "receiver": demo["zhengkai"].pk, "note": "临时离岗"})
    handover = Handover.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/handovers/{handover.pk}/"
    lvxin.post(f"/handovers/{handover.pk}/", {"what": "confirm"})
    _client(demo["zhengkai"].user).post(f"/handovers/{handover.pk}/", {"what": "confirm"})
    handover.refresh_from_db()
    assert handover.state == HandoverState.DONE
    assert _client(demo["zhaomin"].user).get(f"/handovers/{handover.pk}/").status_code == 404


def _upload(rows):
    book = Workbook()
    book.active.append(["工号", "日期", "上班打卡", "下班打卡"])
    for row in rows:
        book.active.append(row)
    out = BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "kaoqin.xlsx"
    return out


def test_import_preview_then_commit(demo, frozen):  # ATT-1
    wangfang = _client(demo["wangfang"].user)
    page = f"/attendance/teams/{demo['zhaomin'].unit_id}/"
    bad = _upload([["RE0003", "2026-03-02", "09:05", "18:00"], ["XX9999", "2026-03-02", "09:00", ""]])
    response = wangfang.post(page, {"what": "import", "file": bad})
    assert response.status_code == 400 and "XX9999" in response.content.decode()
    assert not AttendanceRecord.objects.exists()
    good = [["RE0003", "2026-03-02", "09:05", "18:00"]]
    preview = wangfang.post(page, {"what": "preview", "file": _upload(good)})
    assert preview.status_code == 200 and "赵敏" in preview.content.decode()
    assert not AttendanceRecord.objects.exists()
    assert wangfang.post(page, {"what": "import", "file": _upload(good)}).status_code == 302
    assert AttendanceRecord.objects.get().clock_in.minute == 5
    response = wangfang.post(page, {"what": "import", "file": BytesIO(b"not excel")})
    assert response.status_code == 400
    assert _client(demo["zhaomin"].user).get(page).status_code == 403
