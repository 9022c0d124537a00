"""The handling API: closure report, compensation, staff-caused, root cause, recurrences and
handoffs (CASE-4, CASE-5, CASE-7, CASE-8, WF-4); bad input answers a bilingual 4xx."""

from datetime import timedelta

import pytest
from django.test import Client

from kefu.cases.models import Comment
from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.engine.workflow.actions import verdicts
from kefu.engine.workflow.models import ApprovalStep, StepStatus
from kefu.org.models import Unit


def _bearer(user) -> dict:
    _, token = create_token(Actor(user=user, origin="test"), user=user, name="t")
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def api(demo, groups, frozen):
    class Caller:
        def __init__(self, username):
            self.client, self.auth = Client(), _bearer(demo[username].user)

        def get(self, path, params=None):
            return self.client.get(f"/api/v1/cases{path}", params or {}, **self.auth)

        def post(self, path, body=None):
            return self.client.post(
                f"/api/v1/cases{path}", body or {}, content_type="application/json", **self.auth
            )

    return Caller


def _error(response, status):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] and error["messages"]["zh-hans"] and error["messages"]["en"]
    return error


REPORT = {
    "solution_type": "compensate",
    "solution": "赔偿并致歉",
    "time_spent_minutes": 120,
    "preventive_measures": "派工当日完成",
    "satisfaction": "satisfied",
}


