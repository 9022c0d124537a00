"""Who to tell or ask, resolved from the organisation at the moment it matters.

Declarations use these to name recipients and approvers without hard-coding people.
"""

from django.contrib.auth import get_user_model

from kefu.core.actor import Actor
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

User = get_user_model()


def _employee(obj, attr: str) -> Employee | None:
    value = obj
    for part in attr.split("."):
        value = getattr(value, part, None)
        if value is None:
            return None
    return value


def person(attr: str):
    """The employee at `attr` of the record (e.g. "owner")."""

    def resolve(obj, *_):
        employee = _employee(obj, attr)
        return [employee.user] if employee is not None else []

    return resolve


def supervisors_of(attr: str):
    """The direct supervisors of the employee at `attr` (ORG-2)."""

    def resolve(obj, *_):
        employee = _employee(obj, attr)
        if employee is None:
            return []
        return [
            s.user for s in employee.supervisors.filter(status=EmploymentStatus.ACTIVE).select_related("user")
        ]

    return resolve


def _ancestor(unit: Unit, kind: str) -> Unit | None:
    ids = unit.ancestor_ids()
    return Unit.objects.filter(pk__in=ids, kind=kind).first()


def role_holders(role_code: str, *, unit_attr: str | None = None, within: str = "subsidiary"):
    """Active holders of `role_code`; with `unit_attr`, only those inside the record's `within` unit."""

    def resolve(obj, *_):
        people = Employee.objects.filter(
            role_assignments__role__code=role_code, status=EmploymentStatus.ACTIVE
        )
        if unit_attr:
            unit = _employee(obj, unit_attr)
            anchor = _ancestor(unit, within) if unit is not None else None
            if anchor is None:
                return []
            people = people.filter(unit__path__startswith=anchor.path)
        return [e.user for e in people.select_related("user").distinct()]

    return resolve


def requester_supervisors(obj, requester: Employee | None):
    """Approval step helper: the requester's supervisors."""
    if requester is None:
        return []
    return [
        s.user for s in requester.supervisors.filter(status=EmploymentStatus.ACTIVE).select_related("user")
    ]


def requester_second_line(obj, requester: Employee | None):
    """Approval step helper: the supervisors of the requester's supervisors (the manager's superior)."""
    if requester is None:
        return []
    bosses = Employee.objects.filter(reports=requester)
    return [
        e.user
        for e in Employee.objects.filter(reports__in=bosses, status=EmploymentStatus.ACTIVE)
        .select_related("user")
        .distinct()
    ]


# ---------------------------------------------------------------- the next level up (WF-4 fallback)

GROUP_LEADERSHIP_ROLE = "executive"  # 集团领导 (总经理、副总经理): the top of every approval line


def may_approve(user) -> bool:
    """Whether `user` may decide approval steps at all (approval.decide; ORG-4: never a 督导)."""
    return user.is_active and access.can(Actor(user=user, origin="approvers"), "approval.decide")


def superiors_above(person: Employee | None, exclude: set[int]) -> list:
    """The nearest active superiors of `person` up the supervisor line (ORG-2) who may approve,
    skipping the users in `exclude`: the first level with somebody left answers."""
    if person is None:
        return []
    seen, level = {person.pk}, [person]
    while level:
        level = list(
            Employee.objects.filter(reports__in=level, status=EmploymentStatus.ACTIVE)
            .exclude(pk__in=seen)
            .select_related("user")
            .distinct()
        )
        seen.update(e.pk for e in level)
        found = [e.user for e in level if e.user_id not in exclude and may_approve(e.user)]
        if found:
            return found
    return []


def group_leadership(exclude: set[int]) -> list:
    """The group's leadership who may approve, skipping the users in `exclude`."""
    return [u for u in role_holders(GROUP_LEADERSHIP_ROLE)(None) if u.pk not in exclude and may_approve(u)]


def next_level_up(person: Employee | None, exclude: set[int]) -> tuple[list, str]:
    """Who approves when a step's usual approver is the requester or nobody (WF-4): `person`'s nearest
    superiors who may approve; at the top of the line, the group's leadership. → (users, level), level
    "superior" or "group_leadership"."""
    found = superiors_above(person, exclude)
    if found:
        return found, "superior"
    return group_leadership(exclude), "group_leadership"
