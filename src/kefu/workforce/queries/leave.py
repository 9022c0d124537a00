"""Read paths of rest and leave (LV-1…LV-5): one's own requests and what remains of the paid-rest
quota (LV-4), a request by id (its requester, an approver asked, or a supervisor over the person:
anyone else answers 404), and the team leave calendar in the caller's `case.manage` scope.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Q, Sum

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.core.scopes import scope_q
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.workforce.models import LeaveKind, LeaveRequest, LeaveState

STANDING = (LeaveState.PENDING, LeaveState.APPROVED)
TEAM = "case.manage"  # supervisors who route the team's cases see its leave calendar
LIST_LIMIT = 200


@dataclass
class Quota:
    year: int
    quarter: int
    per_quarter: Decimal
    per_year: Decimal
    used_quarter: Decimal
    used_year: Decimal
    quarter_entry: object
    year_entry: object

    @property
    def left_quarter(self) -> Decimal:
        return max(Decimal(0), min(self.per_quarter - self.used_quarter, self.left_year))

    @property
    def left_year(self) -> Decimal:
        return max(Decimal(0), self.per_year - self.used_year)


def quarter_of(day: date) -> tuple[date, date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    end = date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    return start, end


def local_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.zone())


def quota(employee, day: date | None = None, *, exclude_pk: int | None = None) -> Quota:
    """LV-4: paid rest the person has requested (pending or approved) in the quarter and year of `day`."""
    day = day or clock.today()
    at = local_start(day)
    per_quarter = policy.lookup("leave.paid_quota_per_quarter", at=at, unit=employee.unit)
    per_year = policy.lookup("leave.paid_quota_per_year", at=at, unit=employee.unit)
    q_start, q_end = quarter_of(day)
    rows = LeaveRequest.objects.filter(employee=employee, kind=LeaveKind.REST, state__in=STANDING)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    used = rows.aggregate(
        year=Sum(
            "paid_days",
            filter=Q(
                starts_at__gte=local_start(date(day.year, 1, 1)),
                starts_at__lt=local_start(date(day.year + 1, 1, 1)),
            ),
        ),
        quarter=Sum(
            "paid_days", filter=Q(starts_at__gte=local_start(q_start), starts_at__lt=local_start(q_end))
        ),
    )
    return Quota(
        day.year,
        (day.month - 1) // 3 + 1,
        Decimal(per_quarter.value),
        Decimal(per_year.value),
        used["quarter"] or Decimal(0),
        used["year"] or Decimal(0),
        per_quarter,
        per_year,
    )


def mine(actor: Actor):
    me = access.employee_of(actor.principal)
    if me is None:
        return LeaveRequest.objects.none()
    return (
        LeaveRequest.objects.filter(employee=me)
        .select_related("employee", "substitute")
        .order_by("-starts_at", "-pk")[:LIST_LIMIT]
    )


def _team_q(actor: Actor) -> Q | None:
    return scope_q(access.grants(actor, TEAM), unit_path="unit__path", owner="employee_id")


def request(actor: Actor, pk) -> LeaveRequest:
    """A request the caller may read: their own, one whose approval asks them, or one in their
    `case.manage` scope; anything else (or a bad id) answers 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = (
        LeaveRequest.objects.filter(pk=pk).select_related("employee", "unit", "substitute").first()
        if 0 < pk < 2**62
        else None
    )
    if found is None:
        raise NotFound("休息申请", "leave request")
    me = access.employee_of(actor.principal)
    if me is not None and found.employee_id == me.pk:
        return found
    if actor.principal is not None and str(found.pk) in set(workflow.asked_of(actor.principal, LeaveRequest)):
        return found
    condition = _team_q(actor)
    if condition is not None and LeaveRequest.objects.filter(condition, pk=found.pk).exists():
        return found
    raise NotFound("休息申请", "leave request")


def may_see_team(actor: Actor) -> bool:
    return access.can(actor, TEAM)


def team_calendar(actor: Actor, start: date, days: int) -> list[LeaveRequest]:
    """Pending and approved leave overlapping [start, start + days) in the caller's scope."""
    condition = _team_q(actor)
    if condition is None:
        return []
    begin, end = local_start(start), local_start(start + timedelta(days=days))
    return list(
        LeaveRequest.objects.filter(condition, state__in=STANDING, starts_at__lt=end, ends_at__gt=begin)
        .select_related("employee", "substitute", "unit")
        .order_by("starts_at", "employee__name")[:LIST_LIMIT]
    )


def approval_of(leave: LeaveRequest):
    """The request's latest approval (steps and who was asked), for its page."""
    return workflow.latest_approval(leave)
