"""Read paths of emergency drills (DRL-1): the drills a person may see (emergency.view or
emergency.plan.manage over the drill's unit), one drill by id (404 outside) with its participants, steps
and corrective actions; the plans that still need a drill this calendar year ("due": fewer drills held or
scheduled this year than the pack's `emergency.drills_per_year`, seed 003 "每年至少进行一次应急演练"); the
annual execution summary per unit and year (seed 003 "每年对应急预案的执行情况进行总结"), to which other
modules add sections with `register_summary_section`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import scope_q
from kefu.emergency.models import Drill, DrillAction, DrillStatus, Plan
from kefu.emergency.queries import plans as plan_queries
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

VIEW = plan_queries.VIEW
MANAGE = plan_queries.MANAGE
READERS = (VIEW, MANAGE)
PER_YEAR = "emergency.drills_per_year"
REMIND_BEFORE = "emergency.drill_remind_before"
ID_LIMIT = 2**31
COUNTED = (DrillStatus.SCHEDULED, DrillStatus.HELD, DrillStatus.EVALUATED)
DONE = (DrillStatus.HELD, DrillStatus.EVALUATED)


def _id(pk) -> int:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return 0
    return pk if 0 < pk < ID_LIMIT else 0


def year_bounds(year: int) -> tuple[datetime, datetime]:
    """The local calendar year as [start, end) instants."""
    zone = clock.zone()
    return (
        datetime.combine(date(year, 1, 1), time(0), tzinfo=zone),
        datetime.combine(date(year + 1, 1, 1), time(0), tzinfo=zone),
    )


def in_year_q(year: int, prefix: str = "") -> Q:
    """DRL-1: a drill counts for the year it was held in, or (not held yet) the year it is scheduled for."""
    start, end = year_bounds(year)
    return Q(
        **{f"{prefix}status__in": DONE, f"{prefix}held_at__gte": start, f"{prefix}held_at__lt": end}
    ) | Q(
        **{
            f"{prefix}status": DrillStatus.SCHEDULED,
            f"{prefix}scheduled_for__gte": start,
            f"{prefix}scheduled_for__lt": end,
        }
    )


def per_year(unit: Unit | None = None) -> int:
    return int(policy.lookup(PER_YEAR, unit=unit).value)


def remind_days() -> int:
    return int(policy.lookup(REMIND_BEFORE).value)


# ------------------------------------------------------------------ drills


def visible_q(actor: Actor) -> Q | None:
    grants = [g for code in READERS for g in access.grants(actor, code)]
    return scope_q(grants, unit_path="unit__path", owner=None)


def drills(actor: Actor):
    condition = visible_q(actor)
    if condition is None:
        return Drill.objects.none()
    return (
        Drill.objects.filter(condition)
        .select_related("plan", "unit", "organiser", "version")
        .order_by("-scheduled_for", "-pk")
    )


def drill(actor: Actor, pk) -> Drill:
    found = drills(actor).filter(pk=_id(pk)).first() if _id(pk) else None
    if found is None:
        raise NotFound("应急演练", "drill")
    return found


def detail(found: Drill) -> dict:
    today = clock.today()
    actions = list(found.actions.select_related("owner", "revision").order_by("closed_at", "due_on", "pk"))
    for a in actions:
        a.is_overdue = a.closed_at is None and a.due_on < today
    return {
        "participants": list(
            found.participants.select_related("employee__unit").order_by("employee__number")
        ),
        "steps": list(found.steps.order_by("position")),
        "plan_steps": list(found.version.steps.order_by("position")),
        "actions": actions,
    }


def action(actor: Actor, pk) -> DrillAction:
    found = DrillAction.objects.filter(pk=_id(pk)).select_related("drill__unit").first() if _id(pk) else None
    if found is None:
        raise NotFound("整改措施", "corrective action")
    drill(actor, found.drill_id)
    return found


def grouped(actor: Actor) -> dict:
    """The drill list page: upcoming (scheduled), to evaluate (held, 待评估), evaluated, cancelled."""
    rows = list(drills(actor)[:500])
    now = clock.now()
    upcoming = sorted(
        (d for d in rows if d.status == DrillStatus.SCHEDULED), key=lambda d: (d.scheduled_for, d.pk)
    )
    for d in upcoming:
        d.is_late = d.scheduled_for < now
    return {
        "upcoming": upcoming,
        "to_evaluate": [d for d in rows if d.status == DrillStatus.HELD],
        "evaluated": [d for d in rows if d.status == DrillStatus.EVALUATED],
        "cancelled": [d for d in rows if d.status == DrillStatus.CANCELLED],
    }


def may_manage(actor: Actor, unit: Unit) -> bool:
    return access.may_write(actor, MANAGE, unit=unit, owner_id=None)


# ------------------------------------------------------------------ DRL-1: plans due


def _counts(plans: list[Plan], year: int) -> list[Plan]:
    """Each plan's drills held or scheduled in `year` (`counted`), held (`held`) and evaluated."""
    ids = [p.pk for p in plans]
    found = {
        r["plan_id"]: r
        for r in Drill.objects.filter(in_year_q(year), plan_id__in=ids)
        .values("plan_id")
        .annotate(
            counted=Count("pk"),
            held=Count("pk", filter=Q(status__in=DONE)),
            evaluated=Count("pk", filter=Q(status=DrillStatus.EVALUATED)),
            average=Avg("score", filter=Q(status=DrillStatus.EVALUATED)),
        )
    }
    required: dict[int, int] = {}  # per unit: the pack's entry (a subsidiary may override it)
    for p in plans:
        row = found.get(p.pk, {})
        if p.unit_id not in required:
            required[p.unit_id] = per_year(p.unit)
        p.required = required[p.unit_id]
        p.counted = row.get("counted", 0)
        p.held = row.get("held", 0)
        p.evaluated = row.get("evaluated", 0)
        p.average = row.get("average")
        p.missing = max(p.required - p.counted, 0)
    return plans


