"""Issue 13 (minor): a customer who lost the one-time status link finds the case again with its
number and the phone given when reporting — rate-limited per address and per number, the same
neutral answer for a wrong phone and an unknown number, a match audited as a sensitive read (CASE-2)."""

import re
from datetime import timedelta

import pytest

from kefu.cases.models import Case, PublicLookup
from kefu.core import clock
from kefu.core.models import AuditEvent

API = "/api/v1/public/cases"
PAGE = "/service/status/"
PHONE = "13512345678"
VARYING = re.compile(r' value="[^"]*"')  # the CSRF token, and the number and phone typed


@pytest.fixture
def reported(demo, groups, frozen, client):
    """A complaint sent through the public API: (case, its first status link)."""
    created = client.post(
        API,
        {
            "kind": "complaint",
            "title": "物业维修拖延",
            "description": "报修一周无人上门",
            "contact": {"name": "钱先生", "phone": PHONE},
            "unit": "hc-realty",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    return Case.objects.get(number=created.json()["number"]), created.json()["status_url"]


def look(client, number, phone, **extra):
    return client.post(PAGE, {"number": number, "phone": phone}, **extra)


def test_lookup_by_number_and_phone_opens_the_status_page_with_a_new_link(reported, client):  # CASE-2
    case, first_link = reported
    page = client.get(PAGE)
    assert page.status_code == 200 and "查询我的工单" in page.content.decode()
    # typed as people do: lower case, blanks, dashes, a country prefix
    found = look(client, f" {case.number.lower()} ", "+86 135-1234-5678")
    assert found.status_code == 302 and found["Cache-Control"] == "no-store"
    assert found["Location"].startswith(f"/service/status/{case.number}/?s=")
    status = client.get(found["Location"])
    assert status.status_code == 200 and "物业维修拖延" in status.content.decode()
    assert client.get(first_link.replace("http://testserver", "")).status_code == 404  # the old link is dead
    # audited as a sensitive read, nothing personal in the row
    read = AuditEvent.objects.get(action="read.sensitive", object_id=str(case.pk))
    assert read.object_type == "cases.case" and read.origin == "public case lookup"
    assert read.after == {"fields": ["contact_phone"]} and "查询工单" in read.reason
    assert PHONE not in str(AuditEvent.objects.values_list().filter(pk=read.pk).get())
    assert PHONE not in str(list(PublicLookup.objects.values_list()))  # keyed hashes only


def test_lookup_wrong_phone_and_unknown_number_give_the_same_answer(reported, client):  # CASE-2
    case, first_link = reported
    secret_before = Case.objects.get(pk=case.pk).public_secret_hash
    wrong_phone = look(client, case.number, "13900000000")
    unknown = look(client, "KF-20260302-999999", PHONE)
    garbage = look(client, "nonsense", "abc")
    assert wrong_phone.status_code == unknown.status_code == garbage.status_code == 400
    pages = {VARYING.sub("", r.content.decode()) for r in (wrong_phone, unknown, garbage)}
    assert len(pages) == 1  # word for word the same: nothing tells whether the number exists
    assert "未找到相符的工单" in pages.pop()
    assert Case.objects.get(pk=case.pk).public_secret_hash == secret_before  # the link still works
    assert client.get(first_link.replace("http://testserver", "")).status_code == 200
    assert not AuditEvent.objects.filter(action="read.sensitive").exists()
    empty = look(client, "", "")
    assert empty.status_code == 400 and "这个字段是必填项" in empty.content.decode()


def test_lookup_of_a_case_reported_without_a_phone_never_matches(demo, groups, frozen, client):  # CASE-2
    created = client.post(
        API,
        {
            "kind": "consultation",
            "title": "咨询交房时间",
            "contact": {"name": "孙女士", "email": "sun@example.com"},
            "unit": "hc-realty",
        },
        content_type="application/json",
    ).json()
    for phone in ("", "0", "sun@example.com"):
        answer = client.post(
            f"{API}/lookup", {"number": created["number"], "phone": phone}, content_type="application/json"
        )
        assert answer.status_code == 404 and answer.json()["error"]["code"] == "public_lookup_no_match"


def test_lookup_is_rate_limited_per_number_and_per_address(reported, client):  # CASE-2
    case, _ = reported
    for n in range(5):  # someone guessing this case's phone, from five addresses
        assert look(client, case.number, f"1390000000{n}", REMOTE_ADDR=f"10.0.0.{n}").status_code == 400
    limited = look(client, case.number, PHONE, REMOTE_ADDR="10.0.1.1")  # even the right phone now
    assert limited.status_code == 429
    assert "查询过于频繁" in limited.content.decode() and "Too many look-ups" in limited.content.decode()
    # one address trying many numbers: 10 in the window
    for n in range(10):
        assert look(client, f"KF-20260302-00009{n}", PHONE, REMOTE_ADDR="10.0.2.2").status_code == 400
    assert look(client, "KF-20260302-000100", PHONE, REMOTE_ADDR="10.0.2.2").status_code == 429
    assert not AuditEvent.objects.filter(action="read.sensitive").exists()
    clock.advance(timedelta(minutes=61))  # cases.public_lookup_window
    assert look(client, case.number, PHONE, REMOTE_ADDR="10.0.1.1").status_code == 302


def test_lookup_api(reported, client):  # CASE-2
    case, _ = reported
    found = client.post(
        f"{API}/lookup", {"number": case.number, "phone": PHONE}, content_type="application/json"
    )
    assert found.status_code == 200, found.content
    data = found.json()
    assert data["number"] == case.number and data["status_url"].endswith(f"?s={data['secret']}")
    assert client.get(f"{API}/{case.number}", {"secret": data["secret"]}).json()["title"] == "物业维修拖延"
    wrong = client.post(
        f"{API}/lookup", {"number": case.number, "phone": "13900000000"}, content_type="application/json"
    )
    unknown = client.post(
        f"{API}/lookup", {"number": "KF-1", "phone": PHONE}, content_type="application/json"
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json() and wrong.json()["error"]["code"] == "public_lookup_no_match"
    for _ in range(3):
        client.post(f"{API}/lookup", {"number": case.number, "phone": "1"}, content_type="application/json")
    limited = client.post(
        f"{API}/lookup", {"number": case.number, "phone": PHONE}, content_type="application/json"
    )
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "public_rate_limited"
    assert "查询过于频繁" in limited.json()["error"]["messages"]["zh-hans"]


@pytest.mark.usefixtures("reported")
def test_the_public_pages_link_to_the_lookup(client):  # CASE-2
    for path in ("/service/", "/service/hc-realty/", "/service/status/KF-1/?s=x"):
        assert 'href="/service/status/"' in client.get(path).content.decode(), path


def test_lookup_statements(reported, client, django_assert_max_num_queries):  # CASE-2
    """A look-up is a handful of statements whatever the history: the limits counted on indexes, the
    attempt, the case by number, the new secret and the audit row."""
    case, _ = reported
    with django_assert_max_num_queries(9) as found:
        assert look(client, case.number, PHONE).status_code == 302
    with django_assert_max_num_queries(5) as missed:
        assert look(client, case.number, "13900000000").status_code == 400
    assert len(missed.captured_queries) < len(found.captured_queries)
