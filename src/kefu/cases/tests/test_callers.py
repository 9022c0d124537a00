"""Issue 13, the caller's history: a phone looked up on 新建工单 finds the customer (within the
receiving subsidiary, masked, only for a reader who may see it), lists their open and recent cases in
the reader's scope and their 报备 status as CLM-1's pre-check tells it, and fills the contact fields."""

import pytest
from django.test import Client

from kefu.cases.models import Case, CaseState
from kefu.claims.actions import register as register_claim
from kefu.core.actions import create_token
from kefu.core.actor import Actor

pytestmark = pytest.mark.django_db

HU = "13957242518"  # 胡永刚: realty's archive, owned by 赵敏 (demo)
HE = "13657262592"  # 何建华: the water company's archive (demo)


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


def lookup(demo, username, phone, **extra) -> str:
    response = login(demo, username).get(
        "/cases/new/caller/", {"contact_phone": phone, **extra}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def bearer(user) -> dict:
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_caller_history_on_the_new_case_page(new_case, demo, act):
    case = new_case(title="咨询物业费", contact={"name": "", "phone": HU})
    closed = new_case(title="咨询车位", contact={"name": "", "phone": HU})
    Case.objects.filter(pk=closed.pk).update(state=CaseState.CLOSED)  # an old case, closed long ago
    body = lookup(demo, "lina", HU)  # 热线一组's supervisor: its cases and customers
    assert 'id="new-contact"' in body and 'value="胡永刚"' in body  # the contact's name filled in
    assert "139****2518" in body and f'value="{HU}"' in body  # the number typed, the archive's masked
    assert case.number in body and closed.number in body and "咨询物业费" in body
    assert body.index(case.number) < body.index('id="caller-recent"') < body.index(closed.number)
    assert 'id="caller-open"' in body and 'id="caller-recent"' in body
    assert "已建档客户" in body and "在办工单" in body and "近期工单" in body  # zh-Hans, from the catalogue
    # the page itself asks for it on change and with 查询
    page = login(demo, "zhaomin").get("/cases/new/").content.decode()
    assert 'hx-get="/cases/new/caller/"' in page and 'id="caller-lookup"' in page


def test_caller_history_is_scoped(new_case, demo):
    """Another subsidiary's customer and cases out of scope are not shown; a phone reveals nothing."""
    water = new_case(by="lvxin", title="水压不足", contact={"name": "", "phone": HE})
    body = lookup(demo, "zhaomin", HE)
    assert "何建华" not in body and water.number not in body and 'id="caller-unknown"' in body
    seen = lookup(demo, "gaofeng", HE)
    assert "何建华" in seen and water.number in seen
    # an agent of realty does not see a realty customer outside their scope (黄磊's)
    assert "赵国栋" not in lookup(demo, "zhaomin", "13657162222")


def test_caller_history_never_names_the_claim_owner_to_an_agent(demo, act):
    """CLM-1: the agent learns that the caller is protected and until when, never by whom."""
    register_claim(
        act("huanglei"),
        customer={"name": "钱女士", "phone": "13700002222", "address": "杭州市西湖区文三路 100 号"},
    )
    body = lookup(demo, "zhaomin", "13700002222")
    assert 'id="caller-claim"' in body and "保护至" in body and "黄磊" not in body
    answer = Client().get("/api/v1/cases/callers", {"phone": "13700002222"}, **bearer(demo["zhaomin"].user))
    assert answer.status_code == 200, answer.content
    assert answer.json()["claim"]["protected"] is True and answer.json()["claim"]["owner"] is None
    assert "黄磊" not in answer.content.decode()


def test_caller_history_api(new_case, demo):
    case = new_case(title="咨询物业费", contact={"name": "", "phone": HU})
    client = Client()
    answer = client.get("/api/v1/cases/callers", {"phone": HU}, **bearer(demo["lina"].user))
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["customer"]["name"] == "胡永刚" and data["customer"]["masked_phone"] == "139****2518"
    assert [c["number"] for c in data["open_cases"]] == [case.number]
    assert HU not in answer.content.decode()
    other = client.get("/api/v1/cases/callers", {"phone": HU}, **bearer(demo["lvxin"].user)).json()
    assert other["customer"] is None and other["open_cases"] == [] and other["masked_phone"] == "139****2518"
    refused = client.get("/api/v1/cases/callers", {"phone": HU}, **bearer(demo["huanglei"].user))
    assert refused.status_code == 403  # no case.handle
    assert (
        client.get("/api/v1/cases/callers", {"phone": "12"}, **bearer(demo["zhaomin"].user)).status_code
        == 400
    )
