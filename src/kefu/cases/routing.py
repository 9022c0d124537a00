"""ROUTE-1: which skill group takes a case and which available member owns it.

The group: an active skill group of the case's subsidiary (else of the group company above it) that
takes the case's family, front office before back office. The owner: the group's active member who is
available and holds the fewest open cases (ties: the lowest id). An agent marked unavailable — on
leave, off shift — gets nothing; when nobody is
available the case waits in the group's queue and the supervisors see it there.
"""

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from kefu.cases.models import Availability, Office, SkillGroup
from kefu.core import memo
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit


def _subsidiary_path(unit: Unit) -> str:
    """The path of the unit's subsidiary (or of the unit itself when it sits above any subsidiary);
    read once per request (the policy pack asks the same for overrides)."""
    found = policy.subsidiary_of(unit)
    return found.path if found is not None else unit.path


def within_reach(actor, case_unit: Unit, target: Unit, code: str = "case.manage") -> bool:
    """Issue 10: where a case (or its 报备, its responsible staff) may be sent — inside the subsidiary
    that holds it, or a unit the actor's `code` scope covers (a group-level supervisor moving it
    between subsidiaries). Nobody writes into another subsidiary on a case's behalf."""
    return target.path.startswith(_subsidiary_path(case_unit)) or access.unit_in_scope(actor, code, target)


def group_for(unit: Unit, family: str) -> SkillGroup | None:
    """A group of the unit's own subsidiary before one of the group company; front office first."""
    return memo.shared(("cases.group_for", unit.pk, unit.path, family), lambda: _group_for(unit, family))


def _group_for(unit: Unit, family: str) -> SkillGroup | None:
    within = Q(unit__path__startswith=_subsidiary_path(unit)) | Q(unit_id__in=unit.ancestor_ids())
    groups = [
        g
        for g in SkillGroup.objects.filter(within, active=True).select_related("unit")
        if family in (g.families or [])
    ]
    groups.sort(key=lambda g: (-g.unit.depth, g.office != Office.FRONT, g.pk))
    return groups[0] if groups else None


def available_members(group: SkillGroup):
    unavailable = Availability.objects.filter(available=False).values("employee_id")
    return group.members.filter(status=EmploymentStatus.ACTIVE).exclude(pk__in=unavailable)


def least_loaded(people) -> Employee | None:
    """The person with the fewest open cases (ties: the lower id), with their unit and user. The
    counts are kept per member by the case actions (`workload`): one row read per candidate, whatever
    the backlog (issue 11)."""
    return (
        people.select_related("unit", "user")
        .annotate(load=Coalesce(F("case_load__open_cases"), 0))
        .order_by("load", "pk")
        .first()
    )


def is_available(employee: Employee) -> bool:
    if employee.status != EmploymentStatus.ACTIVE:
        return False
    flag = Availability.objects.filter(employee=employee).values_list("available", flat=True).first()
    return flag is not False
