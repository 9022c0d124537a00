"""Read paths of the complaint-surge detector (EMG-5): the counts the sweep compares — read from the
cases' `received_at` index (`cases_newest_first`), one range of the window, never a scan of every
case — and the surges the command centre sees, within its data scope."""

from datetime import datetime, timedelta

from django.db.models import Count, Q

from kefu.cases.models import Case
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.emergency.models import Surge
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role, Unit, UnitKind

COMMAND = "emergency.command"
FAMILIES = ("complaint", "repair")  # EMG-5: 客户投诉量激增 and the 报修 of a burst main; the families watched


def window_counts(start: datetime, end: datetime) -> dict[tuple[int, str], int]:
    """Cases received in [start, end] per (subsidiary id, family), the watched families only."""
    rows = (
        Case.objects.filter(received_at__gte=start, received_at__lte=end, family__in=FAMILIES)
        .order_by()
        .values_list("unit_id", "family")
        .annotate(n=Count("id"))
    )
    return _by_subsidiary(rows)


def _by_subsidiary(rows) -> dict[tuple[int, str], int]:
    rows = list(rows)
    subsidiaries = subsidiary_ids({unit_id for unit_id, *_ in rows})
    out: dict[tuple[int, str], int] = {}
    for unit_id, family, n in rows:
        sub = subsidiaries.get(unit_id)
        if sub is not None:
            out[(sub, family)] = out.get((sub, family), 0) + n
    return out


def subsidiary_ids(unit_ids) -> dict[int, int]:
    """unit id → the id of its subsidiary (itself if it is one); units under no subsidiary are left out."""
    if not unit_ids:
        return {}
    units = list(Unit.objects.filter(pk__in=unit_ids).only("pk", "path", "kind"))
    ancestors = {a for u in units for a in u.ancestor_ids()}
    subs = set(Unit.objects.filter(pk__in=ancestors, kind=UnitKind.SUBSIDIARY).values_list("pk", flat=True))
    out = {}
    for unit in units:
        found = [a for a in unit.ancestor_ids() if a in subs]
        if found:
            out[unit.pk] = found[-1]
    return out


def baseline_counts(subsidiary: Unit, family: str, start: datetime, end: datetime, days: int) -> list[int]:
    """The count of the same window on each of the `days` earlier days (one range per day, one query)."""
    ranges = [(start - timedelta(days=d), end - timedelta(days=d)) for d in range(1, days + 1)]
    within = Q()
    for low, high in ranges:
        within |= Q(received_at__gte=low, received_at__lte=high)
    counted = Case.objects.filter(within, family=family, unit__path__startswith=subsidiary.path).aggregate(
        **{
            f"d{i}": Count("id", filter=Q(received_at__gte=low, received_at__lte=high))
            for i, (low, high) in enumerate(ranges)
        }
    )
    return [counted[f"d{i}"] or 0 for i in range(len(ranges))]


def window_cases(subsidiary: Unit, family: str, start: datetime, end: datetime) -> list[int]:
    """Ids of the cases counted in the window, oldest first (the last is the threshold case)."""
    return list(
        Case.objects.filter(
            received_at__gte=start,
            received_at__lte=end,
            family=family,
            unit__path__startswith=subsidiary.path,
        )
        .order_by("received_at", "id")
        .values_list("id", flat=True)
    )


def ongoing() -> dict[tuple[int, str], Surge]:
    return {(s.unit_id, s.family): s for s in Surge.objects.filter(ended_at__isnull=True)}


def due_alert_ids(now: datetime) -> list[int]:
    """Unacknowledged surges whose next alert is due (partial index `emergency_surge_due`)."""
    return list(Surge.objects.filter(next_alert_at__lte=now).values_list("pk", flat=True))


def command_holders(unit: Unit) -> list:
    """The command centre for `unit`: active people whose roles give `emergency.command` over it."""
    codes = [r.code for r in Role.objects.all() if COMMAND in (r.permissions or [])]
    people = (
        Employee.objects.filter(
            role_assignments__role__code__in=codes, status=EmploymentStatus.ACTIVE, user__isnull=False
        )
        .select_related("user")
        .distinct()
        .order_by("number")
    )
    return [
        e.user
        for e in people
        if access.record_in_scope(
            access.actor_for(e.user, origin="resolver"), COMMAND, unit=unit, owner_id=None
        )
    ]


# ------------------------------------------------------------------ the command centre's reads


def surges(actor: Actor, *, open_only: bool = False):
    rows = access.scoped(Surge.objects.select_related("unit", "acknowledged_by__employee"), actor, COMMAND)
    if open_only:
        rows = rows.filter(acknowledged_at__isnull=True)
    return rows.order_by("-detected_at", "-pk")


def surge(actor: Actor, pk: int) -> Surge:
    found = surges(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("激增告警", "surge alert")
    return found


def counted_cases(surge: Surge):
    return (
        Case.objects.filter(pk__in=surge.links.values("case_id"))
        .select_related("unit", "kind")
        .order_by("received_at", "id")
    )


def may_acknowledge(actor: Actor, surge: Surge) -> bool:
    return surge.acknowledged_at is None and access.may_write(actor, COMMAND, unit=surge.unit, owner_id=None)
