"""Read paths of QC groups (QC-1): the groups a person may see — through qc.view, qc.manage or
qc.register (综合部) in scope, or as leader or member — one group by id (404 outside), its
activities and flags, and the activity counts the monthly check reads."""

from datetime import date

from django.db.models import Count, Max, Prefetch, Q

from kefu.core import decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import scope_q
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.quality.models import QcActivity, QcFlag, QcGroup, Registration

VIEW = "qc.view"
MANAGE = "qc.manage"
REGISTER = "qc.register"  # 综合部: the topic registration (docs/decisions.md)
READERS = (VIEW, MANAGE, REGISTER)
ID_LIMIT = 2**31


def visible_q(actor: Actor) -> Q | None:
    """The groups the actor sees: any reader permission's scope, or their own groups."""
    grants = [g for code in READERS for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner="leader_id")
    me = access.employee_of(actor.principal)
    if me is not None:
        mine = Q(leader_id=me.pk) | Q(members__id=me.pk)
        condition = mine if condition is None else condition | mine
    return condition


def groups(actor: Actor):
    condition = visible_q(actor)
    if condition is None:
        return QcGroup.objects.none()
    ids = QcGroup.objects.filter(condition).values("pk")
    return (
        QcGroup.objects.filter(pk__in=ids)
        .select_related("unit", "leader")
        .annotate(
            activity_count=Count("activities", distinct=True),
            last_day=Max("activities__day"),
            open_flags=Count("flags", filter=Q(flags__explained_at__isnull=True), distinct=True),
        )
        .order_by("unit__path", "name", "pk")
    )


def group(actor: Actor, pk) -> QcGroup:
    """One group the actor may see, with its people; 404 otherwise (no existence leak)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    condition = visible_q(actor)
    found = None
    if condition is not None and 0 < pk < ID_LIMIT:
        found = (
            QcGroup.objects.filter(pk__in=QcGroup.objects.filter(condition, pk=pk).values("pk"))
            .select_related("unit", "leader", "registered_by")
            .prefetch_related(Prefetch("members", queryset=Employee.objects.order_by("number")))
            .first()
        )
    if found is None:
        raise NotFound("QC小组", "QC group")
    return found


def activities(group: QcGroup) -> list[QcActivity]:
    return list(
        group.activities.select_related("recorded_by")
        .prefetch_related(Prefetch("attendees", queryset=Employee.objects.order_by("number")))
        .order_by("-day", "-pk")
    )


def flags(group: QcGroup) -> list[QcFlag]:
    return list(group.flags.select_related("explained_by").order_by("-raised_at", "-pk"))


def flag(actor: Actor, pk) -> QcFlag:
    """A flag of a group the actor may see; 404 otherwise."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        pk = 0
    found = QcFlag.objects.filter(pk=pk).select_related("group").first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise NotFound("QC小组提醒", "QC flag")
    group(actor, found.group_id)
    return found


def registered_groups():
    """Every registered group with the people the check tells (leader and the leader's managers)."""
    return (
        QcGroup.objects.filter(registration=Registration.REGISTERED)
        .select_related("unit", "leader__user")
        .prefetch_related("leader__supervisors__user")
        .order_by("pk")
    )


def counts_between(group_ids: list[int], first: date, last: date) -> dict[int, int]:
    """Activities per group with a day in [first, last]."""
    rows = (
        QcActivity.objects.filter(group_id__in=group_ids, day__gte=first, day__lte=last)
        .values("group_id")
        .annotate(n=Count("pk"))
    )
    return {r["group_id"]: r["n"] for r in rows}


def last_days(group_ids: list[int]) -> dict[int, date]:
    rows = QcActivity.objects.filter(group_id__in=group_ids).values("group_id").annotate(last=Max("day"))
    return {r["group_id"]: r["last"] for r in rows}


def leader_of(actor: Actor, group: QcGroup) -> bool:
    me = access.employee_of(actor.principal)
    return me is not None and me.pk == group.leader_id


def may_manage(actor: Actor, group: QcGroup) -> bool:
    """The leader, or qc.manage (acting, ORG-4) over the group's unit."""
    return leader_of(actor, group) or access.may_write(actor, MANAGE, unit=group.unit, owner_id=None)


def may_register(actor: Actor, group: QcGroup) -> bool:
    return access.may_write(actor, REGISTER, unit=group.unit, owner_id=None)


def unit_named(value, field: str):
    """The unit a request names by id, or the refusal naming the field (its scope is the action's)."""
    from_text = str(value if value is not None else "").strip()
    pk = int(from_text) if from_text.isdigit() else 0
    found = Unit.objects.filter(pk=pk).first() if 0 < pk < ID_LIMIT else None
    if found is None:
        raise Invalid("unit_unknown", "所选单位不存在", "Unknown unit", {field: "unknown"})
    return found


def people_named(values, field: str) -> list[Employee]:
    """The active employees a request names by id, in one query; an unknown id → the refusal."""
    ids = []
    for value in values or []:
        text = str(value if value is not None else "").strip()
        ids.append(int(text) if text.isdigit() and 0 < int(text) < ID_LIMIT else 0)
    found = {
        e.pk: e
        for e in Employee.objects.filter(pk__in=set(ids), status=EmploymentStatus.ACTIVE).select_related(
            "unit", "user"
        )
    }
    if any(pk not in found for pk in ids):
        raise Invalid("employee_unknown", "人员不存在或已离职", "No such active employee", {field: "unknown"})
    return [found[pk] for pk in dict.fromkeys(ids)]


def register_labels() -> None:
    """How the QC fields of audit rows and decision records read on the pages (QC-1)."""
    decisions.describe(
        inputs={
            "leader": ("组长", "leader"),
            "topic": ("课题", "topic"),
            "stage": ("PDCA阶段", "PDCA stage"),
            "day": ("日期", "day"),
            "group": ("QC小组", "QC group"),
            "period": ("期间", "period"),
            "month": ("月份", "month"),
            "activities": ("活动次数", "activities"),
            "last_activity": ("最近一次活动", "last activity"),
        }
    )
