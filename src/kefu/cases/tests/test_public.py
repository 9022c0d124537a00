"""The public intake (CASE-2): form and API without login, rate limits, bot checks, idempotency, the
status page with its secret link, and the customer's verdict that reopens the case (CASE-3)."""

import re
from datetime import timedelta

import pytest

from kefu.cases import actions
from kefu.cases.models import Case, CaseState, Comment, PublicSubmission
from kefu.core import clock

FORM = "/service/hc-realty/"
API = "/api/v1/public/cases"
VARYING = re.compile(r'name="(csrfmiddlewaretoken|next)" value="[^"]+"')


@pytest.fixture
def public(demo, groups, frozen, client):
    """send(**fields) posts the public form as a person would: shown, filled for a while, sent."""

    def send(**fields):
        page = client.get(FORM)
        token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
        clock.advance(timedelta(seconds=fields.pop("after", 20)))
        data = {
            "kind": "consultation",
            "title": "咨询交房时间",
            "description": "请问 3 号楼何时交房？",
            "name": "钱先生",
            "phone": "13512345678",
            "email": "",
            "website": "",
            "token": token,
        }
        data.update(fields)
        return client.post(FORM, data)

    return send


def status_link(response) -> str:
    found = re.search(r'href="http://testserver(/service/status/[^"]+)"', response.content.decode())
    return found.group(1).replace("&amp;", "&")


def handle_to_informed(case, act, reply="预计 6 月交房"):
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "accept")
    case = actions.act(owner, case, "propose", data={"solution": "查询交房计划"})
    return actions.act(owner, case, "inform", data={"customer_reply": reply})


def test_case2_public_form_receives_a_routed_case_without_login(public, client, demo):  # CASE-2, ROUTE-1
    listing = client.get("/service/")
    assert listing.status_code == 200 and "华辰置业有限公司" in listing.content.decode()
    page = client.get(FORM)
    html = page.content.decode()
    assert page.status_code == 200 and 'name="viewport"' in html
    assert "<style" not in html and "<script>" not in html and "https://" not in html
    response = public()
    assert response.status_code == 200
    case = Case.objects.get()
    assert case.number in response.content.decode()
    assert case.channel == "web" and case.family == "consultation"
    assert case.state == CaseState.ROUTED and case.owner in (demo["zhaomin"], demo["sunli"])
    assert not case.identity_verified  # CASE-2: a web customer is verified before handling
    assert case.public_secret_hash and response["Cache-Control"] == "no-store"
    assert PublicSubmission.objects.count() == 1
    assert "13512345678" not in str(PublicSubmission.objects.values_list().get())  # hashes only


def test_case2_form_kinds_are_the_three_public_families(public, client):  # CASE-2
    html = client.get(FORM).content.decode()
    assert {"consultation", "complaint", "suggestion"} <= set(re.findall(r'name="kind" value="(\w+)"', html))
    assert 'value="repair"' not in html
    response = public(kind="repair")
    assert response.status_code == 400 and not Case.objects.exists()
    assert client.get("/service/realty-cs/").status_code == 404  # a department is not a subsidiary


def test_case2_validation_keeps_the_input_and_needs_a_phone_or_email(public):  # CASE-2
    response = public(phone="", email="", title="停车位问题")
    assert response.status_code == 400 and not Case.objects.exists()
    html = response.content.decode()
    assert "停车位问题" in html and "field-error" in html
    assert public(phone="", email="qian@example.com").status_code == 200


def test_case2_status_page_shows_public_information_only(public, client, act, demo):  # CASE-2
    link = status_link(public())
    case = Case.objects.get()
    owner = act(case.owner.user.username)
    actions.comment(owner, case, "内部备注：客户较难沟通", public=False)
    actions.comment(owner, case, "您好，已为您查询交房计划", public=True)
    page = client.get(link)
    html = page.content.decode()
    assert page.status_code == 200 and case.number in html
    assert "您好，已为您查询交房计划" in html and "客服专员" in html
    assert "内部备注" not in html and case.owner.name not in html
    assert "预计首次回复时间" not in html  # the reply stopped the first-response clock
    assert "预计办结时间" in html


def test_case2_wrong_secret_or_number_is_the_same_404(public, client):  # CASE-2
    link = status_link(public())
    number = Case.objects.get().number
    wrong_secret = client.get(f"/service/status/{number}/?s=nope")
    wrong_number = client.get(link.replace(number, "KF-20260302-999999"))
    no_secret = client.get(f"/service/status/{number}/")
    assert wrong_secret.status_code == wrong_number.status_code == no_secret.status_code == 404
    pages = {VARYING.sub("", r.content.decode()) for r in (wrong_secret, wrong_number, no_secret)}
    assert len(pages) == 1  # the same page, whatever was wrong
    assert client.post(f"/service/status/{number}/", {"s": "nope", "body": "x"}).status_code == 404
    assert not Comment.objects.exists()


