"""Read paths of 报备 beyond the claim itself: the people a form may name, a customer's recorded
choices (CLM-5), a claim's deal (CLM-9), process reports with their history (CLM-11) and the daily
submissions overview (CLM-12). Split from `queries.py` by concept; always scoped to the caller.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from kefu.claims import queries
from kefu.claims.models import (
    Claim,
    CustomerChoice,
    DailySubmission,
    Deal,
    MissingSubmission,
    ProcessReport,
    ReportState,
)
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.engine.calendars import api as calendars
from kefu.engine.workflow.history import history
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind

# ---------------------------------------------------------------- people a form may name

ID_LIMIT = 2**63  # a database key; a larger number is simply no one (and must not reach the database)


def employee(value, field: str) -> Employee:
    """The employee a form or request names by id, or `Invalid` naming the field."""
    text = str(value if value is not None else "").strip()
    pk = int(text) if text.isdigit() else 0
    found = (
        Employee.objects.filter(pk=pk).select_related("unit", "user").first() if 0 < pk < ID_LIMIT else None
    )
    if found is None:
        raise _unknown(field)
    return found


def _unknown(field: str) -> Invalid:
    return Invalid(
        "claim_employee",
        "请选择员工（员工不存在）",
        "Choose an employee (no such employee)",
        {field: "unknown"},
    )


def require_colleague(unit: Unit, person: Employee, field: str) -> Employee:
    """`person` if they work in the company of `unit` (a deal's split, a customer's choice name only
    colleagues, issue 10); anyone else is answered like an unknown employee."""
    if not person.unit.path.startswith(company_of(unit).path):
        raise _unknown(field)
    return person


def company_of(unit: Unit) -> Unit:
    """The subsidiary a unit belongs to (the unit itself for a subsidiary; the root above none)."""
    above = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids())}
    chain = [above[pk] for pk in unit.ancestor_ids() if pk in above]
    companies = [u for u in chain if u.kind == UnitKind.SUBSIDIARY]
    return companies[-1] if companies else (chain[0] if chain else unit)


def colleagues(unit: Unit):
    """Active employees of the unit's company: whom a deal split or a customer's choice may name."""
    return (
        Employee.objects.filter(unit__path__startswith=company_of(unit).path, status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "number")
    )


def department_of(unit: Unit) -> Unit:
    """The nearest department at or above the unit (a team's department); the unit when none."""
    above = {u.pk: u for u in Unit.objects.filter(pk__in=unit.ancestor_ids())}
    departments = [
        above[pk] for pk in unit.ancestor_ids() if pk in above and above[pk].kind == UnitKind.DEPARTMENT
    ]
    return departments[-1] if departments else unit


def assignable(report: ProcessReport):
    """Active employees of the report's department: whom its supervisor may assign (CLM-11)."""
    return (
        Employee.objects.filter(
            unit__path__startswith=department_of(report.unit).path, status=EmploymentStatus.ACTIVE
        )
        .select_related("unit")
        .order_by("unit__path", "number")
    )


# ---------------------------------------------------------------- CLM-5 choices, CLM-9 deals


def choices_of(customer):
    """The customer's recorded choices of salesperson, newest first (CLM-5)."""
    return CustomerChoice.objects.filter(customer=customer).select_related(
        "chosen", "recorded_by__employee", "used_by"
    )


def deal_of(claim: Claim) -> Deal | None:
    return (
        Deal.objects.filter(claim=claim)
        .select_related("agreed_by", "recorded_by__employee")
        .prefetch_related("shares__employee")
        .first()
    )


def choices_for_claim(actor: Actor, claim_id: int):
    """The recorded choices of the customer of a claim the actor may see (404 otherwise)."""
    claim = queries.claim(actor, claim_id)
    return claim, list(choices_of(claim.customer))


# ---------------------------------------------------------------- CLM-11 process reports


def reports(actor: Actor, *, state: str = "", mine: bool = False, assigned: bool = False):
    """Reports the actor may see (own, assigned, supervised, or 行政部's scope), optionally narrowed:
    `state` (e.g. "submitted" = 待审核), `mine` (submitted by me), `assigned` (assigned to me)."""
    rows = queries.reports(actor)
    me = access.employee_of(actor.principal)
    if state:
        rows = rows.filter(state=state)
    if mine:
        rows = rows.filter(owner=me) if me else rows.none()
    if assigned:
        rows = rows.filter(assignee=me) if me else rows.none()
    return rows


def pending_review(actor: Actor):
    """Submitted reports waiting for the actor's review: of the people they supervise, or in
    行政部's scope (CLM-11 待审核)."""
    me = access.employee_of(actor.principal)
    rows = queries.reports(actor).filter(state=ReportState.SUBMITTED)
    return rows.exclude(owner=me) if me else rows


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
    from kefu.claims.lifecycle import REPORT

    steps = [Step(label="提交 / Submitted", at=report.created_at, who=report.owner.name)]
    for change in history(report).select_related("actor__employee").order_by("at", "id"):
        move = REPORT.transition(change.transition)
        label = f"{move.label_zh} / {move.label_en}" if move else change.transition
        steps.append(Step(label=label, at=change.at, who=_name(change.actor), note=change.reason))
    return steps


def feedback_lines(report: ProcessReport) -> list[str]:
    return [line for line in (report.feedback or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- CLM-12 daily submissions

# how many working days the overview shows by default, and at most (a display window, not policy)
OVERVIEW_DAYS = 10
OVERVIEW_DAYS_MAX = 60


def working_days(last: date, count: int, calendar: str = "office") -> list[date]:
    """The `count` working days up to and including `last`, newest first."""
    days, day = [], last
    for _ in range(count * 4 + 30):
        if len(days) == count:
            break
        if calendars.is_working_day(calendar, day):
            days.append(day)
        day -= timedelta(days=1)
    return days


def reporting_unit(pk) -> Unit:
    """An active reporting unit by id, or 404 (CLM-12)."""
    from kefu.claims.actions_more import reporting_units

    found = reporting_units().filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("单位", "unit")
    return found


def submittable_units(actor: Actor):
    """The reporting units (subsidiaries) the actor may submit the day's form for (CLM-12)."""
    from kefu.claims.actions_more import may_submit_daily, reporting_units

    return [unit for unit in reporting_units().order_by("path") if may_submit_daily(actor, unit)]


def overseen_units(actor: Actor):
    """The reporting units whose submissions the actor keeps watch over (claim.manage in scope)."""
    from kefu.claims.actions_more import reporting_units

    return list(access.scoped(reporting_units(), actor, "claim.manage", unit_path="path").order_by("path"))


@dataclass
class DayCell:
    day: date
    status: str  # submitted | none_today | missing | pending
    count: int = 0
    flagged: bool = False
    submission: DailySubmission | None = None

    @property
    def missing(self) -> bool:
        return self.status == "missing"


@dataclass
class UnitRow:
    unit: Unit
    cells: list[DayCell] = field(default_factory=list)

    @property
    def missing_count(self) -> int:
        return sum(1 for c in self.cells if c.missing)


def daily_overview(actor: Actor, days: int) -> tuple[list[date], list[UnitRow]]:
    """The last `days` working days for every reporting unit the actor oversees or submits for:
    each day submitted (with its count), explicitly "none today", or missing (CLM-12). A past
    working day with no submission is missing whether or not the daily check has flagged it yet;
    today is only pending."""
    today = clock.today()
    dates = working_days(today, days)
    seen = {u.pk: u for u in [*overseen_units(actor), *submittable_units(actor)]}
    units = sorted(seen.values(), key=lambda u: u.path)
    if not units or not dates:
        return dates, []
    ids = [u.pk for u in units]
    span = {"day__gte": min(dates), "day__lte": max(dates), "unit_id__in": ids}
    submissions = {
        (s.unit_id, s.day): s
        for s in DailySubmission.objects.filter(**span).select_related("submitted_by__employee")
    }
    flagged = set(MissingSubmission.objects.filter(**span).values_list("unit_id", "day"))
    rows = []
    for unit in units:
        row = UnitRow(unit=unit)
        for day in dates:
            found = submissions.get((unit.pk, day))
            if found is not None:
                status = "none_today" if found.none_today else "submitted"
                cell = DayCell(day, status, count=len(found.customers), submission=found)
            else:
                cell = DayCell(day, "pending" if day >= today else "missing")
            cell.flagged = (unit.pk, day) in flagged
            row.cells.append(cell)
        rows.append(row)
    return dates, rows
