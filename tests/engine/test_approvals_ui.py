"""My approvals page and API (WF-4), on the toy ticket's compensation chain."""

import pytest

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.engine.workflow import actions
from kefu.engine.workflow.models import ApprovalStep
from kefu.org.access import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_step(demo, new_ticket):
    zhaomin = actor_for(demo["zhaomin"].user, origin="test")
    ticket = actions.transition(zhaomin, new_ticket(), "submit", data={"title": "漏水"})
    ticket = actions.transition(zhaomin, ticket, "resolve", data={"answer": "已修复"})
    actions.transition(zhaomin, ticket, "request_compensation", data={"compensation": "120"})
    return ApprovalStep.objects.get(status="pending")


def test_the_approver_sees_and_decides_on_the_page(client, demo, pending_step):  # WF-4
    client.force_login(demo["lina"].user)
    page = client.get("/approvals/").content.decode()
    assert "漏水" in page and "主管审批" in page
    response = client.post(f"/approvals/{pending_step.pk}/decide/", {"decision": "reject", "reason": ""})
    assert response.status_code == 302
    pending_step.refresh_from_db()
    assert pending_step.status == "pending"  # a rejection without a reason is refused
    client.post(f"/approvals/{pending_step.pk}/decide/", {"decision": "approve", "reason": ""})
    pending_step.refresh_from_db()
    assert pending_step.status == "approved"


def test_others_see_nothing_and_cannot_decide(client, demo, pending_step):  # WF-4
    client.force_login(demo["sunli"].user)
    assert "漏水" not in client.get("/approvals/").content.decode()
    assert client.post(f"/approvals/{pending_step.pk}/decide/", {"decision": "approve"}).status_code == 404


def test_approvals_api(client, demo, pending_step):  # WF-4
    lina = demo["lina"].user
    _, token = create_token(Actor(user=lina, origin="test"), user=lina, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    listed = client.get("/api/v1/approvals/pending", **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == pending_step.pk
    bad = client.post(
        f"/api/v1/approvals/steps/{pending_step.pk}/decide",
        {"decision": "return"},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "WF-4.reason_required"
    done = client.post(
        f"/api/v1/approvals/steps/{pending_step.pk}/decide",
        {"decision": "approve"},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200 and done.json()["status"] == "approved"