def test_case2_honeypot_and_too_fast_are_refused(public):  # CASE-2
    assert public(website="http://spam.example").status_code == 400
    too_fast = public(after=0)
    assert too_fast.status_code == 400 and not Case.objects.exists()
    # a fresh token comes back: a person who checks and sends again after a moment gets through
    token = re.search(r'name="token" value="([^"]+)"', too_fast.content.decode()).group(1)
    clock.advance(timedelta(seconds=10))
    assert public(token=token, after=0).status_code == 200


def test_case2_sending_the_same_form_twice_makes_one_case(public, client):  # CASE-2
    page = client.get(FORM)
    token = re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)
    clock.advance(timedelta(seconds=20))
    data = {"kind": "complaint", "title": "漏水", "name": "钱先生", "phone": "13512345678", "token": token}
    first, again = client.post(FORM, data), client.post(FORM, data)
    assert first.status_code == again.status_code == 200
    assert Case.objects.count() == 1
    assert client.get(status_link(first)).status_code == 404  # the reload issued a new link
    assert client.get(status_link(again)).status_code == 200


def test_case2_rate_limit_per_contact_and_per_address(public, client):  # CASE-2
    for n in range(5):
        assert public(title=f"第{n}次").status_code == 200
    limited = public(title="第6次")
    assert limited.status_code == 429
    html = limited.content.decode()
    assert "提交过于频繁" in html and "Too many submissions" not in html
    for n in range(5):  # other contacts from the same address: 10 in the window
        assert public(phone=f"1390000000{n}").status_code == 200
    assert public(phone="13900000009").status_code == 429
    assert Case.objects.count() == 10
    clock.advance(timedelta(minutes=61))
    assert public(phone="13900000009").status_code == 200


def test_case3_customer_not_satisfied_reopens_until_satisfied(public, client, act):  # CASE-3
    link = status_link(public())
    case = handle_to_informed(Case.objects.get(), act)
    html = client.get(link).content.decode()
    assert "预计 6 月交房" in html and 'value="rate"' in html
    path, secret = link.split("?s=")
    refused = client.post(path, {"s": secret, "action": "rate", "satisfied": "no", "reason": ""})
    assert refused.status_code == 400
    done = client.post(path, {"s": secret, "action": "rate", "satisfied": "no", "reason": "时间太晚"})
    assert done.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING and case.reopen_count == 1
    assert Comment.objects.filter(case=case, from_customer=True, body__contains="时间太晚").exists()
    case = actions.act(act(case.owner.user.username), case, "propose", data={"solution": "协调提前"})
    case = actions.act(act(case.owner.user.username), case, "inform", data={"customer_reply": "5 月交房"})
    client.post(path, {"s": secret, "action": "rate", "satisfied": "yes"})
    case.refresh_from_db()
    assert case.satisfied is True and case.state == CaseState.INFORMED
    assert 'value="rate"' not in client.get(link).content.decode()


