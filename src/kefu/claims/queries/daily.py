"""Read paths of the group's daily registration submissions (CLM-12): the reporting units, who may
submit for which, the last working days, and the overview of each unit's days — submitted,
explicitly none, or missing."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from kefu.claims.models import DailySubmission, MissingSubmission
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.calendars import api as calendars
from kefu.org import access
from kefu.org.models import Unit, UnitKind
from kefu.org.queries import ID_LIMIT

# how many working days the overview shows by default, and at most (a display window, not policy)
OVERVIEW_DAYS = 10
OVERVIEW_DAYS_MAX = 60


def reporting_units():
    """The units that submit daily (CLM-12): every active subsidiary."""
    return Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True)


def may_submit_daily(actor: Actor, unit: Unit) -> bool:
    """Who submits a unit's daily form: its registering people and 行政部 in scope (CLM-12)."""
    return (
        access.unit_in_scope(actor, "claim.register", unit)
        or access.unit_in_scope(actor, "claim.manage", unit)
        or _unit_of_me(actor, unit)
    )


def _unit_of_me(actor: Actor, unit: Unit) -> bool:
    me = access.employee_of(actor.principal)
    return me is not None and access.can(actor, "claim.register") and me.unit.path.startswith(unit.path)


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
    found = reporting_units().filter(pk=pk).first() if 0 < pk <= ID_LIMIT else None
    if found is None:
        raise NotFound("单位", "unit")
    return found


def submittable_units(actor: Actor):
    """The reporting units (subsidiaries) the actor may submit the day's form for (CLM-12)."""
    return [unit for unit in reporting_units().order_by("path") if may_submit_daily(actor, unit)]


def overseen_units(actor: Actor):
    """The reporting units whose submissions the actor keeps watch over (claim.manage in scope)."""
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
