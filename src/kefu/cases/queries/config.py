"""Read paths of the configuration pages and API (CASE-1, ROUTE-1), through the caller's
`case.configure` scope: the units they configure, the kinds and skill groups there, and who may join
a group. A row outside the scope answers 404 like a missing one.
"""

from django.db.models import Prefetch, Q

from kefu.cases.models import CaseKind, SkillGroup
from kefu.cases.queries.scope import by_pk, team_q
from kefu.core.actor import Actor
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind


def configurable_units(actor: Actor, *, subsidiaries: bool = False):
    """Units the actor configures: subsidiaries (for kinds) or any unit (for skill groups)."""
    condition = team_q(actor, "case.configure", "path")
    if condition is None:
        return Unit.objects.none()
    units = Unit.objects.filter(condition, is_active=True)
    if subsidiaries:
        units = units.filter(kind=UnitKind.SUBSIDIARY)
    return units.order_by("path")


def kinds(actor: Actor):
    """The shipped kinds and the kinds of the subsidiaries the actor configures."""
    condition = team_q(actor, "case.configure", "unit__path")
    if condition is None:
        return CaseKind.objects.none()
    return (
        CaseKind.objects.filter(Q(unit__isnull=True) | condition)
        .select_related("unit")
        .order_by("unit__path", "ordering", "pk")
    )


def kind(actor: Actor, pk) -> CaseKind:
    return by_pk(kinds(actor), pk, ("工单类型", "case kind"))


def groups(actor: Actor):
    condition = team_q(actor, "case.configure", "unit__path")
    if condition is None:
        return SkillGroup.objects.none()
    return (
        SkillGroup.objects.filter(condition)
        .select_related("unit")
        .prefetch_related(Prefetch("members", queryset=Employee.objects.order_by("number")))
        .order_by("unit__path", "code")
    )


def group(actor: Actor, pk) -> SkillGroup:
    return by_pk(groups(actor), pk, ("技能组", "skill group"))


def eligible_members(actor: Actor):
    """Active employees of the units the actor configures (the group's own subsidiary is checked on save)."""
    condition = team_q(actor, "case.configure", "unit__path")
    if condition is None:
        return Employee.objects.none()
    return (
        Employee.objects.filter(condition, status=EmploymentStatus.ACTIVE)
        .select_related("unit")
        .order_by("unit__path", "number")
    )


def configurable_unit(actor: Actor, pk) -> Unit:
    return by_pk(configurable_units(actor), pk, ("单位", "unit"))
