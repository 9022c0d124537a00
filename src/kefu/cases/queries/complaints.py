"""Read paths of complaint handling (CASE-4, CASE-5, CASE-7).

What hangs off a case is read for a case the caller already fetched through `intake.case` (their
scope). `verified_staff_complaints` is the appraisal input other modules (KPI, quality) read.
"""

from datetime import datetime

from django.db.models import Count

from kefu.cases.models import Case, ClosureReport, Compensation
from kefu.cases.queries import intake
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.workflow import api as workflow
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.org.queries import employee_named

# ---------------------------------------------------------------- CASE-5: appraisal input


def verified_staff_complaints(
    employee: Employee, since: datetime | None = None, until: datetime | None = None
):
    """Complaints caused by `employee`'s attitude or skill and verified (查实), received in [since, until).

    An input of appraisal (KPI / quality modules): not scoped by a caller — the caller is the module.
    """
    rows = Case.objects.filter(staff_caused=True, staff_verified=True, responsible=employee)
    if since is not None:
        rows = rows.filter(received_at__gte=since)
    if until is not None:
        rows = rows.filter(received_at__lt=until)
    return rows.order_by("received_at", "pk")


# ---------------------------------------------------------------- CASE-4: closure report, compensation


def closure_report(case: Case) -> ClosureReport | None:
    """The case's 结案报告, if written (the case was fetched through the caller's scope)."""
    return ClosureReport.objects.filter(case=case).first()


def written_closure_report(case: Case) -> ClosureReport:
    found = closure_report(case)
    if found is None:
        raise NotFound("结案报告", "closure report")
    return found


def compensations(case: Case) -> list[Compensation]:
    """The case's compensation requests (the case was fetched through the caller's scope), each with
    `approval` — its latest approval request with the steps in order."""
    rows = list(Compensation.objects.filter(case=case).select_related("requested_by"))
    if not rows:
        return rows
    requests = workflow.approvals(rows).prefetch_related(workflow.steps_in_order("decided_by"))
    latest = {request.object_id: request for request in requests}
    for row in rows:
        row.approval = latest.get(str(row.pk))
    return rows


# ---------------------------------------------------------------- CASE-7: recurrence report


def recurrences(actor: Actor, *, since: datetime | None = None, until: datetime | None = None) -> dict:
    """Repeated problems in the caller's scope: counts per category and product, and the cases."""
    condition = intake.visible_q(actor)
    if condition is None:
        return {"groups": [], "cases": []}
    rows = Case.objects.filter(condition, recurrence_of__isnull=False)
    if since is not None:
        rows = rows.filter(received_at__gte=since)
    if until is not None:
        rows = rows.filter(received_at__lt=until)
    groups = list(
        rows.values("category", "product")
        .annotate(count=Count("pk"))
        .order_by("-count", "category", "product")
    )
    cases = list(rows.select_related("recurrence_of").order_by("-received_at", "-pk")[:200])
    return {"groups": groups, "cases": cases}


# ---------------------------------------------------------------- CASE-5: whom a complaint can name


def responsible(value, field: str = "responsible_id") -> Employee:
    """The employee a staff-caused complaint names by id, whatever their status (the action refuses
    one who left, or out of reach: `case_responsible_invalid`)."""
    return employee_named(
        value, field, active=False, code="case_employee_unknown", message=("员工不存在", "Unknown employee")
    )


def colleagues(case: Case):
    """Employees of the case's subsidiary: who a staff-caused complaint can name."""
    anchor = Unit.objects.filter(pk__in=case.unit.ancestor_ids(), kind="subsidiary").first() or case.unit
    return Employee.objects.filter(
        status=EmploymentStatus.ACTIVE, unit__path__startswith=anchor.path
    ).order_by("number")
