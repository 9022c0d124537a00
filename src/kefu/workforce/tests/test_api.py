"""WFM-1 over the API (/api/v1/workforce): templates, coverage, draft, advance with the gap
confirmation, comments, my shifts, the feed link, a change request and its approval; errors as
{"error": …} with 4xx."""

import json

from django.test import Client

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.workforce.tests.conftest import NEXT_MONDAY, NEXT_SUNDAY


class Api:
    def __init__(self, user):
        _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/workforce{path}", **self.auth)

    def send(self, method, path, body):
        call = getattr(self.client, method)
        return call(
            f"/api/v1/workforce{path}", json.dumps(body), content_type="application/json", **self.auth
        )


def test_rota_over_the_api(hotline, demo):  # WFM-1
    chenjie, zhaomin = Api(demo["chenjie"].user), Api(demo["zhaomin"].user)
    templates = chenjie.get(f"/teams/{hotline.pk}/templates").json()
    assert [t["code"] for t in templates] == ["night", "early", "middle"]
    assert next(t for t in templates if t["code"] == "middle")["crosses_midnight"] is True
    early = next(t for t in templates if t["code"] == "early")
    rule = chenjie.send(
        "put", "/coverage", {"template_id": early["id"], "day_kind": "weekday", "min_staff": 1}
    )
    assert rule.status_code == 200
    bad = chenjie.send(
        "put",
        "/coverage",
        {"template_id": early["id"], "day_kind": "weekday", "min_staff": 1, "min_skilled": 2},
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "workforce_coverage"
    off = {str(demo["sunli"].pk): [NEXT_MONDAY.isoformat()]}
    drafted = chenjie.send(
        "post",
        "/rotas",
        {
            "unit_id": hotline.pk,
            "starts_on": str(NEXT_MONDAY),
            "ends_on": str(NEXT_SUNDAY),
            "unavailable": off,
        },
    )
    assert drafted.status_code == 201
    rota = drafted.json()
    assert rota["state"] == "draft" and sum(g["missing"] for g in rota["gaps"]) == 1
    assert (
        zhaomin.send(
            "post",
            "/rotas",
            {"unit_id": hotline.pk, "starts_on": str(NEXT_MONDAY), "ends_on": str(NEXT_SUNDAY)},
        ).status_code
        == 404  # the team is not in her rota scope: no existence leak
    )
    assert chenjie.send("post", f"/rotas/{rota['id']}/advance", {}).json()["state"] == "feedback"
    assert zhaomin.send("post", f"/rotas/{rota['id']}/comments", {"text": "周五想上中班"}).status_code == 201
    assert chenjie.send("post", f"/rotas/{rota['id']}/advance", {}).json()["state"] == "final"
    refused = chenjie.send("post", f"/rotas/{rota['id']}/advance", {})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "workforce_rota_gaps"
    published = chenjie.send("post", f"/rotas/{rota['id']}/advance", {"confirm_gaps": True})
    assert published.json()["state"] == "published"
    mine = zhaomin.get("/my/shifts").json()
    assert mine and all(s["employee_id"] == demo["zhaomin"].pk for s in mine)
    feed = zhaomin.send("post", "/my/feed", {})
    assert feed.status_code == 201 and feed.json()["url"].endswith(".ics")
    change = zhaomin.send(
        "post", "/changes", {"shift_id": mine[0]["id"], "colleague_id": demo["lina"].pk, "reason": "家中有事"}
    )
    assert change.status_code == 201
    lina = Api(demo["lina"].user)
    # in a 3-person 24×7 rota 李娜 works every day: one more shift leaves her too little rest (WFM-1)
    refused = lina.send("post", f"/changes/{change.json()['id']}/decide", {"approve": True})
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "workforce_rest_between_shifts"
    decided = lina.send("post", f"/changes/{change.json()['id']}/decide", {"approve": False})
    assert decided.status_code == 200 and decided.json()["state"] == "rejected"
    assert Api(demo["lvxin"].user).get(f"/rotas/{rota['id']}").status_code == 404
