"""Read paths of complaint handling and cross-department 报备 (CASE-4, CASE-5, CASE-7, CASE-8).

Every query is narrowed to the caller's scope: the case's own queries (`queries.case`) for what
hangs off a case; the receiving department's inbox by `case.handle` over the handoff's unit.
`verified_staff_complaints` is the appraisal input other modules (KPI, quality) read.
"""

from datetime import datetime

from django.db.models import Count, Q

from kefu.cases import queries
from kefu.cases.models import Case, Compensation, Handoff, HandoffState
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee

HANDOFF_RELATED = ("case", "case__unit", "from_unit", "unit", "owner", "sent_by")
OPEN_HANDOFFS = (HandoffState.SENT, HandoffState.ACKNOWLEDGED, HandoffState.CLARIFYING, HandoffState.DEFERRED)


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


# ---------------------------------------------------------------- CASE-4: compensation


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
    condition = queries.visible_q(actor)
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


# ---------------------------------------------------------------- CASE-8: handoffs


def receiving_q(actor: Actor) -> Q | None:
    return scope_q(access.grants(actor, "case.handle"), unit_path="unit__path", owner="owner_id")


def inbox(actor: Actor, *, unit_id: int | None = None, state: str = "", open_only: bool = False):
    """The receiving department's 报备 inbox: handoffs to units the caller handles cases for."""
    condition = receiving_q(actor)
    rows = Handoff.objects.select_related(*HANDOFF_RELATED)
    if condition is None:
        return rows.none()
    rows = rows.filter(condition)
    if unit_id:
        rows = rows.filter(unit_id=unit_id)
    if state:
        rows = rows.filter(state=state)
    if open_only:
        rows = rows.filter(state__in=OPEN_HANDOFFS)
    return rows.order_by("-sent_at", "-pk")


def handoff(actor: Actor, pk) -> Handoff:
    """One handoff the caller receives, or of a case the caller sees; NotFound otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound("报备", "handoff") from None
    if not 0 < pk < queries.ID_LIMIT:
        raise NotFound("报备", "handoff")
    found = inbox(actor).filter(pk=pk).first()
    if found is None:
        found = Handoff.objects.select_related(*HANDOFF_RELATED).filter(pk=pk).first()
        if found is None or not queries.cases(actor).filter(pk=found.case_id).exists():
            raise NotFound("报备", "handoff")
    return found


def case_handoffs(case: Case):
    """The handoffs of a case the caller already sees."""
    return Handoff.objects.filter(case=case).select_related(*HANDOFF_RELATED).order_by("sent_at", "pk")


def receivable_units(actor: Actor, case: Case):
    """Departments a case can be reported to: the active units of the case's subsidiary and the
    group's own departments, other than the case's unit."""
    from kefu.org.models import Unit

    return (
        Unit.objects.filter(is_active=True, kind__in=("department", "team"))
        .exclude(pk=case.unit_id)
        .order_by("path")
    )


def employee(pk, field: str = "responsible_id") -> Employee:
    from kefu.core.errors import Invalid

    try:
        return Employee.objects.select_related("user").get(pk=int(pk))
    except (TypeError, ValueError, OverflowError, Employee.DoesNotExist):
        raise Invalid("case_employee_unknown", "员工不存在", "Unknown employee", {field: "unknown"}) from None
