"""RES-1 emergency resources: the register, inspections moving the due date, stock never below zero,
custodian reminders once per due date, scopes, the pages, the API and the Excel export."""

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.emergency.actions import resources as actions
from kefu.emergency.models import Movement, Resource
from kefu.emergency.queries import resources as queries
from kefu.engine.notifications.models import Notification


@pytest.fixture
def kit(demo, act, realty, frozen):
    return actions.register_item(
        act("wangfang"),
        unit=realty,
        kind="first_aid",
        name="急救箱 A",
        location="客服大厅前台",
        quantity=2,
        custodian=demo["lina"],
        inspect_every_days=30,
        expires_on=clock.today() + timedelta(days=90),
    )


def test_res1_register_and_inspection_moves_due_date(kit, act):  # RES-1
    assert kit.next_inspection == clock.today() + timedelta(days=30)
    row = actions.record_inspection(act("lina"), kit, result="ok", note="药品齐全")
    kit.refresh_from_db()
    assert row.inspected_by.user.username == "lina" and row.inspected_on == clock.today()
    assert kit.next_inspection == clock.today() + timedelta(days=30) == row.next_due
    later = clock.today() - timedelta(days=3)
    actions.record_inspection(act("wangfang"), kit, result="fixed", inspected_on=later)
    kit.refresh_from_db()
    assert kit.next_inspection == later + timedelta(days=30)
    with pytest.raises(Invalid) as error:
        actions.record_inspection(
            act("wangfang"), kit, result="ok", inspected_on=clock.today() + timedelta(days=1)
        )
    assert "不能晚于今天" in error.value.zh


def test_res1_issue_never_below_zero(kit, act):  # RES-1
    actions.move(act("lina"), kit, kind="issue", amount=2)
    assert Resource.objects.get(pk=kit.pk).quantity == 0
    with pytest.raises(Invalid) as error:
        actions.move(act("lina"), kit, kind="issue", amount=1)
    assert error.value.code == "resource_stock_short" and "库存不足" in error.value.zh
    actions.move(act("lina"), kit, kind="restock", amount=5, note="补充")
    assert Resource.objects.get(pk=kit.pk).quantity == 5
    assert list(Movement.objects.filter(resource=kit).order_by("pk").values_list("balance", flat=True)) == [
        0,
        5,
    ]


def test_res1_scope_and_permissions(kit, act, water, demo):  # RES-1
    with pytest.raises(NotFound):
        queries.resource(act("gaofeng"), kit.pk)
    with pytest.raises(PermissionDenied):
        actions.move(act("gaofeng"), kit, kind="issue", amount=1)
    with pytest.raises(PermissionDenied):
        actions.register_item(
            act("zhaomin"),
            unit=water,
            kind="phone",
            name="应急电话",
            location="前台",
            quantity=1,
            custodian=demo["lvxin"],
            inspect_every_days=30,
        )
    with pytest.raises(Invalid):  # a custodian outside the manager's scope
        actions.register_item(
            act("wangfang"),
            unit=kit.unit,
            kind="phone",
            name="应急电话",
            location="前台",
            quantity=1,
            custodian=demo["lvxin"],
            inspect_every_days=30,
        )
    assert list(queries.resources(act("gaofeng"))) == []
    assert [r.pk for r in queries.resources(act("zhangwei"))] == [kit.pk]


def test_res1_reminders_once_per_due_date(kit, act):  # RES-1
    def sent(template):
        return Notification.objects.filter(template=template).count()

    clock.advance(timedelta(days=24))  # 6 days before the inspection: inside the 7-day window
    assert actions.sweep() == 1
    assert actions.sweep() == 0  # a second sweep the same day tells nobody again
    assert sent("emergency.resource_inspection_due") == 1
    clock.advance(timedelta(days=7))  # the inspection is overdue: flagged once
    actions.sweep()
    actions.sweep()
    assert sent("emergency.resource_overdue") == 1
    assert [r.pk for r in queries.filtered(act("wangfang"), state="expired")] == [kit.pk]
    actions.record_inspection(act("lina"), kit, result="ok")  # a new due date starts over
    clock.advance(timedelta(days=35))  # day 66: expiry (day 90) inside the 30-day window
    actions.sweep()
    actions.sweep()
    assert sent("emergency.resource_expiring") == 1
    clock.advance(timedelta(days=1))
    assert [r.pk for r in queries.filtered(act("wangfang"), state="soon")] == [kit.pk]
    clock.advance(timedelta(days=40))
    actions.sweep()
    actions.sweep()
    assert sent("emergency.resource_expired") == 1
    told = Notification.objects.filter(template="emergency.resource_expired").get()
    assert told.recipient.username == "lina"


def test_res1_pages_api_and_export(kit, demo, django_assert_max_num_queries):  # RES-1
    client = Client()
    client.force_login(demo["wangfang"].user)
    with django_assert_max_num_queries(25):
        page = client.get("/emergency/resources/")
    html = page.content.decode()
    assert page.status_code == 200 and "急救箱 A" in html and "应急物资" in html
    item = client.get(f"/emergency/resources/{kit.pk}/")
    assert item.status_code == 200 and "登记检查" in item.content.decode()
    refused = client.post(
        f"/emergency/resources/{kit.pk}/", {"form": "movement", "kind": "issue", "amount": "9"}
    )
    assert refused.status_code == 302 and Resource.objects.get(pk=kit.pk).quantity == 2
    assert "库存不足" in client.get(f"/emergency/resources/{kit.pk}/").content.decode()
    sheet = load_workbook(io.BytesIO(client.get("/emergency/resources/export/").content)).active
    assert sheet.cell(2, 2).value == "急救箱 A" and sheet.cell(1, 1).value == "类型"
    api = Client()
    url = f"/api/v1/emergency/resources/{kit.pk}/movements"
    with django_assert_max_num_queries(25):
        moved = api.post(
            url, {"kind": "issue", "amount": 1}, content_type="application/json", **bearer(demo["lina"].user)
        )
    assert moved.status_code == 201 and moved.json()["balance"] == 1
    short = api.post(
        url, {"kind": "issue", "amount": 5}, content_type="application/json", **bearer(demo["lina"].user)
    )
    assert short.status_code == 400 and short.json()["error"]["code"] == "resource_stock_short"
    hidden = api.post(
        url, {"kind": "issue", "amount": 1}, content_type="application/json", **bearer(demo["gaofeng"].user)
    )
    assert hidden.status_code == 404
    with django_assert_max_num_queries(20):
        listed = api.get("/api/v1/emergency/resources?state=soon", **bearer(demo["wangfang"].user))
    assert listed.status_code == 200
    made = api.post(
        "/api/v1/emergency/resources",
        {
            "unit_id": kit.unit_id,
            "kind": "extinguisher",
            "name": "灭火器 3 号",
            "location": "走廊",
            "quantity": 4,
            "custodian_id": demo["lina"].pk,
            "inspect_every_days": 30,
        },
        content_type="application/json",
        **bearer(demo["wangfang"].user),
    )
    assert made.status_code == 201, made.content
    assert made.json()["next_inspection"] == str(clock.today() + timedelta(days=30))
    assert date.fromisoformat(made.json()["next_inspection"]) > clock.today()
