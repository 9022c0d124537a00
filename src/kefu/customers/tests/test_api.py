"""Customer API: masked lists, audited full detail, create/patch, change requests, envelopes, 404s."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core.models import AuditEvent
from kefu.customers.models import ChangeRequest, Customer

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
BASE = "/api/v1/customers"


def test_list_is_masked_and_paginated(make_customer, login):
    # SEC-2
    for i in range(3):
        make_customer(name=f"分页客户{i}", phone=f"1391234567{i}")
    body = login("wangfang").get(f"{BASE}?limit=2&q=分页客户").json()
    assert body["count"] == 3 and len(body["items"]) == 2
    assert all("****" in item["phone"] for item in body["items"])
    assert "13912345670" not in str(body)


def test_list_query_count_guard(make_customer, login):
    client = login("wangfang")
    make_customer(name="甲", kind="organisation")
    client.get(BASE)
    with CaptureQueriesContext(connection) as few:
        client.get(BASE)
    for i in range(10):
        make_customer(name=f"乙{i}", kind="organisation")
    with CaptureQueriesContext(connection) as many:
        client.get(BASE)
    assert len(many) == len(few)


def test_detail_full_only_with_view_full_and_audited(make_customer, login):
    # SEC-2, SEC-5
    c = make_customer(phone=PHONE, id_number="330106199001011234")
    masked = login("hemei").get(f"{BASE}/{c.pk}").json()
    assert (
        masked["full"] is False
        and masked["phone"] == "139****5678"
        and masked["id_number"] == "330*************34"
    )
    before = AuditEvent.objects.filter(action="read.sensitive").count()
    full = login("wangfang").get(f"{BASE}/{c.pk}").json()
    assert full["full"] is True and full["phone"] == PHONE
    assert AuditEvent.objects.filter(action="read.sensitive").count() == before + 1


def test_out_of_scope_404_envelope(make_customer, login):
    # ORG-3
    c = make_customer()
    response = login("gaofeng").get(f"{BASE}/{c.pk}")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_create_and_bad_input_envelopes(login, demo):
    client = login("wangfang")
    created = client.post(BASE, {"name": "章先生", "phone": "13788889999"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["confidentiality"] == "secret"
    assert Customer.objects.get(pk=created.json()["id"]).phone == "13788889999"
    bad = client.post(BASE, {"name": "", "colour": "red"}, content_type="application/json")
    assert bad.status_code == 422 and "error" in bad.json()
    rule = client.post(
        BASE,
        {"name": "战略", "tier": "strategic", "owner_id": demo["wangfang"].pk},
        content_type="application/json",
    )
    assert rule.status_code == 400 and rule.json()["error"]["code"] == "CUS-2.owner_rule"


def test_patch_direct_and_sales_change_request(make_customer, login, demo):
    # CUS-4
    c = make_customer(by="huanglei", needs="住宅")
    ok = login("wangfang").patch(f"{BASE}/{c.pk}", {"stage": "maintenance"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["stage"] == "maintenance"
    queued = login("huanglei").patch(
        f"{BASE}/{c.pk}", {"needs": "商铺", "reason": "客户来电"}, content_type="application/json"
    )
    assert queued.status_code == 202 and queued.json()["fields"] == ["needs"]
    officer = login("songyu")
    pending = officer.get(f"{BASE}/change-requests/pending").json()
    assert [item["id"] for item in pending["items"]] == [queued.json()["id"]]
    decided = officer.post(
        f"{BASE}/change-requests/{queued.json()['id']}/decide",
        {"decision": "approve"},
        content_type="application/json",
    )
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    assert Customer.objects.get(pk=c.pk).needs == "商铺"
    assert ChangeRequest.objects.get().state == "approved"


def test_contacts_masked_for_viewers(make_customer, login):
    c = make_customer(kind="organisation", name="杭州某某公司")
    added = login("wangfang").post(
        f"{BASE}/{c.pk}/contacts", {"name": "李总", "phone": PHONE}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["phone"] == PHONE
    listed = login("hemei").get(f"{BASE}/{c.pk}/contacts").json()
    assert listed[0]["phone"] == "139****5678"