def test_case3_customer_message_resumes_a_waiting_case(public, client, act):  # CASE-3
    link = status_link(public())
    case = Case.objects.get()
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "accept")
    case = actions.act(owner, case, "wait", data={"customer_reply": "请提供楼号"})
    path, secret = link.split("?s=")
    assert client.post(path, {"s": secret, "action": "message", "body": "3 号楼"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.INVESTIGATING
    assert "3 号楼" in client.get(link).content.decode()


# ---- the API ---------------------------------------------------------------------------------


def body(**fields):
    data = {
        "kind": "complaint",
        "title": "物业维修拖延",
        "description": "报修一周无人上门",
        "contact": {"name": "钱先生", "phone": "13512345678"},
    }
    data.update(fields)
    return data


def test_case2_api_needs_a_unit_when_there_are_several(demo, groups, frozen, client, settings):  # CASE-2
    settings.KEFU_PUBLIC_DEFAULT_UNIT = ""
    refused = client.post(API, body(), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "public_unit_required"
    unknown = client.post(API, body(unit="nope"), content_type="application/json")
    assert unknown.status_code == 400 and unknown.json()["error"]["code"] == "public_unit_unknown"
    settings.KEFU_PUBLIC_DEFAULT_UNIT = "hc-realty"
    created = client.post(API, body(), content_type="application/json")
    assert created.status_code == 201, created.content
    case = Case.objects.get(number=created.json()["number"])
    assert case.channel == "api" and case.owner == demo["wujing"]  # complaints group (ROUTE-1)
    water = client.post(
        API,
        body(unit="hc-water", contact={"name": "孙女士", "email": "sun@example.com"}),
        content_type="application/json",
    )
    assert water.status_code == 201 and Case.objects.get(number=water.json()["number"]).unit.code.startswith(
        "hc-water"
    )


def test_case2_api_validation(demo, groups, frozen, client):  # CASE-2
    contactless = body(unit="hc-realty", contact={"name": "钱先生"})
    refused = client.post(API, contactless, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "public_contact_required"
    assert set(refused.json()["error"]["messages"]) == {"zh-hans", "en"}
    repair = client.post(API, body(unit="hc-realty", kind="repair"), content_type="application/json")
    assert repair.status_code == 400 and repair.json()["error"]["code"] == "public_kind_invalid"
    extra = client.post(API, {**body(unit="hc-realty"), "owner": 1}, content_type="application/json")
    assert extra.status_code == 422
    assert not Case.objects.exists()


def test_case2_api_idempotency_key_replays_the_same_case(demo, groups, frozen, client):  # CASE-2
    send = {"content_type": "application/json", "headers": {"Idempotency-Key": "abc-123"}}
    first = client.post(API, body(unit="hc-realty"), **send)
    again = client.post(API, body(unit="hc-realty"), **send)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"] and Case.objects.count() == 1
    other_ip = client.post(API, body(unit="hc-realty"), REMOTE_ADDR="10.9.9.9", **send)
    assert other_ip.json()["number"] != first.json()["number"]  # the key is scoped per client address


def test_case2_api_rate_limited_with_429(demo, groups, frozen, client):  # CASE-2
    for _ in range(5):
        assert client.post(API, body(unit="hc-realty"), content_type="application/json").status_code == 201
    limited = client.post(API, body(unit="hc-realty"), content_type="application/json")
    assert limited.status_code == 429
    assert limited.json()["error"]["code"] == "public_rate_limited"
    assert "Too many" in limited.json()["error"]["messages"]["en"]


def test_case2_case3_api_status_messages_and_satisfaction(
    demo, groups, frozen, client, act
):  # CASE-2, CASE-3
    created = client.post(
        API, body(unit="hc-realty", kind="consultation"), content_type="application/json"
    ).json()
    number, secret = created["number"], created["secret"]
    assert created["status_url"].endswith(f"/service/status/{number}/?s={secret}")
    case = Case.objects.get(number=number)
    actions.comment(act(case.owner.user.username), case, "内部：转交工程部", public=False)
    seen = client.get(f"{API}/{number}", {"secret": secret})
    assert seen.status_code == 200
    data = seen.json()
    assert data["state"] == "routed" and data["messages"] == [] and data["may_rate"] is False
    assert {e["name"] for e in data["expected"]} == {"first_response", "resolution"}
    assert "内部" not in seen.content.decode() and case.owner.name not in seen.content.decode()
    assert client.get(f"{API}/{number}", {"secret": "wrong"}).status_code == 404
    assert client.get(f"{API}/KF-1", {"secret": secret}).status_code == 404
    wrote = client.post(
        f"{API}/{number}/messages",
        {"secret": secret, "body": "补充：3 号楼"},
        content_type="application/json",
    )
    assert wrote.status_code == 201 and wrote.json()["messages"][0]["author"] == "您"
    too_early = client.post(
        f"{API}/{number}/satisfaction", {"secret": secret, "satisfied": True}, content_type="application/json"
    )
    assert too_early.status_code == 400
    handle_to_informed(Case.objects.get(pk=case.pk), act)
    unhappy = client.post(
        f"{API}/{number}/satisfaction",
        {"secret": secret, "satisfied": False, "reason": "太晚"},
        content_type="application/json",
    )
    assert unhappy.status_code == 200 and unhappy.json()["state"] == "investigating"
    assert Case.objects.get(pk=case.pk).reopen_count == 1


def test_case2_confirmation_mail_carries_the_status_link(demo, groups, frozen, client):  # CASE-2
    from kefu.engine.mail.api import OutboundMail

    contact = {"name": "钱先生", "email": "qian@example.com"}
    created = client.post(
        API, body(unit="hc-realty", contact=contact), content_type="application/json"
    ).json()
    mail = OutboundMail.objects.get()
    assert mail.to == ["qian@example.com"] and f"[{created['number']}]" in mail.subject
    assert created["secret"] in mail.body


def test_public_status_page_says_routed_not_taken_on(public, client, act):  # CASE-2, issue 13
    """The routing rules named an owner: nobody has acted on it yet — the page says 已分派, not 已接手."""
    link = status_link(public())
    case = Case.objects.get()
    assert case.state == CaseState.ROUTED and case.created_by is None  # routed automatically
    html = client.get(link).content.decode()
    assert "已接手" not in html and "已分派给客服专员，待其开始处理" in html
    number, secret = case.number, link.split("?s=")[1]
    assert "已分派" in client.get(f"{API}/{number}", {"secret": secret}).json()["state_label"]
    actions.act(act(case.owner.user.username), case, "accept")
    assert "客服专员正在处理" in client.get(link).content.decode()  # a person now acts on it


def test_an_empty_form_says_what_is_missing_not_too_fast(public):  # issue 13 (minor), CASE-2
    # sent at once and empty, the page said only "提交过快" — the missing fields are what to fix
    empty = public(after=0, title="", name="", phone="", description="")
    body = empty.content.decode()
    assert empty.status_code == 400 and not Case.objects.exists()
    assert "提交过快" not in body and "very fast" not in body
    assert "这个字段是必填项" in body or "This field is required" in body
