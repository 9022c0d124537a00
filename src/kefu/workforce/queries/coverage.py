"""What the rota solver needs to know about a team, read as plain data (WFM-1): its people and their
skill groups, its shift templates, the coverage needed each day, and each person's last shift end
before the period. Callers have already checked the team is in scope (the draft action)."""

from datetime import date, datetime, timedelta

from django.db.models import Max

from kefu.cases.models import SkillGroup
from kefu.core import clock
from kefu.core.errors import NotFound
from kefu.engine.calendars import api as calendars
from kefu.engine.policy import api as policy
from kefu.org.models import Employee, Unit
from kefu.workforce import solver
from kefu.workforce.models import CoverageRule, DayKind, RotaShift, RotaState, ShiftTemplate

MIN_STAFF_KEY = "workforce.min_staff_per_slot"


def templates(unit: Unit) -> list[ShiftTemplate]:
    return list(ShiftTemplate.objects.filter(unit=unit, active=True).order_by("starts", "code"))


def rules(unit: Unit) -> list[CoverageRule]:
    return list(
        CoverageRule.objects.filter(template__unit=unit, template__active=True)
        .select_related("template", "skill_group")
        .order_by("template__starts", "day_kind")
    )


def members(unit: Unit) -> list[Employee]:
    return list(Employee.objects.filter(unit=unit, status="active").select_related("user").order_by("number"))


def day_kind(day: date, holidays: set[date]) -> str:
    if day in holidays:
        return DayKind.HOLIDAY
    return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WEEKDAY


def minutes(value) -> int:
    return value.hour * 60 + value.minute


def as_solver_template(template: ShiftTemplate) -> solver.Template:
    start, end = minutes(template.starts), minutes(template.ends)
    length = end - start if end > start else end + solver.DAY - start
    # a night shift: any part of it between midnight and six (the statutory 夜班 sense)
    night = template.crosses_midnight or start < 6 * 60
    return solver.Template(template.code, start, length, night)


def problem(
    unit: Unit, first: date, last: date, *, unavailable: dict | None = None, time_limit: float = 20.0
) -> tuple[solver.Problem, list[Employee], list[ShiftTemplate]]:
    people = members(unit)
    shift_templates = templates(unit)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    holidays = calendars.statutory_holidays(first, last)
    by_slot = {(r.template_id, r.day_kind): r for r in rules(unit)}
    default_staff = int(policy.lookup(MIN_STAFF_KEY, unit=unit).value)
    needs = {}
    for day in days:
        kind = day_kind(day, holidays)
        for template in shift_templates:
            rule = by_slot.get((template.pk, kind)) or by_slot.get((template.pk, DayKind.WEEKDAY))
            if rule is None:
                needs[day, template.code] = solver.Need(default_staff)
            else:
                skills = {str(rule.skill_group_id): rule.min_skilled} if rule.skill_group_id else {}
                needs[day, template.code] = solver.Need(rule.min_staff, skills)
    groups = SkillGroup.members.through.objects.filter(employee__in=people).values_list(
        "employee_id", "skillgroup_id"
    )
    skills: dict[int, set[str]] = {}
    for employee_id, group_id in groups:
        skills.setdefault(employee_id, set()).add(str(group_id))
    rest = policy.lookup("workforce.min_rest_between_shifts", unit=unit).duration()
    start_of_period = datetime.combine(first, datetime.min.time(), tzinfo=clock.zone())
    ends = (
        RotaShift.objects.filter(
            employee__in=people,
            rota__state__in=[RotaState.FINAL, RotaState.PUBLISHED],
            starts_at__lt=start_of_period,
            ends_at__gt=start_of_period - rest,
        )
        .values("employee_id")
        .annotate(last=Max("ends_at"))
    )
    previous_end = {row["employee_id"]: clock.local(row["last"]).replace(tzinfo=None) for row in ends}
    return (
        solver.Problem(
            people=[solver.Person(p.pk, frozenset(skills.get(p.pk, ()))) for p in people],
            templates=[as_solver_template(t) for t in shift_templates],
            days=days,
            needs=needs,
            rest_minutes=int(rest.total_seconds() // 60),
            unavailable={k: set(v) for k, v in (unavailable or {}).items()},
            previous_end=previous_end,
            holidays=frozenset(holidays),
            time_limit=time_limit,
        ),
        people,
        shift_templates,
    )


def skill_group(pk: int, unit: Unit) -> SkillGroup:
    """A skill group of the team's line (at, above or below the team), else 404."""
    found = SkillGroup.objects.select_related("unit").filter(pk=pk).first()
    if found is None or not (unit.path.startswith(found.unit.path) or found.unit.path.startswith(unit.path)):
        raise NotFound("技能组", "skill group")
    return found


def skill_groups(unit: Unit) -> list[SkillGroup]:
    """The active skill groups of the team's line, for the coverage form."""
    ancestors = unit.ancestor_ids()
    return [
        g
        for g in SkillGroup.objects.filter(active=True).select_related("unit").order_by("name")
        if g.unit_id in ancestors or g.unit.path.startswith(unit.path)
    ]
