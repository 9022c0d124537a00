"""CUS-4 change-request queue: real pagination with page numbers, a state filter, a constant number
of queries, masked proposals (SEC-2), bad input answered on the page — and the same in the API."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import clock
from kefu.customers import actions
from kefu.customers.models import ChangeRequest

pytestmark = pytest.mark.django_db
PAGE = "/customers/change-requests/"


@pytest.fixture
def requests_for(make_customer, demo, actor_of, frozen):
    """requests_for(n) → n change requests by 黄磊 (sales), the newest last."""
    sales = actor_of(demo["huanglei"])
    customer = make_customer(by="huanglei", name="变更客户", needs="住宅")

    def make(n, **changes):
        made = []
        for i in range(n):
            clock.advance(timedelta(minutes=1))
            made.append(actions.request_change(sales, customer, changes or {"needs": f"需求{i}"}))
        return made

    return make


def _ids(body: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-request="(\d+)"', body)]


def test_cus4_change_requests_page_is_paginated_beyond_200(requests_for, demo, client):
    # CUS-4: no cap — 205 pending requests over 11 pages of 20, page numbers to each
    made = requests_for(205)
    client.force_login(demo["songyu"].user)
    first = client.get(PAGE)
    body = first.content.decode()
    assert first.status_code == 200 and "205" in body
    assert len(_ids(body)) == 20 and _ids(body)[0] == made[-1].pk  # newest first
    assert 'href="?page=2"' in body and 'href="?page=11"' in body and 'aria-current="page">1<' in body
    last = client.get(f"{PAGE}?page=11").content.decode()
    assert _ids(last) == [r.pk for r in reversed(made[:5])]
    assert client.get(f"{PAGE}?page=abc").status_code == 200  # a bad page number shows page 1
    assert _ids(client.get(f"{PAGE}?page=999").content.decode()) == _ids(last)


def test_cus4_change_requests_filter_by_state(requests_for, demo, actor_of, client):
    first, second, third = requests_for(3)
    officer = actor_of(demo["songyu"])
    actions.approve_change(officer, first)
    actions.reject_change(officer, second, "资料不实")
    client.force_login(demo["songyu"].user)
    assert _ids(client.get(PAGE).content.decode()) == [third.pk]  # pending by default
    approved = client.get(f"{PAGE}?state=approved").content.decode()
    assert _ids(approved) == [first.pk] and "已批准" in approved and "songyu" in approved
    assert "核实通过并生效" not in approved  # decided: no decision forms
    rejected = client.get(f"{PAGE}?state=rejected").content.decode()
    assert _ids(rejected) == [second.pk] and "资料不实" in rejected
    assert _ids(client.get(f"{PAGE}?state=all").content.decode()) == [third.pk, second.pk, first.pk]
    # page links keep the filter
    requests_for(25)
    assert 'href="?state=all&amp;page=2"' in client.get(f"{PAGE}?state=all").content.decode()


def test_cus4_bad_state_re_renders_with_a_bilingual_message(requests_for, demo, client, settings):
    (pending,) = requests_for(1)
    client.force_login(demo["songyu"].user)
    page = client.get(f"{PAGE}?state=bogus")
    body = page.content.decode()
    assert page.status_code == 200 and "alert-error" in body and "bogus" in body
    assert _ids(body) == [pending.pk] and "改为显示待核实的变更申请" in body
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"{PAGE}?state=bogus").content.decode()
    assert "Select a valid choice" in english and "Showing the pending change requests instead." in english


def test_cus4_change_requests_page_query_count_is_constant(requests_for, demo, client):
    requests_for(2)
    client.force_login(demo["songyu"].user)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    requests_for(30)
    client.get(PAGE)  # the session is renewed once after the clock moved
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(many) == len(few)


def test_cus4_change_requests_page_masks_personal_data_and_refuses_others(
    make_customer, demo, actor_of, client, frozen
):
    customer = make_customer(owner=demo["huanglei"], phone="13912345678")  # in 信息员 何梅's department
    actions.request_change(actor_of(demo["huanglei"]), customer, {"phone": "13655556666", "tier": "normal"})
    client.force_login(demo["hemei"].user)  # 信息员: verifies, but sees personal data masked
    body = client.get(PAGE).content.decode()
    assert "136****6666" in body and "13655556666" not in body and "手机号" in body and "普通" in body
    client.force_login(demo["huanglei"].user)
    assert client.get(PAGE).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302


def test_cus4_api_change_requests_by_state_paginated(requests_for, demo, actor_of, client):
    made = requests_for(7)
    actions.approve_change(actor_of(demo["songyu"]), made[0])
    client.force_login(demo["songyu"].user)
    body = client.get("/api/v1/customers/change-requests?limit=3").json()
    assert body["count"] == 6 and [i["id"] for i in body["items"]] == [r.pk for r in reversed(made[4:])]
    approved = client.get("/api/v1/customers/change-requests?state=approved").json()
    assert [i["id"] for i in approved["items"]] == [made[0].pk] and approved["items"][0][
        "state"
    ] == "approved"
    assert client.get("/api/v1/customers/change-requests?state=all").json()["count"] == 7
    bad = client.get("/api/v1/customers/change-requests?state=bogus")
    assert bad.status_code == 422 and "error" in bad.json()
    client.force_login(demo["huanglei"].user)
    assert client.get("/api/v1/customers/change-requests").status_code == 403
    assert ChangeRequest.objects.count() == 7
