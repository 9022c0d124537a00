"""The claim page's forms and their API: the customer's choice (CLM-5) and the deal with its
commission split (CLM-9)."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.claims import actions
from kefu.claims.models import ClaimState, CustomerChoice, Deal
from kefu.core import clock
from kefu.engine.workflow.actions import deadlines

from .test_api import bearer

pytestmark = pytest.mark.django_db


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


@pytest.fixture
def claim(demo, act, customer_data, frozen):
    return actions.register(act("huanglei"), customer=customer_data())


def _deal(demo, rows, **extra) -> dict:
    return {
        "amount": "1860000",
        "agreed_by": str(demo["heping"].pk),
        "note": "云栖 3 幢",
        "share_employee": [str(e.pk) for e, _ in rows],
        "share_percent": [p for _, p in rows],
        **extra,
    }


def test_clm9_deal_form_rejects_a_split_off_100_and_keeps_the_input(demo, claim):
    client = login(demo, "huanglei")
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="deal-form"' in page and "claims/rows.js" in page
    bad = client.post(
        f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "60"), (demo["heping"], "30")])
    )
    body = bad.content.decode()
    assert bad.status_code == 400
    assert "提成分配合计须为 100%" in body and "must total exactly 100%" not in body  # the page's language
    assert 'value="1860000"' in body and 'value="60"' in body and 'value="30"' in body  # input kept
    assert f'<option value="{demo["heping"].pk}" selected>' in body
    claim.refresh_from_db()
    assert claim.state == ClaimState.LIVE and not Deal.objects.filter(claim=claim).exists()


@pytest.mark.parametrize(
    "change, code_text",
    [
        ({"amount": "abc"}, "签单金额须为大于 0 的金额"),
        ({"amount": "NaN"}, "签单金额须为大于 0 的金额"),
        ({"amount": "-5"}, "签单金额须为大于 0 的金额"),
        ({"amount": "1e20"}, "签单金额须为大于 0 的金额"),
        ({"share_percent": ["100.001"]}, "最多两位小数"),
        ({"share_employee": ["99999999999999999999"]}, "员工不存在"),
        ({"agreed_by": ""}, "员工不存在"),
    ],
)
def test_clm9_deal_form_bad_input_is_a_400_never_a_500(demo, claim, change, code_text):
    client = login(demo, "huanglei")
    answer = client.post(f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "100")], **change))
    assert answer.status_code == 400
    body = answer.content.decode()
    assert 'id="deal-error"' in body and code_text in body


def test_clm9_deal_needs_the_owners_supervisor(demo, claim):
    client = login(demo, "huanglei")
    answer = client.post(
        f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "100")], agreed_by=str(demo["majun"].pk))
    )
    assert answer.status_code == 400 and "主管领导" in answer.content.decode()


def test_clm9_deal_recorded_and_shown(demo, claim):
    client = login(demo, "huanglei")
    done = client.post(
        f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "70"), (demo["heping"], "30")])
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.state == ClaimState.SIGNED
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert (
        'id="deal-shares"' in page and "70.00%" in page and "30.00%" in page and 'id="deal-form"' not in page
    )
    again = client.post(f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "100")]))
    assert again.status_code == 409  # signed already: the page says so instead of failing


def test_clm9_deal_permissions(demo, claim):
    heping = login(demo, "heping")  # sees the claim (claim.view_owner) but neither owns nor manages it
    assert 'id="deal-form"' not in heping.get(f"/claims/{claim.pk}/").content.decode()
    assert (
        heping.post(f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "100")])).status_code == 403
    )
    linxiao = login(demo, "linxiao")  # cannot see the claim at all
    assert (
        linxiao.post(f"/claims/{claim.pk}/deal/", _deal(demo, [(demo["huanglei"], "100")])).status_code == 404
    )
    assert 'id="deal-form"' in login(demo, "majun").get(f"/claims/{claim.pk}/").content.decode()  # 行政部


def test_clm9_deal_api_error_envelope(demo, claim):
    client = Client()
    body = {
        "amount": "1000",
        "agreed_by_id": demo["heping"].pk,
        "shares": [
            {"employee_id": demo["huanglei"].pk, "percent": "50"},
            {"employee_id": demo["heping"].pk, "percent": "40"},
        ],
    }
    answer = client.post(
        f"/api/v1/claims/{claim.pk}/deal",
        body,
        content_type="application/json",
        **bearer(demo["huanglei"].user),
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert (
        error["code"] == "claim_split_total"
        and "90" in error["messages"]["zh-hans"]
        and "90" in error["messages"]["en"]
    )
    body["shares"][1]["percent"] = "50"
    body["agreed_by_id"] = 2**70
    assert (
        client.post(
            f"/api/v1/claims/{claim.pk}/deal",
            body,
            content_type="application/json",
            **bearer(demo["huanglei"].user),
        ).status_code
        == 422  # beyond 64 bits: refused as input (issue 10)
    )


def _expire(claim):
    """Move past the protection period (sign in again afterwards: the sessions have timed out)."""
    clock.freeze(claim.protected_until + timedelta(minutes=1))
    deadlines.sweep()
    claim.refresh_from_db()
    assert claim.state == ClaimState.EXPIRED


def test_clm5_choice_form_for_the_admin_office_after_expiry(demo, claim):
    majun = login(demo, "majun")
    assert 'id="choice-form"' not in majun.get(f"/claims/{claim.pk}/").content.decode()  # still protected
    _expire(claim)
    majun = login(demo, "majun")
    page = majun.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="choice-form"' in page and actions.GRAB_CLAUSE in page
    missing = majun.post(f"/claims/{claim.pk}/choice/", {"chosen": str(demo["huanglei"].pk), "evidence": " "})
    body = missing.content.decode()
    assert missing.status_code == 400 and "请填写依据" in body and "Evidence is required" not in body
    assert f'<option value="{demo["huanglei"].pk}" selected>' in body  # the choice is kept
    done = majun.post(
        f"/claims/{claim.pk}/choice/",
        {"chosen": str(demo["huanglei"].pk), "evidence": "客户来电：仍由黄磊跟进"},
    )
    assert done.status_code == 302
    page = majun.get(f"/claims/{claim.pk}/").content.decode()
    assert "客户来电：仍由黄磊跟进" in page and "马军" in page
    assert (
        "客户来电" in login(demo, "huanglei").get(f"/claims/{claim.pk}/").content.decode()
    )  # the owner sees it


def test_clm5_choice_refused_to_others_and_grabbing_shows_the_clause(demo, claim):
    _expire(claim)
    owner = login(demo, "huanglei")
    assert 'id="choice-form"' not in owner.get(f"/claims/{claim.pk}/").content.decode()
    denied = owner.post(f"/claims/{claim.pk}/choice/", {"chosen": str(demo["huanglei"].pk), "evidence": "x"})
    assert denied.status_code == 403 and not CustomerChoice.objects.exists()
    login(demo, "majun").post(
        f"/claims/{claim.pk}/choice/", {"chosen": str(demo["huanglei"].pk), "evidence": "客户确认"}
    )
    grab = login(demo, "heping").post(
        "/claims/register/",
        {"name": "张先生", "phone": "13900001111", "address": "杭州市西湖区文三路 100 号"},
    )
    body = grab.content.decode()
    assert grab.status_code == 409 and actions.GRAB_CLAUSE in body and "CLM-5" in body


def test_clm5_choice_api(demo, claim, customer_data):
    client = Client()
    majun, huanglei = bearer(demo["majun"].user), bearer(demo["huanglei"].user)
    body = {"chosen_id": demo["huanglei"].pk, "evidence": "客户书面确认"}
    url = f"/api/v1/claims/{claim.pk}/choice"
    live = client.post(url, body, content_type="application/json", **majun)
    assert live.status_code == 409 and live.json()["error"]["code"] == "claim_protected"
    _expire(claim)
    assert client.post(url, body, content_type="application/json", **huanglei).status_code == 403
    assert (
        client.post(url, {**body, "evidence": ""}, content_type="application/json", **majun).status_code
        == 422
    )
    created = client.post(url, body, content_type="application/json", **majun)
    assert created.status_code == 201 and created.json()["chosen"] == "黄磊"
    listed = client.get(f"/api/v1/claims/{claim.pk}/choices", **majun).json()
    assert [c["id"] for c in listed] == [created.json()["id"]]
    grab = client.post(
        "/api/v1/claims",
        {"customer": customer_data()},
        content_type="application/json",
        **bearer(demo["heping"].user),
    )
    error = grab.json()["error"]
    assert (
        grab.status_code == 409
        and error["code"] == "claim_grab_refused"
        and error["clause"] == actions.GRAB_CLAUSE
    )
    assert client.get(f"/api/v1/claims/{claim.pk}/choices", **bearer(demo["linxiao"].user)).status_code == 404
