"""Pages and API of the archive's care: reachable by the right people, and doing what the rules say."""

import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook

from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions
from kefu.customers.governance.models import (
    AccessRequest,
    Borrowing,
    DestructionLog,
    ImportJob,
    ImportStatus,
)
from kefu.org.models import Unit

pytestmark = pytest.mark.django_db
API = "/api/v1/customers/governance"
PAGES = ["", "borrowings/", "access/", "export/", "imports/", "destruction/", "incidents/", "duplicates/"]


def _bearer(who) -> dict:
    _, secret = create_token(Actor(user=who.user, origin="test"), user=who.user, name="t")
    return {"Authorization": f"Bearer {secret}"}


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    workbook.active.append(["名称", "手机", "受众类别"])
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_nav_item_shows_for_any_governance_permission(client, demo):
    client.force_login(demo["majun"].user)  # security.incident only
    assert "/customers/governance/" in client.get("/").content.decode()
    client.force_login(demo["zhaomin"].user)  # none of them
    assert "/customers/governance/" not in client.get("/").content.decode()


def test_every_page_renders_for_the_administrator(client, demo, make_customer):
    make_customer("页面客户", phone="13800000077")
    make_customer("页面客户", phone="13800000077")
    client.force_login(demo["admin"].user)
    for page in PAGES:
        response = client.get(f"/customers/governance/{page}")
        assert response.status_code == 200, page


