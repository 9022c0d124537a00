"""Customer-process report pages and API (CLM-11): list in scope with 待审核, submit form, review,
assignment, feedback and archive with who/when, permission refusals and the error envelope."""

import pytest
from django.test import Client

from kefu.claims import actions
from kefu.claims.models import ProcessReport, ReportState
from kefu.engine.notifications.models import Notification

from .test_api import bearer

pytestmark = pytest.mark.django_db

REPORT = {"customer_name": "王女士", "contact": "13600001111", "needs": "三居室，预算 300 万"}


def login(demo, username) -> Client:
    client = Client()
    client.force_login(demo[username].user)
    return client


@pytest.fixture
def report(demo, act, frozen):
    return actions.submit_report(act("huanglei"), **REPORT)


def test_clm11_salesperson_submits_and_sees_only_own(demo, frozen, wuqiang):
    client = login(demo, "huanglei")
    assert "/claims/reports/" in client.get("/claims/").content.decode()  # link from 我的报备
    assert client.get("/claims/reports/new/").status_code == 200
    bad = client.post("/claims/reports/new/", {**REPORT, "contact": " "})
    body = bad.content.decode()
    assert (
        bad.status_code == 400
        and "请填写客户姓名、联系方式和需求" in body
        and "contact and needs are required" not in body
    )
    assert 'value="王女士"' in body and "三居室，预算 300 万" in body  # the input is kept
    done = client.post("/claims/reports/new/", REPORT)
    report = ProcessReport.objects.get(customer_name="王女士")
    assert done.status_code == 302 and done["Location"] == f"/claims/reports/{report.pk}/"
    page = client.get(done["Location"]).content.decode()
    assert "13600001111" in page and "已提交" in page and 'id="review-form"' not in page
    assert "王女士" in client.get("/claims/reports/").content.decode()
    other = login(demo, "wuqiang")  # a colleague of the same team
    assert "王女士" not in other.get("/claims/reports/").content.decode()
    assert other.get(f"/claims/reports/{report.pk}/").status_code == 404


def test_clm11_supervisor_reviews_and_assigns(demo, report):
    heping = login(demo, "heping")
    pending = heping.get("/claims/reports/", {"view": "pending"}).content.decode()
    assert "王女士" in pending and 'id="view-pending"' in pending
    page = heping.get(f"/claims/reports/{report.pk}/").content.decode()
    assert 'id="review-form"' in page
    url = f"/claims/reports/{report.pk}/"
    no_verdict = heping.post(url + "review/", {"note": "电话核实"})
    assert no_verdict.status_code == 400 and "请选择审核结果" in no_verdict.content.decode()
    no_note = heping.post(url + "review/", {"genuine": "no", "note": ""})
    body = no_note.content.decode()
    assert (
        no_note.status_code == 400 and "审核不属实时须填写说明" in body and "not genuine (CLM-11)" not in body
    )
    assert 'value="no" checked' in body
    assert heping.post(url + "review/", {"genuine": "yes", "note": "电话核实属实"}).status_code == 302
    page = heping.get(url).content.decode()
    assert 'id="assign-form"' in page and "林晓" in page  # the department's people
    bad = heping.post(url + "assign/", {"assignee": "abc"})
    assert bad.status_code == 400 and "请选择员工" in bad.content.decode()
    assert heping.post(url + "assign/", {"assignee": str(demo["linxiao"].pk)}).status_code == 302
    told = Notification.objects.get(
        template="claims.report_assigned", recipient=demo["linxiao"].user, link=url
    )
    assert "王女士" in told.subject and told.link == url

    linxiao = login(demo, "linxiao")  # the assignee (no claim permission of her own)
    assert linxiao.get("/claims/reports/", {"view": "assigned"}).status_code == 200
    assert 'id="feedback-form"' in linxiao.get(url).content.decode()
    empty = linxiao.post(url + "feedback/", {"feedback": "  "})
    assert empty.status_code == 400 and "请填写跟进反馈" in empty.content.decode()
    assert linxiao.post(url + "feedback/", {"feedback": "已电话联系，约周六看房"}).status_code == 302
    assert linxiao.post(url + "archive/").status_code == 403  # only the supervisor archives
    assert heping.post(url + "archive/").status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ARCHIVED and report.assignee == demo["linxiao"]
    story = heping.get(url).content.decode().split('id="report-story"')[1]
    for label, who in (
        ("提交", "黄磊"),
        ("审核属实", "何平"),
        ("分派跟进人", "何平"),
        ("记录沟通与反馈", "林晓"),
        ("归档", "何平"),
    ):
        assert label in story and who in story
    assert "2026-03-02 10:00" in story  # when, in Beijing time


