"""Work report pages and API (RPT-1): 我的工作日报 drafted as it opens, edited and submitted; 李娜's team
view; the monthly service report page with its rectification items, PDF and Excel; scopes answer 404;
the demo (a week of 赵敏's reports with one late, 孙丽's missing one, last month's service report)."""

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook
from tests.pages.test_chinese_only import latin_shown

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.insights.actions import reports
from kefu.insights.demo_reports import load_reports
from kefu.insights.models import RectificationState, ServiceReport, WorkReport
from kefu.insights.queries import reports as queries
from kefu.org.access import actor_for
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db


def login(demo, username):
    client = Client()
    client.force_login(demo[username].user)
    return client


def _as(demo, username):
    return actor_for(demo[username].user, origin="test")


def test_rpt1_api_open_edit_submit_and_team(demo, frozen):  # RPT-1
    zhaomin = login(demo, "zhaomin")
    response = zhaomin.post("/api/v1/insights/reports", {}, content_type="application/json")
    assert response.status_code == 200, response.content
    pk = response.json()["id"]
    assert response.json()["period"] == "day" and response.json()["state"] == "draft"
    response = zhaomin.patch(
        f"/api/v1/insights/reports/{pk}",
        {"work": "接听来电", "plan": "回访"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["work"] == "接听来电"
    response = zhaomin.post(f"/api/v1/insights/reports/{pk}/submit", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert response.json()["late"] is False
    lina = login(demo, "lina")
    rows = lina.get("/api/v1/insights/reports/team?period=day").json()
    assert {r["employee_name"]: r["status"] for r in rows}["赵敏"] == "on_time"
    since = queries.midnight(clock.today()).isoformat()
    until = (queries.midnight(clock.today()) + timedelta(days=2)).isoformat()
    unit = Unit.objects.get(code="realty-cs-hotline")
    response = lina.get(
        "/api/v1/insights/reports/timeliness", {"unit_id": unit.pk, "since": since, "until": until}
    )
    assert response.status_code == 200 and response.json() == {"on_time": 0, "due": 0}  # not due yet
    gaofeng = login(demo, "gaofeng")
    assert gaofeng.get(f"/api/v1/insights/reports/{pk}").status_code == 404
    assert (
        gaofeng.get(
            "/api/v1/insights/reports/timeliness", {"unit_id": unit.pk, "since": since, "until": until}
        ).status_code
        == 404
    )
    response = zhaomin.patch(
        f"/api/v1/insights/reports/{pk}", {"work": "改"}, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "report_submitted"


def test_rpt1_api_service_report_and_files(demo, frozen):  # RPT-1
    wangfang = login(demo, "wangfang")
    unit = Unit.objects.get(code="realty-cs")
    response = wangfang.post(
        "/api/v1/insights/reports/service",
        {"unit_id": unit.pk, "month": "2026-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    body = {"problem": "报修超时", "owner_id": demo["lina"].pk, "due_on": "2026-03-20"}
    response = wangfang.post(
        f"/api/v1/insights/reports/service/{pk}/items", body, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["state"] == "open"
    item = response.json()["id"]
    response = login(demo, "lina").post(
        f"/api/v1/insights/reports/service/items/{item}/advance",
        {"to": "done"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "done"
    pdf = wangfang.get(f"/api/v1/insights/reports/service/{pk}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = wangfang.get(f"/api/v1/insights/reports/service/{pk}/xlsx")
    assert load_workbook(io.BytesIO(xlsx.content))["整改项"]["A2"].value == "报修超时"
    gaofeng = login(demo, "gaofeng")
    assert gaofeng.get(f"/api/v1/insights/reports/service/{pk}").status_code == 404
    response = gaofeng.post(
        f"/api/v1/insights/reports/service/items/{item}/advance",
        {"to": "verified"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = gaofeng.post(
        "/api/v1/insights/reports/service",
        {"unit_id": unit.pk, "month": "2026-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_rpt1_pages_in_chinese(demo, frozen):  # RPT-1
    zhaomin = login(demo, "zhaomin")
    page = zhaomin.get("/reports/mine/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "今日工作" in text and "明日计划" in text and "问题与建议" in text
    assert not latin_shown(text)
    report = WorkReport.objects.get(employee=demo["zhaomin"])
    response = zhaomin.post(
        "/reports/mine/", {"work": "接听来电 8 通", "problems": "", "plan": "回访", "what": "submit"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    lina = login(demo, "lina")
    team = lina.get("/reports/team/")
    assert team.status_code == 200 and "按时提交" in team.content.decode()
    assert not latin_shown(team.content.decode())
    assert lina.get(f"/reports/{report.pk}/").status_code == 200
    assert login(demo, "gaofeng").get(f"/reports/{report.pk}/").status_code == 404
    assert login(demo, "zhaomin").get("/reports/team/").status_code == 403
    wangfang = login(demo, "wangfang")
    service = reports.create_service_report(
        _as(demo, "wangfang"), Unit.objects.get(code="realty-cs"), date(2026, 2, 1)
    )
    for url in ("/reports/service/", f"/reports/service/{service.pk}/"):
        page = wangfang.get(url)
        assert page.status_code == 200
        assert not latin_shown(page.content.decode())
    response = wangfang.post(
        f"/reports/service/{service.pk}/",
        {
            "what": "item",
            "problem": "报修超时",
            "measure": "催办",
            "owner": demo["lina"].pk,
            "due_on": "2026-03-20",
        },
    )
    assert response.status_code == 302
    assert service.items.count() == 1
    assert wangfang.get(f"/reports/service/{service.pk}/report.pdf").content.startswith(b"%PDF")
    assert wangfang.get(f"/reports/service/{service.pk}/report.xlsx").status_code == 200


def test_rpt1_demo_reports(demo):  # RPT-1
    load_reports(Actor.system("test"))
    zhaomin = WorkReport.objects.filter(employee=demo["zhaomin"])
    days = zhaomin.filter(period="day", state="submitted")
    assert days.count() == 5 and days.filter(late=True).count() == 1
    assert zhaomin.filter(period="week", state="submitted").exists()
    assert zhaomin.filter(period="day", starts_on=clock.today()).exists()  # today's draft
    missing = WorkReport.objects.get(employee=demo["sunli"], state="draft", period="day")
    assert missing.flagged_at is not None
    service = ServiceReport.objects.get(unit__code="realty-cs")
    assert service.state == "signed"
    assert sorted(service.items.values_list("state", flat=True)) == [
        RectificationState.DONE,
        RectificationState.OPEN,
    ]
    lina = _as(demo, "lina")
    monday = clock.today() - timedelta(days=clock.today().weekday() + 7)
    rows = {
        r.employee.username if hasattr(r.employee, "username") else r.employee.user.username: r.status
        for r in queries.team(lina, "day", monday + timedelta(days=3))
    }
    assert rows == {"zhaomin": "on_time", "sunli": "missing"}


def test_rpt1_service_page_shows_the_overdue_item_and_why(demo, frozen):  # RPT-1
    wangfang = _as(demo, "wangfang")
    service = reports.create_service_report(wangfang, Unit.objects.get(code="realty-cs"), date(2026, 2, 1))
    reports.add_item(
        wangfang, service, problem="报修超时", measure="", owner=demo["lina"], due_on=date(2026, 3, 3)
    )
    clock.advance(timedelta(days=2))
    assert reports.flag_overdue_items() == 1
    page = login(demo, "wangfang").get(f"/reports/service/{service.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "逾期" in text and "整改期限" in text
    assert not latin_shown(text)
    report = reports.open_mine(_as(demo, "zhaomin"))
    clock.advance(timedelta(days=1))
    reports.flag_overdue()
    page = login(demo, "zhaomin").get(f"/reports/{report.pk}/")
    assert "逾期未提交" in page.content.decode() and not latin_shown(page.content.decode())
