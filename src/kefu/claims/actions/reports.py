"""Customer-process reports (CLM-11): an employee submits, the department supervisor reviews
(genuine or not, with a note), assigns a follow-up employee of the report's company (who is told),
the assignee records feedback, the supervisor archives. State changes go through the report's
lifecycle (audited by the engine)."""

from django.db import transaction

from kefu.claims.actions import common, plans
from kefu.claims.models import ProcessReport
from kefu.claims.queries.people import company_of
from kefu.claims.queries.reports import supervises
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus


def submit_report(actor: Actor, *, customer_name: str, contact: str, needs: str) -> ProcessReport:
    access.require(actor, "claim.register")
    me = common.me(actor)
    if me is None:
        raise PermissionDenied("只有员工可以填写报备表", "Only employees can submit reports")
    fields = {
        k: "required"
        for k, v in (("customer_name", customer_name), ("contact", contact), ("needs", needs))
        if not (v or "").strip()
    }
    if fields:
        raise Invalid(
            "claim_report_incomplete",
            "请填写客户姓名、联系方式和需求（CLM-11）",
            "Customer name, contact and needs are required (CLM-11)",
            fields,
        )
    with transaction.atomic():
        report = ProcessReport.objects.create(
            unit=me.unit,
            owner=me,
            customer_name=customer_name.strip(),
            contact=contact.strip(),
            needs=needs.strip(),
            created_at=clock.now(),
        )
        audit.record(actor, "claims.report_submit", report, after={"owner": me.pk})
    return report


def review_report(actor: Actor, report: ProcessReport, *, genuine: bool, note: str = "") -> ProcessReport:
    """CLM-11: the department supervisor checks that the report is genuine; "not genuine" says why."""
    if not supervises(actor, report):
        raise PermissionDenied("只有部门主管可以审核", "Only the department supervisor reviews reports")
    note = (note or "").strip()
    if genuine:
        return workflow.transition(actor, report, "verify", data={"review_note": note})
    if not note:
        raise Invalid(
            "claim_report_note_required",
            "审核不属实时须填写说明（CLM-11）",
            "Say why the report is not genuine (CLM-11)",
            {"note": "required"},
        )
    return workflow.transition(actor, report, "reject", data={"review_note": note}, reason=note)


def assign_report(actor: Actor, report: ProcessReport, employee: Employee) -> ProcessReport:
    """CLM-11: the supervisor assigns a follow-up employee of the report's company, who is told."""
    if not supervises(actor, report):
        raise PermissionDenied("只有部门主管可以分派", "Only the department supervisor assigns reports")
    if employee.status != EmploymentStatus.ACTIVE:
        raise Invalid(
            "claim_report_assignee",
            "跟进人须为在职员工",
            "The assignee must be active",
            {"assignee": "inactive"},
        )
    if not employee.unit.path.startswith(company_of(report.unit).path):
        raise Invalid(
            "claim_report_assignee_company",
            "跟进人须为本公司员工（客户信息不得外泄）",
            "The assignee must work for the report's company (customer details stay inside)",
            {"assignee": "other company"},
        )
    with transaction.atomic():
        report = workflow.transition(actor, report, "assign", data={"assignee": employee})
        notify(
            [employee.user],
            "claims.report_assigned",
            {"report": report, "customer": report.customer_name, "by": common.me(actor) or actor.user},
            obj=report,
        )
    return report


def report_feedback(
    actor: Actor, report: ProcessReport, text: str, *, plan_result: bool = False
) -> ProcessReport:
    """The assignee records contact and feedback. With `plan_result` the feedback is the sales plan's
    result told to the customer (CLM-11 "将报备结果反馈给客户"): refused, quoting the clause, unless the
    latest plan is approved."""
    me = common.me(actor)
    if not ((me is not None and me.pk == report.assignee_id) or supervises(actor, report)):
        raise PermissionDenied("只有跟进人可以记录反馈", "Only the assigned employee records feedback")
    text = common.required(text, "feedback")
    plan = plans.require_approved(report) if plan_result else None
    stamp = clock.local().strftime("%Y-%m-%d %H:%M")
    line = f"[{stamp}] 销售方案第{plan.version}版结果反馈客户：{text}" if plan else f"[{stamp}] {text}"
    combined = f"{report.feedback}\n{line}".strip()
    with transaction.atomic():
        moved = workflow.transition(actor, report, "feedback", data={"feedback": combined})
        if plan is not None:
            plans.tell_customer(actor, moved, plan)
    return moved


def archive_report(actor: Actor, report: ProcessReport) -> ProcessReport:
    if not supervises(actor, report):
        raise PermissionDenied("只有部门主管可以归档", "Only the department supervisor archives reports")
    return workflow.transition(actor, report, "archive")