def due_plans(actor: Actor, year: int | None = None) -> list[Plan]:
    """DRL-1: the plans the actor sees through emergency.view / plan.manage whose drills held or scheduled
    this calendar year are fewer than the pack's `emergency.drills_per_year`."""
    year = year or clock.today().year
    condition = scope_q(
        [g for code in READERS for g in access.grants(actor, code)], unit_path="unit__path", owner=None
    )
    if condition is None:
        return []
    plans = list(
        Plan.objects.filter(condition).select_related("unit").order_by("unit__path", "plan_type", "pk")
    )
    return [p for p in _counts(plans, year) if p.missing]


def all_due_plans(year: int) -> list[Plan]:
    """DRL-1, the daily job: every plan short of drills this year."""
    plans = list(Plan.objects.select_related("unit", "created_by").order_by("pk"))
    return [p for p in _counts(plans, year) if p.missing]


def upcoming_to_remind(now: datetime) -> list[Drill]:
    """Scheduled drills within the pack's `emergency.drill_remind_before` days from now."""
    return list(
        Drill.objects.filter(
            status=DrillStatus.SCHEDULED,
            scheduled_for__gte=now,
            scheduled_for__lte=now + timedelta(days=remind_days()),
        )
        .select_related("plan__created_by", "unit", "organiser__user")
        .order_by("scheduled_for", "pk")
    )


def overdue_actions(today: date) -> list[DrillAction]:
    return list(
        DrillAction.objects.filter(closed_at__isnull=True, due_on__lt=today)
        .select_related("drill__plan__created_by", "owner__user")
        .order_by("due_on", "pk")
    )


# ------------------------------------------------------------------ the annual execution summary

SummarySection = Callable[[Unit, int], tuple[str, list[str], list[list]]]
SECTIONS: list[SummarySection] = []


def register_summary_section(fn: SummarySection) -> SummarySection:
    """Add a section to the annual execution summary: fn(unit, year) → (title_zh, headers, rows).
    The incidents module adds its incidents table this way. Registering twice adds it once."""
    if fn not in SECTIONS:
        SECTIONS.append(fn)
    return fn


@dataclass
class Summary:
    unit: Unit
    year: int
    plans: list = field(default_factory=list)
    due: int = 0
    scheduled: int = 0
    held: int = 0
    evaluated: int = 0
    average: float | None = None
    short: int = 0
    actions_open: int = 0
    actions_overdue: int = 0
    actions_closed: int = 0
    sections: list = field(default_factory=list)


