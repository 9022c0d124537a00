"""Revisit API (FUP-1, FUP-2): plans, tasks and attempts under /api/v1/followups."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.customers.models import Customer
from kefu.followups.models import RevisitTask, TaskState

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, user):
        _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/followups{path}", **self.auth)

    def send(self, method, path, body):
        call = getattr(self.client, method)
        return call(
            f"/api/v1/followups{path}", json.dumps(body), content_type="application/json", **self.auth
        )


def test_plans_through_the_api(demo):  # FUP-1
    api = Api(demo["gaofeng"].user)
    body = {"unit_id": demo["gaofeng"].unit_id, "trigger": "resolution", "kinds": ["consultation"]}
    answer = api.send("put", "/plans", body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["unit_name"] == "华辰水务有限公司"
    assert [p["trigger"] for p in api.get("/plans").json()] == ["resolution"]
    bad = api.send("put", "/plans", {**body, "kinds": ["nope"]})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "followups_kinds"
    other = api.send("put", "/plans", {**body, "unit_id": demo["wangfang"].unit_id})
    assert other.status_code == 404


def test_tasks_and_attempts_through_the_api(demo, plan, open_case, resolve):  # FUP-1, FUP-2
    customer = Customer.objects.filter(unit__path__startswith=plan.unit.path).first()
    Customer.objects.filter(pk=customer.pk).update(no_third_party_contact=True, contact_window="")
    tasks = [
        RevisitTask.objects.get(case=resolve(open_case(customer=customer, title=f"第{i}件")))
        for i in range(3)
    ]
    api = Api(demo["zhengkai"].user)
    with CaptureQueriesContext(connection) as listed:
        answer = api.get("/tasks?mine=true")
    assert answer.json()["count"] == 3 and answer.json()["items"][0]["case_number"]
    assert len(listed) <= 12  # no query per row
    refused = api.send(
        "post", f"/tasks/{tasks[0].pk}/attempts", {"outcome": "unreachable", "third_party": True}
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "FUP-2.third_party"
    made = api.send("post", f"/tasks/{tasks[0].pk}/attempts", {"outcome": "unsatisfied", "words": "没修好"})
    assert made.status_code == 201 and made.json()["words"] == "没修好"
    detail = api.get(f"/tasks/{tasks[0].pk}").json()
    assert detail["state"] == TaskState.DONE and len(detail["attempts"]) == 1
    assert Api(demo["zhaomin"].user).get(f"/tasks/{tasks[0].pk}").status_code == 404
    typo = api.send("post", f"/tasks/{tasks[1].pk}/attempts", {"outcome": "satisfied", "wordz": "x"})
    assert typo.status_code in (400, 422)


def test_openapi_names_the_revisit_endpoints(client):  # FUP-1
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/followups/plans",
        "/api/v1/followups/tasks",
        "/api/v1/followups/tasks/{task_id}/attempts",
        "/api/v1/followups/campaigns",
        "/api/v1/followups/campaigns/{campaign_id}/launch",
        "/api/v1/followups/campaigns/{campaign_id}/report",
        "/api/v1/followups/reports/month",
        "/api/v1/followups/shipments",
    } <= set(paths)


def test_campaigns_and_reports_through_the_api(demo, frozen):  # FUP-1
    water = demo["gaofeng"].unit.parent
    Customer.objects.filter(unit__path__startswith=water.path).update(tier="key", contact_window="")
    api = Api(demo["gaofeng"].user)
    body = {"unit_id": water.pk, "name": "接口回访活动", "starts_on": "2026-03-01", "ends_on": "2026-03-31"}
    made = api.send("post", "/campaigns", {**body, "rule": {"tiers": ["key"]}})
    assert made.status_code == 201, made.content
    campaign = made.json()["id"]
    assert api.send("post", "/campaigns", {**body, "rule": {"nope": 1}}).status_code == 400
    launched = api.send("post", f"/campaigns/{campaign}/launch", {})
    opened = launched.json()["opened"]
    assert (
        launched.status_code == 200 and opened == RevisitTask.objects.filter(campaign_id=campaign).count() > 0
    )
    report = api.get(f"/campaigns/{campaign}/report").json()
    assert report["totals"]["total"] == opened and report["totals"]["open"] == opened
    assert report["officers"][0]["officer"] == "郑凯"
    month = api.get(f"/reports/month?unit_id={water.pk}&year=2026&month=3").json()
    assert month["totals"]["total"] == opened
    assert api.get(f"/reports/month?unit_id={water.pk}&year=2026&month=13").status_code in (400, 422)
    assert [c["name"] for c in api.get("/campaigns").json()] == ["接口回访活动"]
    other = Api(demo["wangfang"].user)  # 华辰置业's manager
    assert other.get(f"/campaigns/{campaign}/report").status_code == 404
    assert other.send("post", f"/campaigns/{campaign}/launch", {}).status_code == 404
