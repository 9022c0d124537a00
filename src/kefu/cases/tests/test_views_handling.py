"""Handling pages: the panels' forms, refusals re-rendered bilingually with the input kept, the
department's 报备 inbox (CASE-4, CASE-5, CASE-7, CASE-8, WF-4)."""

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.models import ClosureReport, Comment, Compensation, HandoffState
from kefu.org.models import Unit


@pytest.fixture
def browser(demo):
    def make(username):
        client = Client()
        client.force_login(demo[username].user)
        return client

    return make


REPORT = {
    "solution_type": "apologise",
    "solution": "致歉",
    "time_spent_minutes": "30",
    "resources": "",
    "preventive_measures": "培训",
    "satisfaction": "satisfied",
}


def test_case4_forms_on_the_handling_page(browser, proposed_complaint):  # CASE-4, WF-4
    wujing = browser("wujing")
    page = wujing.get(f"/cases/{proposed_complaint.pk}/handling/")
    assert page.status_code == 200
    html = page.content.decode()
    for form in (
        "closure-report-form",
        "compensation-form",
        "staff-caused-form",
        "root-cause-form",
        "handoff-form",
    ):
        assert f'id="{form}"' in html
    assert 'href="/approvals/"' in html
    refused = wujing.post(
        f"/cases/{proposed_complaint.pk}/closure-report/", {**REPORT, "solution_type": "compensate"}
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "已批准的赔偿" in body and "approved compensation" not in body and "培训" in body  # input kept
    saved = wujing.post(f"/cases/{proposed_complaint.pk}/closure-report/", REPORT)
    assert saved.status_code == 302 and saved["Location"] == f"/cases/{proposed_complaint.pk}/"
    assert ClosureReport.objects.get(case=proposed_complaint).preventive_measures == "培训"
    bad = wujing.post(f"/cases/{proposed_complaint.pk}/compensations/", {"amount": "abc", "description": "x"})
    assert bad.status_code == 400 and "赔偿金额" in bad.content.decode()
    made = wujing.post(
        f"/cases/{proposed_complaint.pk}/compensations/", {"amount": "300", "description": "补偿"}
    )
    assert made.status_code == 302 and Compensation.objects.filter(case=proposed_complaint).count() == 1
    shown = wujing.get(f"/cases/{proposed_complaint.pk}/handling/").content.decode()
    assert "客服经理审批" in shown


def test_case5_case7_forms(browser, proposed_complaint, demo):  # CASE-5, CASE-7
    wujing = browser("wujing")
    marked = wujing.post(
        f"/cases/{proposed_complaint.pk}/staff-caused/",
        {"responsible": str(demo["lina"].pk), "cause": "attitude"},
    )
    assert marked.status_code == 302
    assert (
        'id="verify-form"'
        not in browser("lina").get(f"/cases/{proposed_complaint.pk}/handling/").content.decode()
    )
    accused = browser("lina").post(
        f"/cases/{proposed_complaint.pk}/staff-caused/verify/", {"verified": "yes", "note": "x"}
    )
    assert accused.status_code == 403
    assert (
        'id="verify-form"'
        in browser("wangfang").get(f"/cases/{proposed_complaint.pk}/handling/").content.decode()
    )
    done = browser("wangfang").post(
        f"/cases/{proposed_complaint.pk}/staff-caused/verify/", {"verified": "yes", "note": "录音"}
    )
    assert done.status_code == 302
    proposed_complaint.refresh_from_db()
    assert proposed_complaint.staff_verified is True
    missing = wujing.post(
        f"/cases/{proposed_complaint.pk}/root-cause/", {"root_cause": "", "corrective_action": "x"}
    )
    assert missing.status_code == 400
    ok = wujing.post(
        f"/cases/{proposed_complaint.pk}/root-cause/",
        {"root_cause": "派工慢", "corrective_action": "当日派工", "category": "维修", "product": "A"},
    )
    assert ok.status_code == 302
    assert browser("wangfang").get("/cases/recurrences/").status_code == 200


def test_case8_inbox_page_and_steps(browser, water_case):  # CASE-8
    case = water_case
    tech = Unit.objects.get(code="water-tech")
    lvxin = browser("lvxin")
    nobody = lvxin.post(f"/cases/{case.pk}/handoffs/", {"unit": "", "request": "请排查"})
    assert nobody.status_code == 400 and "请选择另一个部门" in nobody.content.decode()
    assert (
        lvxin.post(f"/cases/{case.pk}/handoffs/", {"unit": str(tech.pk), "request": "请排查"}).status_code
        == 302
    )
    handoff = case.handoffs.get()
    xuhao = browser("xuhao")
    inbox = xuhao.get("/cases/handoffs/", {"unit": str(tech.pk)})
    assert inbox.status_code == 200 and f'id="handoff-{handoff.pk}-acknowledge"' in inbox.content.decode()
    assert f'id="handoff-{handoff.pk}"' not in browser("zhaomin").get("/cases/handoffs/").content.decode()
    assert xuhao.post(f"/cases/handoffs/{handoff.pk}/acknowledge/").status_code == 302
    late = xuhao.post(
        f"/cases/handoffs/{handoff.pk}/defer/", {"reason": "配件", "expected_at": "2020-01-01T10:00"}
    )
    assert late.status_code == 400 and "预计处理时间须为将来的时间" in late.content.decode()
    told = xuhao.post(
        f"/cases/handoffs/{handoff.pk}/defer/", {"reason": "配件在途", "expected_at": "2026-03-05T10:00"}
    )
    assert told.status_code == 302
    assert "2026-03-05 10:00" in Comment.objects.get(case=case, public=True).body
    assert xuhao.post(f"/cases/handoffs/{handoff.pk}/fly/").status_code == 404
    assert (
        browser("zhaomin").post(f"/cases/handoffs/{handoff.pk}/solve/", {"solution": "x"}).status_code == 404
    )
    handoff.refresh_from_db()
    assert handoff.state == HandoffState.DEFERRED
    page = lvxin.get(f"/cases/{case.pk}/handling/").content.decode()
    assert "配件在途" in page


def test_case8_sender_answers_from_the_case(browser, water_case, act):  # CASE-8
    case = water_case
    handoff = actions_handoffs.send(act("lvxin"), case, Unit.objects.get(code="water-tech"), "请排查")
    handoff = actions_handoffs.acknowledge(act("xuhao"), handoff)
    actions_handoffs.ask_clarification(act("xuhao"), handoff, "哪栋楼？")
    lvxin = browser("lvxin")
    assert (
        f'id="handoff-{handoff.pk}-answer-form"' in lvxin.get(f"/cases/{case.pk}/handling/").content.decode()
    )
    empty = lvxin.post(f"/cases/handoffs/{handoff.pk}/answer-clarification/", {"clarification": " "})
    assert empty.status_code == 400
    answered = lvxin.post(
        f"/cases/handoffs/{handoff.pk}/answer-clarification/",
        {"clarification": "3 号楼", "next": f"/cases/{case.pk}/"},
    )
    assert answered.status_code == 302 and answered["Location"] == f"/cases/{case.pk}/"


def test_panels_render_with_only_case_and_request(proposed_complaint, demo):  # CASE-4, CASE-8
    request = RequestFactory().get("/")
    request.user = demo["wujing"].user
    request.session = {}
    for name in ("_handling_panel", "_handoffs_panel"):
        html = Template('{% include "cases/' + name + '.html" %}').render(
            Context({"case": proposed_complaint, "request": request, "csrf_token": "t"})
        )
        assert f"/cases/{proposed_complaint.pk}/" in html
