"""`kefu demo load` shows a handover in progress and four weeks of 热线一组 attendance with two late
arrivals — and every handover and attendance page in Chinese, at 390 px as everywhere (no wide layout)."""

from datetime import UTC, date, datetime

from django.test import Client
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock
from kefu.workforce.demo_handover import load_handover
from kefu.workforce.demo_shifts import load_shifts
from kefu.workforce.models import AttendanceFlag, Handover, HandoverState, Rota, RotaState

NAMES = {"zhaomin", "sunli", "lina", "wangfang"}


def test_demo_handover_and_attendance(demo, admin_actor):  # HO-1 ATT-1
    clock.freeze(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    load_shifts(admin_actor)  # 陈杰's templates for 热线一组, as in `kefu demo load`
    result = load_handover(admin_actor)
    assert result == {"handovers": 1, "attendance_flags": 2}
    rota = Rota.objects.filter(unit=demo["zhaomin"].unit, ends_on=date(2026, 12, 4)).get()
    assert rota.state == RotaState.PUBLISHED and rota.starts_on == date(2026, 11, 7)
    assert set(AttendanceFlag.objects.values_list("kind", flat=True)) == {"late"}
    handover = Handover.objects.get()
    assert (
        handover.state == HandoverState.OPEN
        and handover.leaver_confirmed_at
        and not handover.receiver_confirmed_at
    )
    pages = {
        "zhaomin": ["/attendance/", "/handovers/", f"/handovers/{handover.pk}/"],
        "sunli": [f"/handovers/{handover.pk}/"],
        "lina": ["/attendance/", f"/attendance/teams/{demo['zhaomin'].unit_id}/", "/handovers/"],
        "wangfang": [
            f"/attendance/teams/{demo['zhaomin'].unit_id}/?month=2026-11",
            f"/handovers/{handover.pk}/",
        ],
    }
    for who, urls in pages.items():
        client = Client()
        client.force_login(demo[who].user)
        for page in urls:
            response = client.get(page)
            html = response.content.decode()
            assert response.status_code == 200, page
            assert not latin_shown(html, NAMES), (page, latin_shown(html, NAMES))
    client = Client()
    client.force_login(demo["lina"].user)
    sheet = client.get(f"/attendance/teams/{demo['zhaomin'].unit_id}/?month=2026-11&format=xlsx")
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("application/vnd.openxml")
    assert "考勤" in client.get("/").content.decode()  # the navigation entry
    assert load_handover(admin_actor) == {"handovers": 0}
