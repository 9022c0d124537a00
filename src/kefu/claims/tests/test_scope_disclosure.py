"""Issue 10 in 报备: a phone never reveals the archive's customer (CLM-1, SEC-2), a 撞单 challenger does
not learn who holds the claim before the ruling (CLM-1, CLM-6), and no 报备 write names someone of
another company (CLM-5, CLM-9). Through the HTTP API and the pages, with the demo users.
"""

import json

import pytest
from django.test import Client

from kefu.claims import actions
from kefu.claims.models import Claim, Deal, DisputeOutcome
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.errors import Invalid
from kefu.customers.models import Customer
from kefu.org.models import Unit

ADDRESS = "杭州市西湖区文三路 100 号"


def bearer(employee) -> dict:
    _, token = create_token(Actor(user=employee.user, origin="test"), user=employee.user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def text_of(response) -> str:
    """An API answer as JSON with Chinese kept (not \\u-escaped), or a page's HTML."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def register(employee, phone: str, name: str = "来访客户"):
    body = {"customer": {"name": name, "phone": phone, "address": ADDRESS}}
    return Client().post("/api/v1/claims", body, content_type="application/json", **bearer(employee))


def archived(within: str, **filters) -> Customer:
    path = Unit.objects.get(code=within).path
    found = Customer.objects.filter(unit__path__startswith=path, destroyed_at__isnull=True, **filters)
    return found.exclude(phone="").exclude(claims__isnull=False).order_by("pk")[0]


def page(employee, url: str) -> str:
    client = Client()
    client.force_login(employee.user)
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.content.decode()


@pytest.mark.django_db
def test_clm1_a_phone_of_another_company_registers_a_new_customer(demo):  # CLM-1, SEC-2 — issue 10
    # the reproducer: POST /claims answered the archive customer's id and name to a salesperson
    water = archived("hc-water")
    huanglei = demo["huanglei"]
    created = register(huanglei, water.phone)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["customer_name"] == "来访客户" and water.name not in text_of(created)
    assert body["customer_id"] != water.pk
    claim = Claim.objects.get(pk=body["id"])
    mine = claim.customer
    assert mine.unit == huanglei.unit and mine.owner == huanglei and body["customer_id"] == mine.pk
    assert not water.claims.exists()  # the other company's record is neither claimed nor changed
    again = Client().get(f"/api/v1/claims/{claim.pk}", **bearer(huanglei))
    assert again.json()["customer_id"] == mine.pk and water.name not in text_of(again)


@pytest.mark.django_db
def test_clm1_a_phone_of_a_customer_out_of_scope_is_claimed_without_showing_it(demo):  # CLM-1 — issue 10
    # 华辰置业's own archive keeps one record per customer: the claim links to it (CUS-6: claim history
    # stays with the customer), but 黄磊 — who may not see it — is shown only the name he gave
    hidden = archived("realty-cs")
    huanglei = demo["huanglei"]
    created = register(huanglei, hidden.phone, name="刘女士")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["customer_id"] is None and body["customer_name"] == "刘女士"
    claim = Claim.objects.get(pk=body["id"])
    assert claim.customer_id == hidden.pk
    for text in (
        text_of(created),
        text_of(Client().get(f"/api/v1/claims/{claim.pk}", **bearer(huanglei))),
        text_of(Client().get("/api/v1/claims", {"mine": "true"}, **bearer(huanglei))),
        page(huanglei, f"/claims/{claim.pk}/"),
        page(huanglei, "/claims/"),
    ):
        assert hidden.name not in text and f'"customer_id": {hidden.pk}' not in text
    # 王芳 may see the archive record: she is shown it
    seen = Client().get(f"/api/v1/claims/{claim.pk}", **bearer(demo["wangfang"])).json()
    assert seen["customer_id"] == hidden.pk and seen["customer_name"] == hidden.name
    manager = Client().get(f"/api/v1/claims/{claim.pk}", **bearer(demo["majun"])).json()
    assert manager["customer_id"] == hidden.pk and manager["customer_name"] == hidden.name


@pytest.mark.django_db
def test_clm1_a_phone_in_scope_shows_the_archived_customer(demo):  # CLM-1 — issue 10
    mine = archived("realty-sales-showroom", owner=demo["huanglei"])
    created = register(demo["huanglei"], mine.phone, name="随便写的名字")
    assert created.status_code == 201, created.content
    assert created.json()["customer_id"] == mine.pk and created.json()["customer_name"] == mine.name


@pytest.mark.django_db
def test_clm1_the_registration_form_does_not_reveal_the_archived_customer(demo):  # CLM-1 — issue 10
    hidden = archived("realty-cs")
    client = Client()
    client.force_login(demo["huanglei"].user)
    done = client.post(
        "/claims/register/", {"name": "刘女士", "phone": hidden.phone, "address": ADDRESS, "kind": "walk_in"}
    )
    assert done.status_code == 302, done.content.decode()[:1000]
    shown = client.get(done["Location"]).content.decode()
    assert "刘女士" in shown and hidden.name not in shown


@pytest.fixture
def heping_claim(demo):
    """何平 (案场负责人) holds a live claim; 黄磊 (销售, his team) challenges it by phone."""
    created = register(demo["heping"], "13766660001", name="钱先生")
    assert created.status_code == 201, created.content
    return Claim.objects.get(pk=created.json()["id"])


@pytest.mark.django_db
def test_clm6_the_challenger_does_not_see_the_holder_until_the_ruling(
    demo, act, heping_claim
):  # CLM-1, CLM-6
    huanglei, heping = demo["huanglei"], demo["heping"]
    raised = Client().post(
        "/api/v1/claims/disputes",
        {"phone": "13766660001", "reason": "我先接待的", "evidence": "来访登记"},
        content_type="application/json",
        **bearer(huanglei),
    )
    assert raised.status_code == 201, raised.content
    assert "何平" not in text_of(raised)
    dispute_id = raised.json()["id"]
    actions.add_evidence(act("heping"), heping_claim.disputes.get(), "何平的报备表")
    url, api = f"/claims/disputes/{dispute_id}/", f"/api/v1/claims/disputes/{dispute_id}"
    before = Client().get(api, **bearer(huanglei))
    assert before.status_code == 200
    shown = before.json()
    assert shown["owner"] is None and shown["customer_name"] is None and shown["open"] is True
    assert shown["protected_until"] is not None  # CLM-1 says until when, never who
    for text in (text_of(before), page(huanglei, url), page(huanglei, "/claims/disputes/")):
        assert "何平" not in text and "钱先生" not in text
    assert '<dd id="dispute-state">待裁定</dd>' in page(huanglei, url)  # the state, not the verb 查看
    # the holder and 行政部 see both sides
    assert Client().get(api, **bearer(heping)).json()["owner"] == "何平"
    assert "何平" in page(demo["majun"], url) and "钱先生" in page(demo["majun"], url)
    ruled = Client().post(
        f"{api}/rule",
        {"outcome": DisputeOutcome.OWNER_UPHELD, "ruling": actions.CLASH_CLAUSE},
        content_type="application/json",
        **bearer(demo["majun"]),
    )
    assert ruled.status_code == 200, ruled.content
    after = Client().get(api, **bearer(huanglei)).json()
    assert after["open"] is False and after["outcome"] == "owner_upheld"
    assert after["ruling"] == actions.CLASH_CLAUSE and after["owner"] == "何平"
    assert after["customer_name"] is None
    after_page = page(huanglei, url)
    assert "何平" in after_page and "何平的报备表" in after_page and "钱先生" not in after_page


@pytest.mark.django_db
def test_clm9_clm5_no_share_or_choice_for_another_company(demo, act, heping_claim):  # CLM-9, CLM-5
    with pytest.raises(Invalid) as refused:
        actions.record_deal(
            act("heping"),
            heping_claim,
            amount="100000",
            agreed_by=demo["liuyang"],
            shares=[(demo["heping"], "50"), (demo["lvxin"], "50")],
        )
    assert refused.value.code == "claim_employee"
    assert not Deal.objects.filter(claim=heping_claim).exists()
    actions.end_now(act("majun"), heping_claim, reason="客户明确拒绝")
    with pytest.raises(Invalid) as chosen:
        actions.record_choice(act("majun"), heping_claim.customer, chosen=demo["lvxin"], evidence="客户来电")
    assert chosen.value.code == "claim_employee"
    assert (
        actions.record_choice(
            act("majun"), heping_claim.customer, chosen=demo["huanglei"], evidence="客户来电"
        ).chosen
        == demo["huanglei"]
    )
