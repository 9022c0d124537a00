"""Customer pages: list with masked phones and a query-count guard, detail, forms, change requests."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core.models import AuditEvent
from kefu.customers.models import ChangeRequest, Customer

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


def test_list_masks_phones_and_filters(make_customer, login):
    # SEC-2 in lists; CUS-2 filters
    make_customer(name="钱塘客户", phone=PHONE, stage="recovery", at_risk=True)
    make_customer(name="西溪客户", phone="13900001111")
    page = login("wangfang").get("/customers/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "139****5678" in body and PHONE not in body
    assert "钱塘客户" in body and "西溪客户" in body
    filtered = login("wangfang").get("/customers/?at_risk=1&stage=recovery").content.decode()
    assert "钱塘客户" in filtered and "西溪客户" not in filtered
    by_phone = login("wangfang").get(f"/customers/?q={PHONE}").content.decode()
    assert "钱塘客户" in by_phone and "西溪客户" not in by_phone


def test_list_query_count_does_not_grow(make_customer, login):
    # list endpoints have a query-count guard (no N+1)
    client = login("wangfang")
    for i in range(3):
        make_customer(name=f"客户{i}", kind="organisation")
    client.get("/customers/")  # warm the per-process caches (content types, policy version)
    with CaptureQueriesContext(connection) as few:
        client.get("/customers/")
    for i in range(12):
        make_customer(name=f"更多客户{i}", kind="organisation")
    with CaptureQueriesContext(connection) as many:
        client.get("/customers/")
    assert len(many) == len(few)


def test_detail_full_for_manager_audited_masked_for_officer(make_customer, login):
    # SEC-2 / SEC-5 on the page; the why panel is there
    c = make_customer(name="韩梅", phone=PHONE, address="浙江省杭州市拱墅区湖墅南路 1 号")
    body = login("wangfang").get(f"/customers/{c.pk}/").content.decode()
    assert PHONE in body and "湖墅南路" in body
    assert AuditEvent.objects.filter(action="read.sensitive", object_id=str(c.pk)).exists()
    body = login("hemei").get(f"/customers/{c.pk}/").content.decode()
    assert PHONE not in body and "139****5678" in body and "湖墅南路" not in body
    assert "SEC-3" in body  # decision record of the default level in the why panel


def test_out_of_scope_page_is_404(make_customer, login):
    # ORG-3
    c = make_customer()
    assert login("gaofeng").get(f"/customers/{c.pk}/").status_code == 404
    assert login("gaofeng").get(f"/customers/{c.pk}/edit/").status_code == 404
    assert login("gaofeng").get("/customers/999999/").status_code == 404


def test_create_organisation_and_person_forms(login, demo):
    # CUS-1 forms
    client = login("wangfang")
    organisation_form = client.get("/customers/new/?kind=organisation").content.decode()
    assert 'name="industry"' in organisation_form and 'name="gender"' not in organisation_form
    assert 'name="gender"' in client.get("/customers/new/").content.decode()
    response = client.post(
        "/customers/new/",
        {
            "name": "楼小姐",
            "phone": "13611112222",
            "tier": "normal",
            "audience": "A",
            "novelty": "new",
            "stage": "expansion",
        },
    )
    created = Customer.objects.get(name="楼小姐")
    assert response.status_code == 302 and response["Location"] == f"/customers/{created.pk}/"
    assert created.phone == "13611112222" and created.unit == demo["wangfang"].unit
    refused = client.post(
        "/customers/new/",
        {
            "name": "战略客户",
            "tier": "strategic",
            "audience": "A",
            "novelty": "new",
            "stage": "expansion",
            "owner": demo["wangfang"].pk,
        },
    )
    assert refused.status_code == 200 and "CUS-2" in refused.content.decode()


def test_sales_edit_becomes_a_change_request_and_officer_approves(make_customer, login, demo):
    # CUS-4 through the pages
    c = make_customer(by="huanglei", phone=PHONE, needs="住宅")
    client = login("huanglei")
    data = {
        "name": c.name,
        "tier": "normal",
        "audience": "A",
        "novelty": "new",
        "stage": "expansion",
        "needs": "商铺",
        "owner": demo["huanglei"].pk,
        "confidential_until": c.confidential_until.isoformat(),  # as the form shows it (SEC-3 default)
    }
    response = client.post(f"/customers/{c.pk}/edit/", data)
    assert response.status_code == 302
    request = ChangeRequest.objects.get(customer=c)
    assert request.fields == ["needs"]
    assert Customer.objects.get(pk=c.pk).needs == "住宅"
    officer = login("songyu")
    assert "商铺" in officer.get("/customers/change-requests/").content.decode()
    officer.post(f"/customers/change-requests/{request.pk}/decide/", {"decision": "approve"})
    assert Customer.objects.get(pk=c.pk).needs == "商铺"
    assert login("huanglei").get("/customers/change-requests/").status_code == 403


def test_nav_item_for_customer_view(login):
    assert "/customers/" in login("hemei").get("/").content.decode()
    assert "/customers/" not in login("chenjie").get("/").content.decode()
