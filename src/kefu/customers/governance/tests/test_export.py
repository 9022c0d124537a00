"""SEC-5 export: scope, masking, consent for outside the company, audited with a purpose (CUS-8)."""

import pytest
from openpyxl import load_workbook

from kefu.core.errors import Invalid, PermissionDenied
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions
from kefu.customers.models import Customer
from kefu.org.models import Role, RoleAssignment

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def _rows(content) -> list[dict]:
    sheet = load_workbook(content).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    header = [str(h).split(" / ")[0] for h in values[0]]
    return [dict(zip(header, row, strict=True)) for row in values[1:]]


@pytest.fixture
def archive(make_customer):
    return {
        "consenting": make_customer("同意客户", phone=PHONE, consent_external=True),
        "private": make_customer("保密客户", phone="13900000001"),
        "water": make_customer("水务客户", unit="water-cs", phone="13900000002", consent_external=True),
    }


def test_export_is_scoped_full_for_view_full_and_audited(demo, actor_of, archive):
    # SEC-5: wangfang (客服经理, 华辰置业) sees her subsidiary only, unmasked; the export is logged with why
    content, count, _note = actions.export_customers(actor_of(demo["wangfang"]), purpose="季度回访名单")
    rows = _rows(content)
    names = {r["名称"] for r in rows}
    assert count == len(rows)
    assert {"同意客户", "保密客户"} <= names and "水务客户" not in names
    assert not Customer.objects.filter(
        pk__in=[r["编号"] for r in rows], unit__code__startswith="water"
    ).exists()
    assert PHONE in {r["手机"] for r in rows}
    event = AuditEvent.objects.get(action="customer.export")
    assert event.actor.username == "wangfang"
    assert event.reason == "季度回访名单"
    assert event.after["count"] == count
    assert {archive["consenting"].pk, archive["private"].pk} <= set(event.after["ids"])
    assert archive["water"].pk not in event.after["ids"]
    assert event.after["external"] is False


def test_export_is_masked_without_view_full(demo, actor_of, archive):
    # SEC-5 / SEC-2: export right without customer.view_full gives masked data
    role = Role.objects.create(
        code="exporter", name="导出员", scope="subsidiary", permissions=["customer.view", "customer.export"]
    )
    RoleAssignment.objects.create(employee=demo["zhaomin"], role=role)
    content, count, _note = actions.export_customers(actor_of(demo["zhaomin"]), purpose="统计")
    rows = _rows(content)
    assert count == len(rows) and "同意客户" in {r["名称"] for r in rows}
    assert PHONE not in {r["手机"] for r in rows}
    assert "139****5678" in {r["手机"] for r in rows}
    assert AuditEvent.objects.get(action="customer.export").after["full_ids"] == []


def test_external_export_only_with_consent_and_says_so(demo, actor_of, archive):
    # SEC-5: "未经客户同意,不得泄露客户信息"
    content, count, note = actions.export_customers(
        actor_of(demo["wangfang"]), purpose="提供给合作银行", external=True
    )
    rows = _rows(content)
    assert count == len(rows)
    names = {r["名称"] for r in rows}
    assert "同意客户" in names and "保密客户" not in names
    assert not Customer.objects.filter(pk__in=[r["编号"] for r in rows], consent_external=False).exists()
    assert "同意" in note
    content.seek(0)
    about = load_workbook(content).worksheets[1]
    assert "SEC-5" in about["A1"].value
    assert AuditEvent.objects.get(action="customer.export").after["external"] is True


def test_export_needs_a_purpose_and_the_permission(demo, actor_of, archive):
    # SEC-5: who, what, when and why — no why, no export
    with pytest.raises(Invalid):
        actions.export_customers(actor_of(demo["wangfang"]), purpose="  ")
    with pytest.raises(PermissionDenied):
        actions.export_customers(actor_of(demo["zhaomin"]), purpose="统计")
    assert not AuditEvent.objects.filter(action="customer.export").exists()
