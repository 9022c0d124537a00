"""Reading rotas (WFM-1), filtered by scope: rota.view over the team, or being in the team (staff see
their team's rota and their own shifts). Out of scope → 404."""

import hashlib
from datetime import date, datetime, timedelta

from django.db.models import Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.workforce.models import (
    CalendarFeed,
    ChangeState,
    Rota,
    RotaComment,
    RotaShift,
    RotaState,
    ShiftChange,
    ShiftTemplate,
)

VIEW = "rota.view"
REST_KEY = "workforce.min_rest_between_shifts"


def _visible(actor: Actor):
    scoped = access.scoped(Rota.objects.all(), actor, VIEW)
    me = access.employee_of(actor.user)
    own = Rota.objects.filter(unit_id=me.unit_id) if me is not None else Rota.objects.none()
    ids = scoped.values("pk").union(own.values("pk"))
    return Rota.objects.filter(pk__in=ids).select_related("unit")


def rotas(actor: Actor, *, unit: Unit | None = None):
    qs = _visible(actor)
    if unit is not None:
        qs = qs.filter(unit=unit)
    return qs.order_by("-starts_on", "-pk")


def rota(actor: Actor, pk: int) -> Rota:
    found = _visible(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("排班表", "rota")
    return found


def shifts(rota: Rota, *, first: date | None = None, last: date | None = None):
    qs = rota.shifts.select_related("employee", "template").order_by("starts_at", "employee__number")
    return qs


def comments(rota: Rota):
    return RotaComment.objects.filter(rota=rota).select_related("employee")


def teams(actor: Actor) -> list[Unit]:
    """Units the actor manages rotas for, or may view, that have shift templates or rotas."""
    qs = access.scoped(Unit.objects.all(), actor, VIEW, unit_path="path")
    return list(
        qs.filter(Q(shift_templates__isnull=False) | Q(rotas__isnull=False)).distinct().order_by("path")
    )


def team(actor: Actor, pk: int) -> Unit:
    found = access.scoped(Unit.objects.all(), actor, VIEW, unit_path="path").filter(pk=pk).first()
    if found is None:
        raise NotFound("班组", "team")
    return found


def templates(unit: Unit):
    return ShiftTemplate.objects.filter(unit=unit).order_by("starts", "code")


def template(actor: Actor, pk: int) -> ShiftTemplate:
    found = ShiftTemplate.objects.select_related("unit").filter(pk=pk).first()
    if found is None or not access.record_in_scope(actor, VIEW, unit=found.unit, owner_id=None):
        raise NotFound("班次", "shift template")
    return found


def my_shifts(actor: Actor, *, since=None):
    me = access.employee_of(actor.user)
    if me is None:
        return RotaShift.objects.none()
    qs = RotaShift.objects.filter(employee=me, rota__state=RotaState.PUBLISHED)
    if since is not None:
        qs = qs.filter(ends_at__gt=since)
    return qs.select_related("template", "rota__unit").order_by("starts_at")


def shift(actor: Actor, pk: int) -> RotaShift:
    found = RotaShift.objects.select_related("rota__unit", "employee").filter(pk=pk).first()
    if found is None:
        raise NotFound("班次", "shift")
    me = access.employee_of(actor.user)
    mine = me is not None and (found.employee_id == me.pk or me.unit_id == found.rota.unit_id)
    if not mine and not access.record_in_scope(actor, VIEW, unit=found.rota.unit, owner_id=None):
        raise NotFound("班次", "shift")
    return found


def employee(actor: Actor, pk: int) -> Employee:
    found = Employee.objects.select_related("unit", "user").filter(pk=pk).first()
    me = access.employee_of(actor.user)
    if found is None:
        raise NotFound("员工", "employee")
    if not (me and me.unit_id == found.unit_id) and not access.record_in_scope(
        actor, VIEW, unit=found.unit, owner_id=found.pk
    ):
        raise NotFound("员工", "employee")
    return found


def changes(actor: Actor, *, pending_only: bool = False):
    me = access.employee_of(actor.user)
    scoped = access.scoped(ShiftChange.objects.all(), actor, VIEW, unit_path="shift__rota__unit__path")
    mine = Q(requester=me) | Q(colleague=me) if me is not None else Q(pk__in=[])
    qs = ShiftChange.objects.filter(Q(pk__in=scoped.values("pk")) | mine)
    if pending_only:
        qs = qs.filter(state=ChangeState.PENDING)
    return qs.select_related("shift", "their_shift", "requester", "colleague")


def change(actor: Actor, pk: int) -> ShiftChange:
    found = changes(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("调班申请", "shift change")
    return found


def feed_owner(token: str) -> Employee | None:
    """The employee whose calendar-feed token this is (compared by hash), or None."""
    digest = hashlib.sha256((token or "").encode()).hexdigest()
    row = CalendarFeed.objects.select_related("employee").filter(token_hash=digest).first()
    return row.employee if row is not None else None


def feed_shifts(employee: Employee):
    return (
        RotaShift.objects.filter(employee=employee, rota__state=RotaState.PUBLISHED)
        .select_related("template", "rota__unit")
        .order_by("starts_at")
    )


def published_shifts(unit: Unit, first: date, last: date):
    """Shifts of the team's published rotas starting between `first` and `last` (local days)."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=clock.zone())
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=clock.zone())
    return (
        RotaShift.objects.filter(
            rota__unit=unit, rota__state=RotaState.PUBLISHED, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("employee", "template")
        .order_by("starts_at", "employee__number")
    )


def team_shifts(unit: Unit, *, since):
    """Upcoming shifts of the team's published rotas (colleagues' shifts for a swap)."""
    return (
        RotaShift.objects.filter(rota__unit=unit, rota__state=RotaState.PUBLISHED, starts_at__gt=since)
        .select_related("employee", "template")
        .order_by("starts_at")[:300]
    )


def too_close(employee: Employee, starts_at: datetime, ends_at: datetime, *, ignore=()) -> RotaShift | None:
    """WFM-1 rest between shifts: a shift of `employee` in a final or published rota that overlaps
    [starts_at, ends_at) or leaves less than the pack's minimum rest before or after it; `ignore`:
    shift ids that are about to change hands (a swap's own shifts). None when the span fits."""
    rest = policy.lookup(REST_KEY, unit=employee.unit).duration()
    return (
        RotaShift.objects.filter(
            employee=employee,
            rota__state__in=[RotaState.FINAL, RotaState.PUBLISHED],
            starts_at__lt=ends_at + rest,
            ends_at__gt=starts_at - rest,
        )
        .exclude(pk__in=list(ignore))
        .order_by("starts_at")
        .first()
    )
