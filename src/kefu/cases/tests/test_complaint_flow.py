"""Issue 13 — the complaint flow on the case page: no 当场答复 on a complaint, a refused step shows
its reason on the case page, the missing closure report is one link away, the handling forms are
folded, and each clock has one row (a restarted or cancelled clock is history)."""

import pytest
from django.test import Client

from kefu.cases import actions

pytestmark = pytest.mark.django_db


def owner_client(case) -> Client:
    client = Client()
    client.force_login(case.owner.user)
    return client


def test_complaint_flow_no_answer_on_the_spot_for_a_complaint(new_case):  # CASE-3
    complaint = new_case(kind="complaint", title="维修拖延投诉")
    body = owner_client(complaint).get(f"/cases/{complaint.pk}/").content.decode()
    assert (
        'id="transition-accept"' in body and 'id="transition-answer"' not in body and "当场答复" not in body
    )
    consultation = new_case(title="咨询交房时间")
    assert (
        'id="transition-answer"'
        in owner_client(consultation).get(f"/cases/{consultation.pk}/").content.decode()
    )


def test_complaint_flow_refused_report_is_shown_on_the_case_page(proposed_complaint):  # CASE-4
    refused = owner_client(proposed_complaint).post(
        f"/cases/{proposed_complaint.pk}/closure-report/",
        {"solution_type": "explain", "solution": "", "time_spent_minutes": "x", "preventive_measures": ""},
    )
    body = refused.content.decode()
    assert refused.status_code == 400 and 'id="case-number"' in body and 'id="transitions"' in body
    assert 'id="closure-report-error"' in body
    assert '<details class="fold" id="handling-box" open>' in body  # the refused form's fold is open


def test_complaint_flow_missing_report_error_links_to_the_report(proposed_complaint, act):  # CASE-3, CASE-4
    owner = act(proposed_complaint.owner.user.username)
    case = actions.act(owner, proposed_complaint, "inform", data={"customer_reply": "明天上午维修"})
    refused = owner_client(case).post(f"/cases/{case.pk}/transitions/close/", {"satisfied": "yes"})
    body = refused.content.decode()
    assert refused.status_code == 400 and "须先填写结案报告" in body
    link = body.split('id="transition-error-report"')[0].rsplit("<a", 1)[1]
    assert 'href="?open=handling#closure-report"' in link
    opened = owner_client(case).get(f"/cases/{case.pk}/", {"open": "handling"}).content.decode()
    assert '<details class="fold" id="handling-box" open>' in opened and 'id="closure-report-form"' in opened


def test_complaint_flow_handling_forms_folded_one_row_per_clock(new_case, act):  # CASE-4, SLA-2
    case = new_case(title="咨询交房时间")
    owner = act(case.owner.user.username)
    case = actions.act(owner, case, "accept")
    actions.comment(owner, case, "已收到，正在查询", public=True)  # restarts next update
    actions.comment(owner, case, "明天答复您", public=True)  # and again
    body = owner_client(case).get(f"/cases/{case.pk}/").content.decode()
    assert '<details class="fold" id="handling-box">' in body  # folded until asked for
    assert body.count('id="clock-next_update"') == 1 and body.count('id="clock-first_response"') == 1
    history = body.split('id="clock-history"')[1].split("</details>")[0]
    assert history.count("<li") == 2  # the two replaced next-update clocks
