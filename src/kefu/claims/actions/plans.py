"""CLM-11 销售方案 (seed 000 · 客户流程报备管理制度范文 §四.2(1) d–e): the report's follow-up employee
writes a sales plan and submits it for approval to their superior (the approval chain `claims.sales_plan`);
only the latest version, once approved, may be told to the customer ("将报备结果反馈给客户"). A revision is
a new version that supersedes the earlier one and needs approval again."""

from django.db import IntegrityError, transaction

from kefu.claims.actions import common
from kefu.claims.lifecycle import PLAN_CHAIN, PLAN_CLAUSE
from kefu.claims.models import PlanState, ProcessReport, ReportState, SalesPlan
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, PermissionDenied
from kefu.engine.workflow import api as workflow

PLAN_SOURCE = "000 · 客户流程报备管理制度范文"
WORKING = (ReportState.ASSIGNED, ReportState.FOLLOWING)


def latest(report: ProcessReport) -> SalesPlan | None:
    return SalesPlan.objects.filter(report=report).order_by("-version").first()


def submit_plan(actor: Actor, report: ProcessReport, text: str) -> SalesPlan:
    """The follow-up employee submits a sales plan (or a revision) for their superior's approval."""
    me = common.me(actor)
    if me is None or me.pk != report.assignee_id:
        raise PermissionDenied(
            "只有跟进人可以提交销售方案（CLM-11）",
            "Only the follow-up employee submits the sales plan (CLM-11)",
        )
    if report.state not in WORKING:
        raise Conflict(
            "CLM-11.plan_state",
            "报备表已分派、尚未归档时才能提交销售方案（CLM-11）",
            "A sales plan is submitted while the report is being followed up (CLM-11)",
        )
    text = common.required(text, "text")
    with transaction.atomic():
        locked = ProcessReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
        previous = latest(locked)
        if previous is not None and previous.state == PlanState.PENDING:
            raise Conflict(
                "CLM-11.plan_pending",
                f"第{previous.version}版销售方案正在审批，审批结束后才能修订（CLM-11）",
                "The current plan is awaiting approval; revise it once decided (CLM-11)",
            )
        if previous is not None and previous.state != PlanState.SUPERSEDED:
            workflow.transition(actor, previous, "supersede", reason="提交修订版 / revision submitted")
        try:
            with transaction.atomic():
                plan = SalesPlan.objects.create(
                    report=locked,
                    version=(previous.version + 1) if previous else 1,
                    text=text,
                    author=me,
                    unit=locked.unit,
                    submitted_at=clock.now(),
                )
        except IntegrityError as exc:  # a second submission at the same instant
            raise Conflict(
                "CLM-11.plan_pending",
                "销售方案正在审批，审批结束后才能修订（CLM-11）",
                "The current plan is awaiting approval (CLM-11)",
            ) from exc
        workflow.start_approval(actor, plan, PLAN_CHAIN.name, inputs={"version": plan.version})
        audit.record(
            actor, "claims.plan_submit", plan, after={"process_report": locked.pk, "version": plan.version}
        )
    return plan


def require_approved(report: ProcessReport) -> SalesPlan:
    """CLM-11: the plan the customer may be told — the latest version, approved; else the refusal that
    quotes the clause."""
    plan = latest(report)
    if plan is None or plan.state != PlanState.APPROVED:
        where = "尚未提交销售方案" if plan is None else f"第{plan.version}版销售方案{_state_zh(plan)}"
        raise Conflict(
            "CLM-11.plan_not_approved",
            f"{where}，不能将方案结果反馈客户：“{PLAN_CLAUSE}”（CLM-11）",
            "The sales plan is not approved; its result cannot be told to the customer (CLM-11)",
        )
    return plan


def _state_zh(plan: SalesPlan) -> str:
    return {
        PlanState.PENDING: "尚在审批中",
        PlanState.REJECTED: "已被驳回",
        PlanState.RETURNED: "已被退回修改",
        PlanState.SUPERSEDED: "已被修订",
    }.get(plan.state, "未获批准")


def tell_customer(actor: Actor, report: ProcessReport, plan: SalesPlan) -> SalesPlan:
    """Mark the approved plan as told to the customer, with a decision record (inside the caller's
    transaction: `reports.report_feedback` with plan_result)."""
    SalesPlan.objects.filter(pk=plan.pk).update(told_at=clock.now())
    decisions.record(
        report,
        rule="CLM-11",
        outcome=f"第{plan.version}版销售方案已获批准，结果已反馈客户 / approved plan v{plan.version} told to the customer",
        inputs={"版本 / version": plan.version, "方案状态 / plan state": "已批准"},
        policy_version=None,
        clause=PLAN_CLAUSE,
        actor=actor,
        source=PLAN_SOURCE,
    )
    return plan
