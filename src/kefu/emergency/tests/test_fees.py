"""FEE-1 fee quotes for plan drafting (003 · 应急预案编制取费标准): base fee by headcount with the band
boundaries as decided (docs/decisions.md), services, Decimal 元 with two places, a payment schedule
totalling 100 %, quote numbers, PDF and Excel."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from kefu.cases.tests.test_api_cases import bearer
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.emergency.actions import fees as actions
from kefu.emergency.queries import fees as queries


@pytest.mark.parametrize(
    ("headcount", "base"),
    [
        (1, "5000.00"),
        (99, "5000.00"),
        (100, "8000.00"),
        (499, "8000.00"),
        (500, "12000.00"),
        (5000, "12000.00"),
    ],
)
def test_fee1_headcount_bands(demo, headcount, base):  # FEE-1
    lines, _ = actions.price(headcount=headcount)
    assert lines[0].amount == Decimal(base) and isinstance(lines[0].amount, Decimal)


def test_fee1_services_and_schedule_total_100(demo):  # FEE-1
    lines, payments = actions.price(
        headcount=120,
        site_survey=1,
        risk_assessment=1,
        drill=1,
        expert_hours=3,
        translation_chars=1001,
        review=1,
    )
    amounts = {line.code: line.amount for line in lines}
    assert amounts == {
        "base": Decimal("8000.00"),
        "site_survey": Decimal("2000.00"),
        "risk_assessment": Decimal("3000.00"),
        "drill": Decimal("5000.00"),
        "expert_hours": Decimal("3000.00"),
        "translation_chars": Decimal("500.50"),
        "review": Decimal("5000.00"),
    }
    total = sum(amounts.values())
    assert total == Decimal("26500.50")
    assert [p.percent for p in payments] == [Decimal(50), Decimal(50)]  # no progress payment: 剩余 50 %
    assert sum(p.amount for p in payments) == total
    _, with_progress = actions.price(headcount=120, translation_chars=1001, progress_percent="33.33")
    assert [p.percent for p in with_progress] == [Decimal(50), Decimal("33.33"), Decimal("16.67")]
    assert sum(p.percent for p in with_progress) == 100
    assert sum(p.amount for p in with_progress) == Decimal("8500.50")
    assert all(p.amount == p.amount.quantize(Decimal("0.01")) for p in with_progress)
    with pytest.raises(Invalid) as error:
        actions.price(headcount=120, progress_percent=60)
    assert error.value.zh == "进度款比例应为非负数"
    with pytest.raises(Invalid):
        actions.price(headcount=0)


def test_fee1_quote_numbered_scoped_printed(
    demo, act, realty, water, frozen, django_assert_max_num_queries
):  # FEE-1
    first = actions.create_quote(act("wangfang"), unit=realty, client="某物业公司", headcount=80, drill=1)
    second = actions.create_quote(act("wangfang"), unit=realty, client="某酒店", headcount=600)
    assert first.number.endswith("-001") and second.number.endswith("-002")
    assert first.total == Decimal("10000.00") and second.total == Decimal("12000.00")
    with pytest.raises(PermissionDenied):
        actions.create_quote(act("wangfang"), unit=water, client="外单位", headcount=10)
    with pytest.raises(PermissionDenied):
        actions.create_quote(act("zhaomin"), unit=realty, client="外单位", headcount=10)
    with pytest.raises(NotFound):
        queries.quote(act("gaofeng"), first.pk)
    client = Client()
    client.force_login(demo["wangfang"].user)
    with django_assert_max_num_queries(25):
        page = client.get("/emergency/quotes/")
    html = page.content.decode()
    assert page.status_code == 200 and first.number in html and "人民币5,000元" in html
    priced = client.post("/emergency/quotes/", {"headcount": "100", "plans": "1", "review": "1"})
    assert "13000.00" in priced.content.decode()
    pdf = client.get(f"/emergency/quotes/{first.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(client.get(f"/emergency/quotes/{first.pk}/xlsx/").content)).active
    assert sheet.cell(1, 2).value == first.number
    api = Client()
    made = api.post(
        "/api/v1/emergency/fees/quotes",
        {"unit_id": realty.pk, "client": "某学校", "headcount": 100, "expert_hours": 2},
        content_type="application/json",
        **bearer(demo["wangfang"].user),
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["total"] == "10000.00" and [p["percent"] for p in body["payments"]] == ["50.00", "50.00"]
    refused = api.post(
        "/api/v1/emergency/fees/quotes",
        {"unit_id": realty.pk, "client": "某学校", "headcount": 100},
        content_type="application/json",
        **bearer(demo["gaofeng"].user),
    )
    assert refused.status_code == 403