def summary(unit: Unit, year: int) -> Summary:
    """DRL-1: per unit (and below) and calendar year — every plan with the drills due, held and evaluated
    and the average evaluation; the corrective actions of the year's drills open/overdue/closed; and the
    sections other modules registered."""
    plans = _counts(
        list(
            Plan.objects.filter(unit__path__startswith=unit.path)
            .select_related("unit")
            .order_by("unit__path", "plan_type", "pk")
        ),
        year,
    )
    found = Summary(unit=unit, year=year, plans=plans)
    found.due = sum(p.required for p in plans)
    found.held = sum(p.held for p in plans)
    found.evaluated = sum(p.evaluated for p in plans)
    found.scheduled = sum(p.counted - p.held for p in plans)
    found.short = sum(1 for p in plans if p.held < p.required)
    drills_of_year = Drill.objects.filter(in_year_q(year), unit__path__startswith=unit.path)
    scores = drills_of_year.filter(status=DrillStatus.EVALUATED).aggregate(avg=Avg("score"))["avg"]
    found.average = round(float(scores), 1) if scores is not None else None
    actions = DrillAction.objects.filter(drill__in=drills_of_year.filter(status__in=DONE))
    today = clock.today()
    counts = actions.aggregate(
        open=Count("pk", filter=Q(closed_at__isnull=True)),
        overdue=Count("pk", filter=Q(closed_at__isnull=True, due_on__lt=today)),
        closed=Count("pk", filter=Q(closed_at__isnull=False)),
    )
    found.actions_open, found.actions_overdue, found.actions_closed = (
        counts["open"],
        counts["overdue"],
        counts["closed"],
    )
    found.sections = [fn(unit, year) for fn in SECTIONS]
    return found


def summary_units(actor: Actor) -> list[Unit]:
    """The units whose summary the actor may read: emergency.view / plan.manage over them."""
    grants = [g for code in READERS for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="path", owner=None)
    if condition is None:
        return []
    return list(Unit.objects.filter(condition, is_active=True).order_by("path")[:200])


def summary_unit(actor: Actor, value) -> Unit:
    """The unit named (default: the widest the actor reads), refused (404) outside the actor's scope."""
    units = summary_units(actor)
    if not units:
        raise NotFound("应急演练总结", "drill summary")
    if value in (None, ""):
        return units[0]
    found = Unit.objects.filter(pk=_id(value)).first() if _id(value) else None
    if found is None or not any(
        access.record_in_scope(actor, code, unit=found, owner_id=None) for code in READERS
    ):
        raise NotFound("单位", "unit")
    return found


def year_named(value) -> int:
    if value in (None, ""):
        return clock.today().year
    try:
        year = int(str(value).strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise Invalid(
            "drill_year", "年份应为 2000 至 2100 之间的整数", "Year out of range", {"year": "range"}
        )
    return year


# ------------------------------------------------------------------ the forms' choices


def plan_choices(actor: Actor) -> list[Plan]:
    """The plans the actor may schedule drills of (plan.manage over the plan's unit)."""
    grants = access.write_grants(actor, MANAGE)
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    if condition is None:
        return []
    return list(
        Plan.objects.filter(condition).select_related("unit").order_by("unit__path", "plan_type", "pk")
    )


def people_of(unit: Unit) -> list[Employee]:
    """The active staff of the unit's subsidiary (organiser, participants, action owners)."""
    home = policy.subsidiary_of(unit) or unit
    return list(
        Employee.objects.filter(status=EmploymentStatus.ACTIVE, unit__path__startswith=home.path)
        .select_related("unit")
        .order_by("unit__path", "number")[:300]
    )


def people_for(plans: list[Plan]) -> list[Employee]:
    """The organisers the scheduling form offers: the staff of each subsidiary the plans belong to."""
    homes = {}
    for p in plans:
        home = policy.subsidiary_of(p.unit) or p.unit
        homes.setdefault(home.pk, p.unit)
    people: list[Employee] = []
    for unit in homes.values():
        people += people_of(unit)
    return people
