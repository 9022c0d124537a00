"""CLM-11 销售方案 ("完成销售方案后,销售或市场部门应将销售方案报备给上级领导或相关部门审批,并将报备结果
反馈给客户"): the follow-up employee submits the plan, their superior approves it through the approval
engine, and its result may be told to the customer only once approved; a revision needs approval again."""

import pytest
from django.test import Client

from kefu.claims import actions
from kefu.claims.models import PlanState, SalesPlan
from kefu.core.decisions import for_object
from kefu.core.errors import Conflict, PermissionDenied
from kefu.engine.workflow import api as workflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo, act, frozen):
    """王女士's report by 黄磊, verified by 何平 and assigned to 林晓 (whose superior is 何平)."""
    found = actions.submit_report(
        act("huanglei"), customer_name="王女士", contact="13600001111", needs="三居室"
    )
    found = actions.review_report(act("heping"), found, genuine=True, note="电话核实")
    return actions.assign_report(act("heping"), found, demo["linxiao"])


def _step(plan):
    return workflow.pending_approval(plan).steps.get(status=workflow.StepStatus.PENDING)


def _refusal(act, report):
    with pytest.raises(Conflict) as refused:
        actions.report_feedback(act("linxiao"), report, "方案已告知客户", plan_result=True)
    assert refused.value.code == "CLM-11.plan_not_approved"
    assert "上级领导或相关部门审批" in refused.value.message
    return refused.value.message


def test_clm11_plan_is_approved_by_the_superior_before_it_is_used(demo, act, report):  # CLM-11
    assert _refusal(act, report).startswith("尚未提交销售方案")
    plan = actions.submit_plan(act("linxiao"), report, "首付三成，分期 24 个月")
    assert plan.version == 1 and plan.state == PlanState.PENDING
    step = _step(plan)
    assert {u.username for u in step.approvers.all()} == {"heping"}  # 林晓's superior
    assert _refusal(act, report).startswith("第1版销售方案尚在审批中")
    workflow.decide(act("heping"), step.pk, "approve")
    plan.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    done = actions.report_feedback(act("linxiao"), report, "已电话告知客户方案", plan_result=True)
    assert "销售方案第1版结果反馈客户" in done.feedback
    plan.refresh_from_db()
    assert plan.told_at is not None
    why = [d for d in for_object(report) if d.rule == "CLM-11"][-1]
    assert "已获批准" in why.outcome and "反馈给客户" in why.clause and why.source.startswith("000")


def test_clm11_a_revision_needs_approval_again(demo, act, report):  # CLM-11
    first = actions.submit_plan(act("linxiao"), report, "方案一")
    workflow.decide(act("heping"), _step(first).pk, "approve")
    second = actions.submit_plan(act("linxiao"), report, "方案二：加赠车位")
    first.refresh_from_db()
    assert first.state == PlanState.SUPERSEDED and second.version == 2
    assert _refusal(act, report).startswith("第2版销售方案尚在审批中")  # the approved v1 is no longer usable
    workflow.decide(act("heping"), _step(second).pk, "return", reason="车位不能赠送")
    second.refresh_from_db()
    assert second.state == PlanState.RETURNED
    assert _refusal(act, report).startswith("第2版销售方案已被退回修改")
    third = actions.submit_plan(act("linxiao"), report, "方案三：车位九折")
    workflow.decide(act("heping"), _step(third).pk, "approve")
    actions.report_feedback(act("linxiao"), report, "已告知", plan_result=True)
    assert list(
        SalesPlan.objects.filter(report=report).values_list("version", "state").order_by("version")
    ) == [
        (1, "superseded"),
        (2, "superseded"),
        (3, "approved"),
    ]


def test_clm11_only_the_follow_up_employee_submits_one_at_a_time(demo, act, report, frozen):  # CLM-11
    for who in ("huanglei", "heping"):
        with pytest.raises(PermissionDenied):
            actions.submit_plan(act(who), report, "方案")
    actions.submit_plan(act("linxiao"), report, "方案一")
    with pytest.raises(Conflict) as refused:
        actions.submit_plan(act("linxiao"), report, "方案一改")
    assert refused.value.code == "CLM-11.plan_pending"
    unassigned = actions.submit_report(act("huanglei"), customer_name="李", contact="微信 li", needs="咨询")
    with pytest.raises(PermissionDenied):
        actions.submit_plan(act("linxiao"), unassigned, "方案")


def test_clm11_plans_on_the_report_page_and_the_api(demo, act, report):  # CLM-11
    linxiao = Client()
    linxiao.force_login(demo["linxiao"].user)
    url = f"/claims/reports/{report.pk}/"
    assert 'id="plan-form"' in linxiao.get(url).content.decode()
    linxiao.post(f"{url}plans/", {"plan": "首付三成"})
    refused = linxiao.post(f"{url}feedback/", {"feedback": "告知客户", "plan_result": "1"})
    body = refused.content.decode()
    assert refused.status_code in (400, 409) and "尚在审批中" in body and "首付三成" in body
    heping = Client()
    heping.force_login(demo["heping"].user)
    inbox = heping.get("/approvals/").content.decode()
    assert "销售方案 第1版" in inbox
    plan = SalesPlan.objects.get(report=report)
    heping.post(f"/approvals/{_step(plan).pk}/decide/", {"decision": "approve"})
    page = linxiao.get(url).content.decode()
    assert "第 1 版 · 已批准" in page
    api = linxiao.post(
        f"/api/v1/claims/process-reports/{report.pk}/feedback",
        {"text": "已告知客户", "plan_result": True},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["plans"][0]["told_at"] is not None
    revised = linxiao.post(
        f"/api/v1/claims/process-reports/{report.pk}/plans",
        {"text": "修订版"},
        content_type="application/json",
    )
    assert revised.status_code == 201 and [p["state"] for p in revised.json()["plans"]] == [
        "pending",
        "superseded",
    ]
    again = linxiao.post(
        f"/api/v1/claims/process-reports/{report.pk}/feedback",
        {"text": "再次告知", "plan_result": True},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "CLM-11.plan_not_approved"