def test_clm11_not_genuine_with_a_note(demo, report):
    heping = login(demo, "heping")
    url = f"/claims/reports/{report.pk}/"
    assert heping.post(url + "review/", {"genuine": "no", "note": "电话空号"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.REJECTED and report.review_note == "电话空号"
    page = heping.get(url).content.decode()
    assert "电话空号" in page and 'id="assign-form"' not in page


def test_clm11_page_refusals(demo, report):
    url = f"/claims/reports/{report.pk}/"
    owner = login(demo, "huanglei")
    assert owner.post(url + "review/", {"genuine": "yes"}).status_code == 403  # not one's own report
    assert owner.post(url + "assign/", {"assignee": str(demo["huanglei"].pk)}).status_code == 403
    outsider = login(demo, "zhaomin")  # no claim permission, nothing to do with the report
    assert outsider.get("/claims/reports/").status_code == 403
    assert outsider.get("/claims/reports/new/").status_code == 403
    assert outsider.get(url).status_code == 404
    assert outsider.post(url + "review/", {"genuine": "yes"}).status_code == 404
    heping = login(demo, "heping")
    early = heping.post(url + "archive/")
    assert early.status_code == 409 and "归档" in early.content.decode()  # not in the state for it
    assert heping.get(url + "review/").status_code == 405
    assert login(demo, "majun").get(url).status_code == 200  # 行政部 in scope


def test_clm11_api_flow_and_envelopes(demo, frozen):
    client = Client()
    huanglei, heping, linxiao = (bearer(demo[u].user) for u in ("huanglei", "heping", "linxiao"))
    base = "/api/v1/claims/process-reports"

    def post(url, body, who):
        return client.post(url, body, content_type="application/json", **who)

    bad = post(base, {**REPORT, "needs": ""}, huanglei)
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "claim_report_incomplete"
    assert post(base, {**REPORT, "extra": 1}, huanglei).status_code == 422
    created = post(base, REPORT, huanglei)
    assert created.status_code == 201 and created.json()["state"] == "submitted"
    rid = created.json()["id"]
    assert created.json()["history"][0]["who"] == "黄磊"
    pending = client.get(base, {"view": "pending"}, **heping).json()
    assert [r["id"] for r in pending["items"]] == [rid]
    assert client.get(base, {"view": "pending"}, **huanglei).json()["count"] == 0  # not one's own
    assert client.get(base, {"view": "bogus"}, **huanglei).status_code == 422
    denied = post(f"{base}/{rid}/review", {"genuine": True}, huanglei)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    assert post(f"{base}/{rid}/review", {"genuine": False, "note": ""}, heping).status_code == 400
    reviewed = post(f"{base}/{rid}/review", {"genuine": True, "note": "属实"}, heping)
    assert reviewed.status_code == 200 and reviewed.json()["state"] == "verified"
    outside = post(f"{base}/{rid}/assign", {"employee_id": demo["lvxin"].pk}, heping)  # 水务's employee
    assert outside.status_code == 400 and outside.json()["error"]["code"] == "claim_report_assignee_company"
    assert post(f"{base}/{rid}/assign", {"employee_id": 2**70}, heping).status_code == 422
    assigned = post(f"{base}/{rid}/assign", {"employee_id": demo["linxiao"].pk}, heping)
    assert assigned.status_code == 200 and assigned.json()["assignee"] == "林晓"
    early = post(f"{base}/{rid}/archive", {}, heping)
    assert early.status_code == 409 and early.json()["error"]["code"] == "CLM-11.illegal_transition"
    noted = post(f"{base}/{rid}/feedback", {"text": "客户改为两居室"}, linxiao)
    assert noted.status_code == 200 and "两居室" in noted.json()["feedback"]
    done = post(f"{base}/{rid}/archive", {}, heping)
    assert done.status_code == 200 and done.json()["state"] == "archived"
    assert [s["who"] for s in done.json()["history"]] == ["黄磊", "何平", "何平", "林晓", "何平"]
    assert client.get(f"{base}/{rid}", **bearer(demo["zhaomin"].user)).status_code == 404
    assert client.get(f"{base}/{rid}", **linxiao).json()["contact"] == "13600001111"
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for suffix in (
        "",
        "/{report_id}",
        "/{report_id}/review",
        "/{report_id}/assign",
        "/{report_id}/feedback",
        "/{report_id}/archive",
    ):
        assert base + suffix in paths


def test_clm11_report_list_has_no_n_plus_one(demo, act, frozen, django_assert_max_num_queries):
    for n in range(6):
        actions.submit_report(act("huanglei"), customer_name=f"客户{n}", contact="微信 k{n}", needs="咨询")
    client = Client()
    auth = bearer(demo["heping"].user)
    client.get("/api/v1/claims/process-reports", **auth)  # the process reads its configuration once
    with django_assert_max_num_queries(12):
        answer = client.get("/api/v1/claims/process-reports", **auth)
    assert answer.status_code == 200 and answer.json()["count"] >= 6
