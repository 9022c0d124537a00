"""Who is unavailable at an instant (LV-5, WFM-1, ROUTE-1): what the rota and approved leave say.

Unavailable at t: an approved leave covers t; or the person's team (their unit) has a PUBLISHED rota
covering t's local day and they have no shift of a published rota running at t. The supervisor's
manual override (cases' `Availability`, with a reason) is read by routing itself. Each reason is a
condition on `Employee` rows, so routing reads them inside its one owner-choosing query; the app
registers `unavailable_q` with cases routing at ready (cases never imports workforce).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from kefu.cases.models import Availability
from kefu.core import clock
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus
from kefu.workforce.models import LeaveRequest, LeaveState, Rota, RotaShift, RotaState

LIST_LIMIT = 500
SHIFT_AT_MOST = timedelta(days=1)  # structural: a shift template spans less than a day


def on_leave(at: datetime) -> Exists:
    return Exists(
        LeaveRequest.objects.filter(
            employee=OuterRef("pk"), state=LeaveState.APPROVED, starts_at__lte=at, ends_at__gt=at
        )
    )


def off_shift(at: datetime) -> Q:
    day = clock.local(at).date()
    rota = Rota.objects.filter(
        unit=OuterRef("unit"), state=RotaState.PUBLISHED, starts_on__lte=day, ends_on__gte=day
    )
    # a shift lasts less than a day (a template ends within 24 hours of its start): the lower bound
    # keeps the scan of the (employee, starts_at) index to the last day, however long the history
    shift = RotaShift.objects.filter(
        employee=OuterRef("pk"),
        rota__state=RotaState.PUBLISHED,
        starts_at__gt=at - SHIFT_AT_MOST,
        starts_at__lte=at,
        ends_at__gt=at,
    )
    return Q(Exists(rota)) & ~Q(Exists(shift))


def unavailable_q(at: datetime) -> Q:
    """The rota-and-leave condition routing adds to its manual override (registered at ready)."""
    return Q(on_leave(at)) | off_shift(at)


@dataclass
class Why:
    employee: Employee
    on_leave: bool
    off_shift: bool
    override: str | None  # the supervisor's reason when marked unavailable by hand

    @property
    def available(self) -> bool:
        return not (self.on_leave or self.off_shift or self.override is not None)

    @property
    def reason_zh(self) -> str:
        parts = []
        if self.on_leave:
            parts.append("休息/请假中（已批准）")
        if self.off_shift:
            parts.append("已发布排班中此时不在班")
        if self.override is not None:
            parts.append(f"主管标记不可接单：{self.override}")
        return "；".join(parts) or "可接单"


def of_people(people, at: datetime | None = None) -> list[Why]:
    """Each person's availability at `at` with its reasons, in one query."""
    at = at or clock.now()
    manual = Availability.objects.filter(employee=OuterRef("pk"), available=False)
    rows = people.select_related("unit", "availability").annotate(
        leave=on_leave(at),
        override=Exists(manual),
        off=ExpressionWrapper(off_shift(at), output_field=BooleanField()),
    )[:LIST_LIMIT]
    return [
        Why(person, person.leave, person.off, person.availability.note if person.override else None)
        for person in rows
    ]


def team(actor, at: datetime | None = None) -> list[Why]:
    """The people of the caller's `case.manage` scope (their team) with their availability at `at`."""
    condition = scope_q(access.grants(actor, "case.manage"), unit_path="unit__path", owner="pk")
    if condition is None:
        return []
    people = Employee.objects.filter(condition, status=EmploymentStatus.ACTIVE).order_by(
        "unit__path", "number"
    )
    return of_people(people, at)
