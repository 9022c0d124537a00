"""The leave pages (LV-1, LV-4, LV-5): the request form shows what remains of the quota; the approver
decides on the request's page; the team calendar lists the leave and who takes cases now."""

from django.test import Client

from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.workforce.models import LeaveRequest, LeaveState


def login(demo, who):
    client = Client()
    client.force_login(demo[who].user)
    return client


class Api:
    def __init__(self, user):
        _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path):
        return self.client.get(f"/api/v1/workforce{path}", **self.auth)

    def post(self, path, body):
        return self.client.post(
            f"/api/v1/workforce{path}", body, content_type="application/json", **self.auth
        )


def test_request_approve_and_calendar(demo, frozen):  # LV-1, LV-3, LV-4
    zhaomin = login(demo, "zhaomin")
    page = zhaomin.get("/leave/").content.decode()
    assert "带薪休息剩余额度" in page and "剩余1天" in page
    bad = zhaomin.post("/leave/", {"kind": "rest", "starts_on": "2026-03-04", "ends_on": "2026-03-05"})
    assert bad.status_code == 400
    answer = zhaomin.post(
        "/leave/",
        {
            "kind": "rest",
            "starts_on": "2026-03-04",
            "ends_on": "2026-03-05",
            "reason": "家中有事",
            "arrangement": "交孙丽",
            "substitute": demo["sunli"].pk,
        },
    )
    assert answer.status_code == 302
    leave = LeaveRequest.objects.get(employee=demo["zhaomin"])
    assert login(demo, "lvxin").get(f"/leave/{leave.pk}/").status_code == 404
    lina = login(demo, "lina")
    assert "提交审批意见" in lina.get(f"/leave/{leave.pk}/").content.decode()
    lina.post(f"/leave/{leave.pk}/", {"decision": "approve"})
    leave.refresh_from_db()
    assert leave.state == LeaveState.APPROVED
    calendar = lina.get("/leave/team/?start=2026-03-02").content.decode()
    assert "赵敏" in calendar and "当前谁在接单" in calendar
    assert login(demo, "zhaomin").get("/leave/team/").status_code == 403


def test_leave_api(demo, frozen):  # LV-1, LV-4
    zhaomin = Api(demo["zhaomin"].user)
    quota = zhaomin.get("/leave/quota").json()
    assert quota["left_quarter"] == "1" or float(quota["left_quarter"]) == 1
    made = zhaomin.post(
        "/leave",
        {
            "kind": "leave",
            "starts_on": "2026-03-04",
            "ends_on": "2026-03-04",
            "reason": "看病",
            "arrangement": "无",
        },
    )
    assert made.status_code == 201, made.content
    refused = zhaomin.post(
        "/leave",
        {
            "kind": "leave",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-01",
            "reason": "看病",
            "arrangement": "无",
        },
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "leave_not_in_advance"
    assert zhaomin.get("/leave").json()["count"] == 1
    team = Api(demo["lina"].user).get("/availability").json()
    assert {row["name"] for row in team} >= {"赵敏", "孙丽"}
