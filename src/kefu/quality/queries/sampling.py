"""Read paths of sampling (QA-1): the plan in force for a subsidiary, a week's closed cases with their
risk factors (complaint, reopened, deadline missed, long handling, customer not satisfied), and the
inspectors of a subsidiary with their open load."""

from datetime import date, datetime, timedelta

from django.db.models import Count, Exists

from kefu.cases.models import Case, CaseState
from kefu.core import clock
from kefu.engine.workflow import api as workflow
from kefu.org.models import Employee, EmploymentStatus, Role, Unit
from kefu.quality.models import Inspection, InspectionState, RiskFactor, SamplingPlan

INSPECT = "quality.inspect"


def week_of(day: date) -> date:
    """Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    start = clock.local(clock.now()).replace(
        year=monday.year, month=monday.month, day=monday.day, hour=0, minute=0, second=0, microsecond=0
    )
    return start, start + timedelta(days=7)


def plan_for(subsidiary: Unit | None) -> SamplingPlan | None:
    plans = SamplingPlan.objects.filter(active=True)
    found = plans.filter(unit=subsidiary).first() if subsidiary is not None else None
    return found or plans.filter(unit__isnull=True).first()


def subsidiaries():
    return Unit.objects.filter(kind="subsidiary").order_by("path")


def closed_cases(subsidiary: Unit, start: datetime, end: datetime) -> list[dict]:
    """The subsidiary's cases closed in [start, end) that have an owner, with their risk inputs (one read)."""
    breached = workflow.outer_clocks(Case).filter(breached_at__isnull=False)
    return list(
        Case.objects.filter(
            unit__path__startswith=subsidiary.path,
            state__in=(CaseState.CLOSED, CaseState.ARCHIVED),
            closed_at__gte=start,
            closed_at__lt=end,
            owner__isnull=False,
        )
        .annotate(breached=Exists(breached))
        .values(
            "pk",
            "owner_id",
            "unit_id",
            "family",
            "reopen_count",
            "satisfied",
            "received_at",
            "closed_at",
            "breached",
        )
        .order_by("pk")
    )


def risk_factors(row: dict, long_handling: timedelta) -> list[str]:
    found = []
    if row["family"] == "complaint":
        found.append(RiskFactor.COMPLAINT.value)
    if row["reopen_count"]:
        found.append(RiskFactor.REOPENED.value)
    if row["breached"]:
        found.append(RiskFactor.BREACHED.value)
    if row["closed_at"] - row["received_at"] > long_handling:
        found.append(RiskFactor.LONG_HANDLING.value)
    if row["satisfied"] is False:
        found.append(RiskFactor.LOW_CSAT.value)
    return found


def inspectors(subsidiary: Unit) -> list[Employee]:
    """Active employees of the subsidiary holding quality.inspect through a role that may act (the 质检员),
    by number (two reads)."""
    roles = [
        role.pk
        for role in Role.objects.filter(
            supervisory_only=False, assignments__employee__unit__path__startswith=subsidiary.path
        ).distinct()
        if INSPECT in role.permissions
    ]
    if not roles:
        return []
    return list(
        Employee.objects.filter(
            unit__path__startswith=subsidiary.path,
            status=EmploymentStatus.ACTIVE,
            role_assignments__role_id__in=roles,
        )
        .select_related("user")
        .distinct()
        .order_by("number")
    )


def loads(people: list[Employee]) -> dict[int, int]:
    open_states = (InspectionState.ASSIGNED, InspectionState.SCORED)
    rows = (
        Inspection.objects.filter(inspector__in=people, state__in=open_states)
        .values("inspector_id")
        .annotate(n=Count("pk"))
    )
    counts = {p.pk: 0 for p in people}
    counts.update({r["inspector_id"]: r["n"] for r in rows})
    return counts


def already_inspected(case_ids: list[int]) -> set[int]:
    return set(
        Inspection.objects.filter(case_id__in=case_ids, calibration__isnull=True).values_list(
            "case_id", flat=True
        )
    )
