"""Read paths of policy documents (DOC-1): the policies a person may see — through documents.view or
documents.manage over the issuing unit, or as one of the staff a version was distributed to — one by id
(404 outside), its versions with read counts, the version in force, "who has read version N" (each
person read/unread, limited to the people the reader's grants reach), and what waits for acknowledgement."""

from collections import defaultdict

from django.db.models import Count, Exists, Max, OuterRef, Q

from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.documents.models import Policy, PolicyVersion, Reading
from kefu.documents.queries.common import MANAGE, pk_of, reader_q
from kefu.org import access
from kefu.org.models import EmploymentStatus

SUPERSEDED = Exists(
    PolicyVersion.objects.filter(
        policy_id=OuterRef("version__policy_id"), number__gt=OuterRef("version__number")
    )
)


def visible_q(actor: Actor) -> Q | None:
    condition = reader_q(actor, "unit__path")
    me = access.employee_of(actor.principal)
    if me is not None:
        mine = Q(pk__in=Reading.objects.filter(employee_id=me.pk).values("version__policy_id"))
        condition = mine if condition is None else condition | mine
    return condition


def policies(actor: Actor):
    """The policies the actor sees with their current version number, newest first."""
    condition = visible_q(actor)
    if condition is None:
        return Policy.objects.none()
    return (
        Policy.objects.filter(condition)
        .select_related("unit")
        .annotate(current_number=Max("versions__number"), changed_at=Max("versions__created_at"))
        .order_by("-changed_at", "pk")
    )


def with_counts(rows: list[Policy], actor: Actor) -> list[Policy]:
    """Each policy's current version: how many it went to, how many acknowledged, and whether the actor
    still has to (two statements)."""
    wanted = Q()
    for row in rows:
        wanted |= Q(version__policy_id=row.pk, version__number=row.current_number)
    counts, mine = {}, set()
    if rows:
        counts = {
            r["version__policy_id"]: r
            for r in Reading.objects.filter(wanted)
            .values("version__policy_id")
            .annotate(total=Count("pk"), acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)))
        }
        me = access.employee_of(actor.principal)
        if me is not None:
            mine = set(
                Reading.objects.filter(wanted, employee_id=me.pk, acknowledged_at__isnull=True).values_list(
                    "version__policy_id", flat=True
                )
            )
    for row in rows:
        found = counts.get(row.pk, {})
        row.sent, row.acknowledged = found.get("total", 0), found.get("acknowledged", 0)
        row.to_acknowledge = row.pk in mine
    return rows


def policy(actor: Actor, pk) -> Policy:
    condition = visible_q(actor)
    found = None
    if condition is not None and pk_of(pk):
        found = (
            Policy.objects.filter(pk__in=Policy.objects.filter(condition, pk=pk_of(pk)).values("pk"))
            .select_related("unit")
            .first()
        )
    if found is None:
        raise NotFound("制度", "policy")
    return found


def versions(policy: Policy) -> list[PolicyVersion]:
    """Every version, newest first, with its read counts (the bodies deferred)."""
    return list(
        policy.versions.defer("body")
        .select_related("created_by")
        .annotate(
            sent=Count("readings", distinct=True),
            acknowledged=Count("readings", filter=Q(readings__acknowledged_at__isnull=False), distinct=True),
        )
        .order_by("-number")
    )


def current(policy: Policy) -> PolicyVersion | None:
    return policy.versions.order_by("-number").first()


def version(actor: Actor, pk) -> PolicyVersion:
    found = PolicyVersion.objects.filter(pk=pk_of(pk)).defer("body").first() if pk_of(pk) else None
    if found is None:
        raise NotFound("制度版本", "policy version")
    policy(actor, found.policy_id)
    return found


def my_reading(actor: Actor, version: PolicyVersion) -> Reading | None:
    me = access.employee_of(actor.principal)
    if me is None:
        return None
    return Reading.objects.filter(version_id=version.pk, employee_id=me.pk).first()


def may_manage(actor: Actor, policy: Policy) -> bool:
    return access.may_write(actor, MANAGE, unit=policy.unit, owner_id=None)


def may_see_readers(actor: Actor) -> bool:
    return reader_q(actor, "employee__unit__path") is not None


def readers(actor: Actor, version: PolicyVersion) -> list[Reading]:
    """DOC-1 "who has read version N": each person it went to, read or not — the people the reader's
    documents.view / documents.manage reach (a subsidiary's manager sees their own staff of a group
    policy); nobody for a person without either."""
    condition = reader_q(actor, "employee__unit__path")
    if condition is None:
        return []
    return list(
        Reading.objects.filter(condition, version_id=version.pk)
        .select_related("employee__unit")
        .order_by("acknowledged_at", "employee__unit__path", "employee__number")
    )


def pending_by_employee(*, sent_before) -> dict[int, list[dict]]:
    """Employee id → the version in force of each policy they have not acknowledged (the reminders)."""
    rows = (
        Reading.objects.filter(
            acknowledged_at__isnull=True,
            sent_at__lte=sent_before,
            employee__status=EmploymentStatus.ACTIVE,
            employee__user__is_active=True,
        )
        .exclude(SUPERSEDED)
        .order_by("employee_id", "pk")
        .values("pk", "employee_id", "version__number", "version__policy__title")
    )
    found = defaultdict(list)
    for row in rows:
        found[row["employee_id"]].append(row)
    return dict(found)


def my_pending(actor: Actor) -> list[Reading]:
    me = access.employee_of(actor.principal)
    if me is None:
        return []
    return list(
        Reading.objects.filter(employee_id=me.pk, acknowledged_at__isnull=True)
        .exclude(SUPERSEDED)
        .select_related("version__policy")
        .order_by("sent_at", "pk")
    )