def test_case4_wf4_report_and_compensation_over_the_api(api, proposed_complaint, act, demo):  # CASE-4, WF-4
    wujing = api("wujing")
    _error(wujing.get(f"/{proposed_complaint.pk}/closure-report"), 404)
    refused = _error(wujing.post(f"/{proposed_complaint.pk}/closure-report", REPORT), 400)
    assert refused["code"] == "case_compensation_not_approved"
    _error(wujing.post(f"/{proposed_complaint.pk}/compensations", {"amount": "-1", "description": "x"}), 422)
    _error(wujing.post(f"/{proposed_complaint.pk}/compensations", {"amount": "NaN", "description": "x"}), 422)
    made = wujing.post(
        f"/{proposed_complaint.pk}/compensations", {"amount": "8000", "description": "整体更换"}
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["state"] == "pending" and [s["name"] for s in body["steps"]] == ["cs_manager", "leadership"]
    for username in ("wangfang", "liuyang"):
        step = ApprovalStep.objects.get(
            request__object_id=str(body["id"]), status=StepStatus.PENDING, approvers=demo[username].user
        )
        verdicts.decide(act(username), step.pk, "approve")
    listed = wujing.get(f"/{proposed_complaint.pk}/compensations").json()
    assert listed[0]["state"] == "approved" and listed[0]["approval_status"] == "approved"
    written = wujing.post(f"/{proposed_complaint.pk}/closure-report", REPORT)
    assert written.status_code == 200, written.content
    assert wujing.get(f"/{proposed_complaint.pk}/closure-report").json()["solution_type"] == "compensate"
    _error(wujing.post(f"/{proposed_complaint.pk}/closure-report", {**REPORT, "time_spent_minutes": 0}), 422)
    _error(api("zhaomin").post(f"/{proposed_complaint.pk}/closure-report", REPORT), 404)  # not in her scope
    _error(api("lvxin").get(f"/{proposed_complaint.pk}/compensations"), 404)


def test_case5_case7_over_the_api(api, proposed_complaint, demo):  # CASE-5, CASE-7
    wujing = api("wujing")
    marked = wujing.post(
        f"/{proposed_complaint.pk}/staff-caused", {"responsible_id": demo["lina"].pk, "cause": "skill"}
    )
    assert marked.status_code == 200 and marked.json()["staff_verified"] is None
    _error(
        wujing.post(f"/{proposed_complaint.pk}/staff-caused", {"responsible_id": 999999, "cause": "skill"}),
        400,
    )
    _error(wujing.post(f"/{proposed_complaint.pk}/staff-caused", {"responsible_id": 1, "cause": "mood"}), 422)
    accused = _error(
        api("lina").post(f"/{proposed_complaint.pk}/staff-caused/verify", {"verified": True, "note": "x"}),
        403,
    )
    assert accused["code"] == "case_staff_verify_accused"
    verified = api("wangfang").post(
        f"/{proposed_complaint.pk}/staff-caused/verify", {"verified": True, "note": "录音"}
    )
    assert verified.json()["staff_verified"] is True
    body = {"root_cause": "派工慢", "corrective_action": "当日派工", "category": "维修", "product": "云栖府"}
    assert wujing.post(f"/{proposed_complaint.pk}/root-cause", body).json()["recurrence_of"] is None
    _error(wujing.post(f"/{proposed_complaint.pk}/root-cause", {**body, "root_cause": " "}), 400)
    report = api("wangfang").get("/recurrences", {"since": "2026-01-01"})
    assert report.status_code == 200 and report.json() == {"groups": [], "cases": []}
    _error(api("wangfang").get("/recurrences", {"since": "yesterday"}), 422)


def test_case8_handoff_over_the_api(api, water_case, django_assert_max_num_queries):  # CASE-8
    tech = Unit.objects.get(code="water-tech")
    lvxin, xuhao = api("lvxin"), api("xuhao")
    _error(lvxin.post(f"/{water_case.pk}/handoffs", {"unit_id": water_case.unit_id, "request": "x"}), 400)
    _error(lvxin.post(f"/{water_case.pk}/handoffs", {"unit_id": 0, "request": "x"}), 422)
    sent = lvxin.post(f"/{water_case.pk}/handoffs", {"unit_id": tech.pk, "request": "请排查管网"})
    assert sent.status_code == 201, sent.content
    hid = sent.json()["id"]
    for _ in range(3):
        lvxin.post(f"/{water_case.pk}/handoffs", {"unit_id": tech.pk, "request": "再报一次"})
    with django_assert_max_num_queries(12):
        inbox = xuhao.get("/handoffs", {"unit": tech.pk})
    assert inbox.status_code == 200 and inbox.json()["count"] == 4
    assert api("zhaomin").get("/handoffs").json()["count"] == 0
    _error(xuhao.get("/handoffs", {"state": "lost"}), 422)
    _error(api("zhaomin").post(f"/handoffs/{hid}/acknowledge"), 404)
    _error(xuhao.post(f"/handoffs/{hid}/solve", {"solution": "x"}), 409)
    assert xuhao.post(f"/handoffs/{hid}/acknowledge").json()["state"] == "acknowledged"
    assert xuhao.post(f"/handoffs/{hid}/clarify", {"question": "哪栋楼？"}).json()["state"] == "clarifying"
    _error(xuhao.post(f"/handoffs/{hid}/answer-clarification", {"clarification": "x"}), 403)
    assert lvxin.post(f"/handoffs/{hid}/answer-clarification", {"clarification": "3 号楼"}).status_code == 200
    past = (clock.now() - timedelta(hours=1)).isoformat()
    _error(xuhao.post(f"/handoffs/{hid}/defer", {"reason": "配件在途", "expected_at": past}), 400)
    deferred = xuhao.post(
        f"/handoffs/{hid}/defer", {"reason": "配件在途", "expected_at": "2026-03-04T17:00:00"}
    )
    assert deferred.status_code == 200 and deferred.json()["state"] == "deferred"
    told = Comment.objects.get(case=water_case, public=True).body
    assert "配件在途" in told and "2026-03-04 17:00" in told
    assert xuhao.post(f"/handoffs/{hid}/solve", {"solution": "已更换"}).status_code == 200
    closed = xuhao.post(f"/handoffs/{hid}/close", {"report": "更换加压泵"})
    assert closed.json()["state"] == "closed"
    assert lvxin.get(f"/{water_case.pk}/handoffs").json()[0]["id"] == hid


def test_case4_compensation_list_query_count_is_constant(
    api, proposed_complaint, act, demo, django_assert_max_num_queries
):  # CASE-4, WF-4
    from kefu.cases.actions import complaints as actions_complaints

    for amount in (100, 200, 300):
        made = actions_complaints.request_compensation(act("wujing"), proposed_complaint, amount, "补偿")
        step = ApprovalStep.objects.get(request__object_id=str(made.pk), status=StepStatus.PENDING)
        verdicts.decide(act("wangfang"), step.pk, "reject", reason="不予赔偿")
    wujing = api("wujing")
    wujing.get(f"/{proposed_complaint.pk}/compensations")  # the token's first use notes it (SEC-10), once
    with django_assert_max_num_queries(12):
        listed = wujing.get(f"/{proposed_complaint.pk}/compensations")
    assert [c["state"] for c in listed.json()] == ["rejected"] * 3


def test_case8_inbox_page_query_count_is_constant(
    water_case, act, demo, django_assert_max_num_queries
):  # CASE-8
    from kefu.cases.actions import handoffs as actions_handoffs

    tech = Unit.objects.get(code="water-tech")
    for n in range(5):
        actions_handoffs.send(act("lvxin"), water_case, tech, f"报备 {n}")
    client = Client()
    client.force_login(demo["xuhao"].user)
    with django_assert_max_num_queries(25):
        page = client.get("/cases/handoffs/")
    assert page.status_code == 200 and page.content.decode().count('id="handoff-') >= 5