def test_export_page_downloads_an_audited_workbook(client, demo, make_customer):
    # SEC-5 through the page
    make_customer("导出客户", phone="13800000055")
    client.force_login(demo["wangfang"].user)
    response = client.post("/customers/governance/export/", {"purpose": "月报"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    assert "导出客户" in [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert AuditEvent.objects.get(action="customer.export").reason == "月报"
    client.force_login(demo["zhaomin"].user)
    assert client.get("/customers/governance/export/").status_code == 404


def test_import_page_upload_progress_and_error_report(client, demo, frozen):
    # CUS-8 through the page: upload, HTMX progress, error report download
    client.force_login(demo["songyu"].user)
    upload = io.BytesIO(_xlsx([["甲", "13800000066", "B"], ["乙", "bad", "B"]]))
    upload.name = "客户.xlsx"
    unit = Unit.objects.get(code="realty-cs")
    response = client.post(
        "/customers/governance/imports/", {"unit": unit.pk, "existing": "skip", "file": upload}
    )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/imports/{job.pk}/")
    polling = client.get(f"/customers/governance/imports/{job.pk}/", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in polling.content.decode()
    actions.run_import(job.pk)
    finished = client.get(f"/customers/governance/imports/{job.pk}/", headers={"HX-Request": "true"})
    assert "every 1s" not in finished.content.decode() and "<progress" in finished.content.decode()
    report = client.get(f"/customers/governance/imports/{job.pk}/errors.xlsx")
    rows = list(load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 2 and "手机号码无效" in rows[1][-1]  # the header and the bad row only
    client.force_login(demo["lvxin"].user)
    assert client.get(f"/customers/governance/imports/{job.pk}/").status_code == 404


def test_destruction_through_the_pages_and_the_log(client, demo, make_customer):
    # SEC-8 through the page: request, three decisions, log shown
    customer = make_customer("页面销毁", audience="B", phone="13800000088")
    client.force_login(demo["admin"].user)
    client.post("/customers/governance/destruction/", {"customer": customer.pk, "reason": "过期"})
    for who in ("songyu", "wangfang", "zhangwei"):
        client.force_login(demo[who].user)
        page = client.get("/customers/governance/destruction/").content.decode()
        step = page.split("/customers/governance/steps/")[1].split("/")[0]
        client.post(
            f"/customers/governance/steps/{step}/decide/",
            {"decision": "approve", "next": "customer_governance:destruction"},
        )
    assert DestructionLog.objects.filter(request__customer=customer).exists()
    client.force_login(demo["admin"].user)
    assert f"客户 #{customer.pk}" in client.get("/customers/governance/destruction/").content.decode()


def test_api_borrow_return_and_scope(client, demo, make_customer):
    # SEC-4 over the API
    customer = make_customer("接口客户")
    due = (clock.now() + timedelta(days=2)).isoformat()
    body = {"customer_id": customer.pk, "purpose": "核对", "due_at": due}
    refused = client.post(
        API + "/borrowings", json.dumps(body), content_type="application/json", headers=_bearer(demo["lina"])
    )
    assert refused.status_code == 404  # no customer.borrow: the customer is not visible for borrowing
    created = client.post(
        API + "/borrowings",
        json.dumps(body),
        content_type="application/json",
        headers=_bearer(demo["wangfang"]),
    )
    assert created.status_code == 201
    card = created.json()["id"]
    back = client.post(f"{API}/borrowings/{card}/return", headers=_bearer(demo["wangfang"]))
    assert back.status_code == 200 and back.json()["returned_at"]
    assert Borrowing.objects.get().returned_at is not None
    listed = client.get(API + "/borrowings", headers=_bearer(demo["gaofeng"]))
    assert listed.json()["count"] == 0


def test_api_export_import_and_incident(client, demo, make_customer, frozen):
    # SEC-5, CUS-8, SEC-9 over the API
    make_customer("接口导出", consent_external=True)
    make_customer("接口保密")
    exported = client.post(
        API + "/exports",
        json.dumps({"purpose": "银行", "external": True}),
        content_type="application/json",
        headers=_bearer(demo["wangfang"]),
    )
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.getvalue())).worksheets[0]
    names = [r[1] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert exported["X-Kefu-Export-Count"] == str(len(names))
    assert "接口导出" in names and "接口保密" not in names
    missing = client.post(
        API + "/exports",
        json.dumps({"purpose": ""}),
        content_type="application/json",
        headers=_bearer(demo["wangfang"]),
    )
    assert missing.status_code in (400, 422)

    upload = io.BytesIO(_xlsx([["接口导入", "13800000044", "B"]]))
    upload.name = "a.xlsx"
    unit = Unit.objects.get(code="realty-cs")
    started = client.post(
        API + "/imports",
        {"unit_id": unit.pk, "existing": "skip", "file": upload},
        headers=_bearer(demo["songyu"]),
    )
    assert started.status_code == 202 and started.json()["status"] == "queued"
    actions.run_import(started.json()["id"])
    polled = client.get(f"{API}/imports/{started.json()['id']}", headers=_bearer(demo["songyu"])).json()
    assert polled["status"] == ImportStatus.DONE and polled["created_rows"] == 1

    body = {
        "kind": "loss",
        "occurred_at": clock.now().isoformat(),
        "description": "U盘丢失",
        "person_id": demo["hemei"].pk,
    }
    made = client.post(
        API + "/incidents", json.dumps(body), content_type="application/json", headers=_bearer(demo["songyu"])
    )
    assert made.status_code == 201 and made.json()["superior_ids"] == [demo["songyu"].pk]
    headers = _bearer(demo["songyu"])  # making the token is not part of the list's cost
    with CaptureQueriesContext(connection) as queries:
        listed = client.get(API + "/incidents", headers=headers)
    assert listed.json()["count"] == 1
    assert len(queries) < 20, len(queries)


def test_primed_grants_equal_resolved_grants(demo, actor_of):
    # the navigation resolves many permissions with one role lookup; the answer must not change
    from kefu.org import access

    codes = ["customer.borrow", "customer.export", "security.incident", "org.view", "customer.view"]
    for who in ("zhaomin", "wangfang", "majun", "songyu"):
        primed, plain = actor_of(demo[who]), actor_of(demo[who])
        access.prime(primed, codes)
        assert {c: access.grants(primed, c) for c in codes} == {c: access.grants(plain, c) for c in codes}


def test_supervisory_only_role_files_no_access_request_but_still_views(client, demo, make_customer):
    # ORG-4 "只有督导权没有行政权": 唐宁 filed archive access requests, each starting an approval chain
    customer = make_customer()
    tangning = _bearer(demo["tangning"])
    for body in ({"kind": "archive", "customer_id": customer.pk}, {"kind": "statistics"}):
        answer = client.post(
            f"{API}/access-requests",
            json.dumps(body | {"purpose": "督导检查"}),
            content_type="application/json",
            headers=tangning,
        )
        assert answer.status_code == 403, answer.content
        assert answer.json()["error"]["code"] == "ORG-4.supervisory_only"
    assert not AccessRequest.objects.exists()
    assert client.get(f"/api/v1/customers/{customer.pk}", headers=tangning).status_code == 200
    # SEC-4: a colleague who may act still asks, and the department manager signs
    answer = client.post(
        f"{API}/access-requests",
        json.dumps({"kind": "statistics", "purpose": "月度统计"}),
        content_type="application/json",
        headers=_bearer(demo["zhaomin"]),
    )
    assert answer.status_code == 201, answer.content


def test_an_import_names_only_a_unit_the_importer_may_choose(client, demo):
    # CUS-8 / ORG-3, issue 12: the unit an import names by id is read through the importer's scope (the
    # active units of customer.import, the page's choices); any other id answers 404 on the API and is
    # no choice on the page — a closed unit in scope included, and no job is stored.
    closed = Unit.objects.get(code="realty-cs-hotline")
    closed.is_active = False
    closed.save(update_fields=["is_active"])
    elsewhere = Unit.objects.get(code="water-cs")  # another subsidiary's archive
    for unit in (closed, elsewhere):
        upload = io.BytesIO(_xlsx([["范围外导入", "13800000088", "B"]]))
        upload.name = "a.xlsx"
        refused = client.post(
            API + "/imports",
            {"unit_id": unit.pk, "existing": "skip", "file": upload},
            headers=_bearer(demo["songyu"]),
        )
        assert refused.status_code == 404, unit.code
        assert refused.json()["error"]["code"] == "not_found"
        client.force_login(demo["songyu"].user)
        upload.seek(0)
        page = client.post(
            "/customers/governance/imports/", {"unit": unit.pk, "existing": "skip", "file": upload}
        )
        assert page.status_code == 200 and page.context["form"].errors.get("unit"), unit.code
    assert not ImportJob.objects.exists()
