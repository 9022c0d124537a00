"""Customer care API (CARE-1…CARE-3) under /api/v1/followups: greeting campaigns, gift lists, events;
another subsidiary's records answer 404; the over-limit gift is refused with the clause; OpenAPI."""

import json
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.customers.models import Customer

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/followups{path}", **self.auth)

    def post(self, path, body=None):
        return self.client.post(
            f"/api/v1/followups{path}", json.dumps(body or {}), content_type="application/json", **self.auth
        )


@pytest.fixture
def september(frozen):
    clock.freeze(datetime(2026, 9, 1, 1, 0, tzinfo=UTC))


def test_greeting_campaigns_through_the_api(demo, september):  # CARE-1
    water = demo["gaofeng"].unit.parent
    api = Api(demo["gaofeng"].user)
    body = {
        "unit_id": water.pk,
        "occasion": "zhongqiu",
        "year": 2026,
        "channel": "sms",
        "message": "中秋快乐",
    }
    created = api.post("/greetings", body)
    assert created.status_code == 201, created.content
    campaign = created.json()
    assert campaign["occasion_on"] == "2026-09-25" and campaign["state"] == "planned"
    assert api.post("/greetings", body).status_code == 409  # one per occasion and year
    started = api.post(f"/greetings/{campaign['id']}/start")
    assert started.status_code == 200 and started.json()["state"] == "running"
    detail = api.get(f"/greetings/{campaign['id']}").json()
    assert detail["counts"]["planned"] > 0 and detail["counts"]["late"] == 0
    assert api.get(f"/greetings/{campaign['id']}/deliveries").status_code == 200
    other = Api(demo["wangfang"].user)
    assert other.get(f"/greetings/{campaign['id']}").status_code == 404
    assert other.post(f"/greetings/{campaign['id']}/start").status_code == 404
    assert other.post("/greetings", body).status_code == 404  # not her subsidiary
    assert other.get("/greetings").json()["items"] == []


def test_gift_lists_through_the_api(demo, september):  # CARE-2
    water = demo["gaofeng"].unit.parent
    api = Api(demo["zhengkai"].user)
    created = api.post("/gifts", {"unit_id": water.pk, "occasion": "zhongqiu", "year": 2026})
    assert created.status_code == 201, created.content
    gift_list = created.json()["id"]
    customer = Customer.objects.filter(unit__path__startswith=water.path).first()
    over = api.post(
        f"/gifts/{gift_list}/items", {"customer_id": customer.pk, "gift": "茶叶", "price": "200.01"}
    )
    assert over.status_code == 400
    assert over.json()["error"]["code"] == "CARE-2.over_limit"
    assert "价格200元以内" in over.json()["error"]["messages"]["zh-hans"]
    added = api.post(
        f"/gifts/{gift_list}/items", {"customer_id": customer.pk, "gift": "茶叶", "price": "128.5"}
    )
    assert added.status_code == 201 and added.json()["price"] == "128.50"
    assert api.post(f"/gifts/{gift_list}/submit").json()["state"] == "pending"
    decided = Api(demo["gaofeng"].user).post(f"/gifts/{gift_list}/decision", {"decision": "approve"})
    assert decided.status_code == 200 and decided.json()["state"] == "approved"
    item = api.get(f"/gifts/{gift_list}").json()["items"][0]
    issued = api.post(f"/gifts/items/{item['id']}/issue")
    assert issued.status_code == 200 and issued.json()["issued_by_id"] == demo["zhengkai"].pk
    assert Api(demo["wangfang"].user).get(f"/gifts/{gift_list}").status_code == 404


def test_events_through_the_api(demo, september):  # CARE-3
    water = demo["gaofeng"].unit.parent
    api = Api(demo["zhengkai"].user)
    body = {"unit_id": water.pk, "title": "中秋茶话会", "place": "营业厅", "starts_on": "2026-09-19"}
    created = api.post("/events", body)
    assert created.status_code == 201, created.content
    event = created.json()
    assert event["ends_on"] == "2026-09-20"
    invited = api.post(f"/events/{event['id']}/invite").json()
    assert invited["invited"] > 0
    invitation = api.get(f"/events/{event['id']}").json()["invitations"][0]
    answered = api.post(f"/events/invitations/{invitation['id']}", {"rsvp": "yes"})
    assert answered.status_code == 200 and answered.json()["rsvp"] == "yes"
    assert api.get(f"/events/{event['id']}").json()["coming"] == 1
    assert Api(demo["wangfang"].user).get(f"/events/{event['id']}").status_code == 404
    assert api.get("/events/gaps").status_code == 200


def test_the_care_endpoints_are_in_openapi(demo):  # CARE-1 CARE-2 CARE-3
    schema = Client().get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    for path in (
        "/api/v1/followups/greetings",
        "/api/v1/followups/greetings/{campaign_id}",
        "/api/v1/followups/gifts/{list_id}/items",
        "/api/v1/followups/gifts/{list_id}/decision",
        "/api/v1/followups/events/{event_id}/invite",
    ):
        assert path in paths, path


def test_the_care_lists_cost_the_same_statements_for_more_rows(demo, september):  # CARE-1 CARE-2 CARE-3
    water = demo["gaofeng"].unit.parent
    api = Api(demo["gaofeng"].user)
    counted = {}
    for occasion in ("zhongqiu", "chunjie", "yuanxiao"):
        year = 2026 if occasion == "zhongqiu" else 2027
        api.post(
            "/greetings",
            {"unit_id": water.pk, "occasion": occasion, "year": year, "channel": "sms", "message": "您好"},
        )
        api.post("/gifts", {"unit_id": water.pk, "occasion": occasion, "year": year})
        api.post(
            "/events",
            {"unit_id": water.pk, "title": f"活动{occasion}", "place": "营业厅", "starts_on": "2026-09-19"},
        )
        for path in ("/greetings", "/gifts", "/events"):
            with CaptureQueriesContext(connection) as run:
                assert api.get(path).status_code == 200
            counted.setdefault(path, []).append(len(run))
    for path, counts in counted.items():
        assert counts[0] == counts[-1], (path, counts)  # no query per row
