"""Read paths of customer-process reports (CLM-11): the reports the caller may see (own, assigned,
supervised, or 行政部's scope), who reviews them, whom a report may be assigned to, and a report's
story with who did what and when."""

from dataclasses import dataclass

from django.db.models import Q

from kefu.claims.lifecycle import REPORT
from kefu.claims.models import ProcessReport, ReportState
from kefu.claims.queries.people import department_of
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus


def reports(actor: Actor, *, state: str = "", mine: bool = False, assigned: bool = False):
    """Reports the actor may see (own, assigned, supervised, or 行政部's scope), optionally narrowed:
    `state` (e.g. "submitted" = 待审核), `mine` (submitted by me), `assigned` (assigned to me)."""
    employee = access.employee_of(actor.principal)
    q = Q(pk__in=access.scoped(ProcessReport.objects.all(), actor, "claim.manage").values("pk"))
    if employee is not None:
        q |= Q(owner=employee) | Q(assignee=employee) | Q(owner__supervisors=employee)
    rows = ProcessReport.objects.filter(q).distinct().select_related("owner", "assignee", "unit")
    if state:
        rows = rows.filter(state=state)
    if mine:
        rows = rows.filter(owner=employee) if employee else rows.none()
    if assigned:
        rows = rows.filter(assignee=employee) if employee else rows.none()
    return rows


def report(actor: Actor, pk: int) -> ProcessReport:
    found = reports(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("客户流程报备", "process report")
    return found


def pending_review(actor: Actor):
    """Submitted reports waiting for the actor's review: of the people they supervise, or in
    行政部's scope (CLM-11 待审核)."""
    me = access.employee_of(actor.principal)
    rows = reports(actor).filter(state=ReportState.SUBMITTED)
    return rows.exclude(owner=me) if me else rows


def supervises(actor: Actor, report: ProcessReport) -> bool:
    """The report owner's supervisor, or 行政部 in scope: who reviews, assigns and archives (CLM-11)."""
    me = access.employee_of(actor.principal)
    if me is not None and report.owner.supervisors.filter(pk=me.pk).exists():
        return True
    return access.record_in_scope(actor, "claim.manage", unit=report.unit, owner_id=None)


def assignable(report: ProcessReport):
    """Active employees of the report's department: whom its supervisor may assign (CLM-11)."""
    return (
        Employee.objects.filter(
            unit__path__startswith=department_of(report.unit).path, status=EmploymentStatus.ACTIVE
        )
        .select_related("unit")
        .order_by("unit__path", "number")
    )


@dataclass
class Step:
    """One line of a report's story: what happened, who did it, when."""

    label: str
    at: object
    who: str
    note: str = ""


def _name(user) -> str:
    if user is None:
        return "系统 / system"
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def report_story(report: ProcessReport) -> list[Step]:
    """Submission and every state change of a report, each with who and when (CLM-11)."""
    steps = [Step(label="提交 / Submitted", at=report.created_at, who=report.owner.name)]
    for change in workflow.history(report).select_related("actor__employee").order_by("at", "id"):
        move = REPORT.transition(change.transition)
        label = f"{move.label_zh} / {move.label_en}" if move else change.transition
        steps.append(Step(label=label, at=change.at, who=_name(change.actor), note=change.reason))
    return steps


def feedback_lines(report: ProcessReport) -> list[str]:
    return [line for line in (report.feedback or "").splitlines() if line.strip()]
