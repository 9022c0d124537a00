"""The 报备 API (CLM-1…CLM-4, CLM-6, CLM-9) and the 64-way registration race (CLM-4)."""

import http.client
import json
import threading
from collections import Counter
from urllib.parse import urlparse

import pytest
from django.test import Client

from kefu.claims.models import Claim
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.customers.models import Customer

BODY = {"customer": {"name": "李女士", "phone": "13700002222", "address": "杭州市滨江区江南大道 8 号"}}


def bearer(user) -> dict:
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.mark.django_db
def test_check_register_conflict_and_detail(demo, wuqiang):  # CLM-1 / CLM-4 / CLM-2
    client = Client()
    huanglei, other = bearer(demo["huanglei"].user), bearer(wuqiang.user)
    answer = client.get("/api/v1/claims/check", {"phone": "13700002222"}, **huanglei)
    assert answer.status_code == 200 and answer.json() == {"protected": False, "until": None}
    created = client.post("/api/v1/claims", BODY, content_type="application/json", **huanglei)
    assert created.status_code == 201, created.content
    claim = created.json()
    assert claim["state"] == "live" and claim["owner"] == "黄磊"
    refused = client.post("/api/v1/claims", BODY, content_type="application/json", **other)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "claim_protected" and error["until"].startswith(claim["protected_until"][:16])
    assert "黄磊" not in refused.content.decode()
    seen = client.get("/api/v1/claims/check", {"phone": "13700002222"}, **other).json()
    assert seen["protected"] is True and set(seen) == {"protected", "until"}  # CLM-1: no "owner" key
    assert client.get(f"/api/v1/claims/{claim['id']}", **other).status_code == 404
    assert client.get(f"/api/v1/claims/{claim['id']}", **huanglei).status_code == 200
    mine = client.get("/api/v1/claims", {"mine": "true"}, **huanglei).json()
    assert claim["id"] in [c["id"] for c in mine["items"]] and all(
        c["owner"] == "黄磊" for c in mine["items"]
    )
    incomplete = {"customer": {**BODY["customer"], "address": "", "phone": "13700003333"}}
    bad = client.post("/api/v1/claims", incomplete, content_type="application/json", **huanglei)
    assert bad.status_code == 400 and "address" in bad.json()["error"]["fields"]
    deposit = client.post(f"/api/v1/claims/{claim['id']}/deposit", **huanglei)
    assert deposit.status_code == 200 and deposit.json()["kind"] == "deposit"
    ended = client.post(
        f"/api/v1/claims/{claim['id']}/expire",
        {"reason": "客户明确拒绝"},
        content_type="application/json",
        **bearer(demo["majun"].user),
    )
    assert ended.status_code == 200 and ended.json()["state"] == "expired"
    assert (
        client.post(
            f"/api/v1/claims/{claim['id']}/expire",
            {"reason": "x"},
            content_type="application/json",
            **huanglei,
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_claims_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/claims/check" in paths and "/api/v1/claims" in paths


@pytest.mark.django_db
def test_clm1_check_names_the_owner_only_to_the_register_keepers(demo, wuqiang):
    """CLM-1: the public answer is {"protected", "until"}; "owner" only for claim.manage in scope (行政部)
    and the owner themself — not for a supervisor's claim.view_owner (issue 13: 何平, 案场负责人)."""
    client = Client()
    created = client.post(
        "/api/v1/claims", BODY, content_type="application/json", **bearer(demo["huanglei"].user)
    )
    assert created.status_code == 201
    privileged = client.get("/api/v1/claims/check", {"phone": "13700002222"}, **bearer(demo["majun"].user))
    assert privileged.status_code == 200 and privileged.json()["owner"] == "黄磊"
    assert set(privileged.json()) == {"protected", "until", "owner"}
    plain = client.get("/api/v1/claims/check", {"phone": "13700002222"}, **bearer(wuqiang.user))
    assert plain.status_code == 200 and set(plain.json()) == {"protected", "until"}  # no "owner" key
    assert plain.json()["protected"] is True and plain.json()["until"] == created.json()["protected_until"]
    site_lead = client.get("/api/v1/claims/check", {"phone": "13700002222"}, **bearer(demo["heping"].user))
    assert site_lead.status_code == 200 and set(site_lead.json()) == {"protected", "until"}  # issue 13
    free = client.get("/api/v1/claims/check", {"phone": "13700009999"}, **bearer(demo["majun"].user))
    assert free.json() == {"protected": False, "until": None}
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["CheckOut"]
    assert "owner" not in schema.get("required", []) and {"protected", "until"} <= set(schema["required"])


def _race(url: str, tokens: list[str], body: dict) -> Counter:
    parsed = urlparse(url)
    start = threading.Barrier(len(tokens))
    statuses: list[int] = []
    lock = threading.Lock()

    def one(token):
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=120)
        payload = json.dumps(body)
        start.wait()
        conn.request(
            "POST",
            "/api/v1/claims",
            body=payload,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        response = conn.getresponse()
        response.read()
        with lock:
            statuses.append(response.status)
        conn.close()

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


@pytest.fixture(scope="session")
def _wide_backlog():
    """Django's test server listens with socketserver's backlog of 5: 64 simultaneous connects would
    be reset by the kernel before reaching the application. Widen it before the server starts."""
    from django.core.servers.basehttp import WSGIServer

    WSGIServer.request_queue_size = 128


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_registrations_one_winner(_wide_backlog, live_server, admin_user):  # CLM-4
    from kefu import demo as demo_data
    from kefu.org.models import Employee

    demo_data.load()
    sellers = [
        e for e in Employee.objects.select_related("user") if e.user.username in ("huanglei", "heping")
    ]
    tokens = [
        create_token(Actor(user=e.user, origin="t"), user=e.user, name=f"r{i}")[1]
        for i in range(32)
        for e in sellers
    ]
    assert len(tokens) == 64
    counts = _race(live_server.url, tokens, BODY)
    assert counts[201] == 1 and counts[409] == 63, counts
    assert not any(status >= 500 for status in counts)
    index = blind_index(BODY["customer"]["phone"])
    assert Claim.objects.filter(phone_index=index).count() == 1
    assert Customer.objects.filter(phone_index=index).count() == 1  # the losers' customers rolled back


@pytest.mark.django_db
def test_dispute_ruling_and_deal_endpoints(demo, wuqiang):  # CLM-6 / CLM-9
    client = Client()
    huanglei, majun, other = (bearer(demo[u].user) for u in ("huanglei", "majun", "wuqiang"))
    claim = client.post("/api/v1/claims", BODY, content_type="application/json", **huanglei).json()
    raised = client.post(
        "/api/v1/claims/disputes",
        {"phone": BODY["customer"]["phone"], "reason": "我先接待", "evidence": "来访登记"},
        content_type="application/json",
        **other,
    )
    assert raised.status_code == 201 and raised.json()["claimant_registered"] is False
    assert "黄磊" not in raised.content.decode()
    dispute_id = raised.json()["id"]
    assert (
        client.post(
            f"/api/v1/claims/disputes/{dispute_id}/rule",
            {"outcome": "owner_upheld", "ruling": "x"},
            content_type="application/json",
            **other,
        ).status_code
        == 404
    )
    ruled = client.post(
        f"/api/v1/claims/disputes/{dispute_id}/rule",
        {"outcome": "owner_upheld", "ruling": "未报备者撞单视为无效客户"},
        content_type="application/json",
        **majun,
    )
    assert ruled.status_code == 200 and ruled.json()["outcome"] == "owner_upheld"
    deal = {
        "amount": "990000",
        "agreed_by_id": demo["heping"].pk,
        "shares": [{"employee_id": demo["huanglei"].pk, "percent": "60"}],
    }
    short = client.post(
        f"/api/v1/claims/{claim['id']}/deal", deal, content_type="application/json", **huanglei
    )
    assert short.status_code == 400 and short.json()["error"]["code"] == "claim_split_total"
    deal["shares"].append({"employee_id": demo["heping"].pk, "percent": "40"})
    done = client.post(
        f"/api/v1/claims/{claim['id']}/deal", deal, content_type="application/json", **huanglei
    )
    assert done.status_code == 201 and len(done.json()["shares"]) == 2
    assert client.get(f"/api/v1/claims/{claim['id']}", **huanglei).json()["state"] == "signed"
