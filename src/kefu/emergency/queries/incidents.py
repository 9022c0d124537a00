"""Read paths of incidents (EMG-4, EMG-5): the incidents a person sees — through emergency.view or
emergency.command over the unit, or as the reporter or the assignee of one of its checklist items —
one incident by id (404 outside), its checklist, resources, changes, notices and timeline (newest
first), the plan in force for a unit and type, the sweep's due rows, and who is told."""

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound
from kefu.core.scopes import scope_q
from kefu.emergency.models import (
    OPEN_STATUSES,
    Incident,
    IncidentTask,
    Plan,
    PlanVersion,
    Resource,
)
from kefu.emergency.queries import bodies, plans
from kefu.emergency.queries import surges as surge_queries
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

VIEW = "emergency.view"
COMMAND = "emergency.command"
READERS = (VIEW, COMMAND)
LEADER_SLOT = "leadership.leader"  # 应急领导小组 组长 (002 客服应急预案 二、1: 总经理)


def visible_q(actor: Actor) -> Q:
    grants = [g for code in READERS for g in access.grants(actor, code)]
    condition = scope_q(grants, unit_path="unit__path", owner=None)
    mine = Q(reported_by_id=actor.user.pk) if actor.user is not None else Q(pk__in=[])
    me = access.employee_of(actor.principal)
    if me is not None:
        mine |= Q(Exists(IncidentTask.objects.filter(incident_id=OuterRef("pk"), assignee_id=me.pk)))
    return mine if condition is None else condition | mine


def incidents(actor: Actor, *, open_only: bool = False):
    """Open first (the clock matters there), then newest."""
    rows = Incident.objects.filter(visible_q(actor)).select_related("unit")
    if open_only:
        rows = rows.filter(status__in=OPEN_STATUSES)
    # open ones (not lifted yet) first on both databases (PostgreSQL sorts NULLs last by default)
    return rows.order_by(F("lifted_at").asc(nulls_first=True), "-occurred_at", "-pk")


def incident(actor: Actor, pk) -> Incident:
    """One incident the actor sees — or one whose plan gives them a power (EMG-3: the slot holder acts)."""
    found = None
    if plans._id(pk):
        found = (
            Incident.objects.filter(pk=plans._id(pk))
            .select_related("unit", "plan", "plan_version", "case", "activated_by", "lifted_by")
            .first()
        )
    if found is None or not sees(actor, found):
        raise NotFound("突发事件", "incident")
    return found


def sees(actor: Actor, incident: Incident) -> bool:
    return Incident.objects.filter(visible_q(actor), pk=incident.pk).exists() or bool(
        powers_of(actor, incident)
    )


def tasks(incident: Incident) -> list[IncidentTask]:
    return list(incident.tasks.select_related("assignee", "done_by__employee").order_by("position"))


def timeline(incident: Incident, limit: int = 200) -> list:
    return list(incident.events.select_related("by__employee").order_by("-at", "-pk")[:limit])


def resources_used(incident: Incident) -> list:
    return list(incident.resources_used.select_related("resource", "by__employee").order_by("-at", "-pk"))


def changes(incident: Incident) -> list:
    return list(incident.changes.select_related("by__employee").order_by("-at", "-pk"))


def notices(incident: Incident) -> list:
    return list(incident.notices.select_related("published_by__employee").order_by("-published_at", "-pk"))


def plan_in_force(unit: Unit, plan_type: str) -> tuple[Plan | None, PlanVersion | None]:
    """The plan of `plan_type` at `unit` or its nearest ancestor, with its current version."""
    order = bodies.ancestors(unit)
    found = list(Plan.objects.filter(unit_id__in=order, plan_type=plan_type).order_by("pk"))
    if not found:
        return None, None
    found.sort(key=lambda p: order.index(p.unit_id))
    plan = found[0]
    return plan, plans.current(plan)


def is_staff_of(actor: Actor, unit: Unit) -> bool:
    me = access.employee_of(actor.principal)
    return me is not None and me.unit.path.startswith(unit.path)


def overdue_ids(now: datetime) -> list[int]:
    """Incidents not activated by their deadline and not yet recorded as breached (partial index)."""
    return list(
        Incident.objects.filter(activated_at__isnull=True, breached_at__isnull=True, activate_by__lt=now)
        .order_by("activate_by")
        .values_list("pk", flat=True)
    )


def due_alert_ids(now: datetime) -> list[int]:
    return list(Incident.objects.filter(next_alert_at__lte=now).values_list("pk", flat=True))


def command_holders(unit: Unit) -> list:
    return surge_queries.command_holders(unit)


def leadership(unit: Unit) -> list:
    """The leadership group's 组长 acting now for `unit` (nearest body), as users."""
    slot = bodies.slot_for(unit, LEADER_SLOT)
    if slot is None:
        return []
    acting = bodies.holder_now(slot).employee
    return [acting.user] if acting is not None and acting.user_id else []


def may_command(actor: Actor, incident: Incident) -> bool:
    return access.may_write(actor, COMMAND, unit=incident.unit, owner_id=None)


def powers_of(actor: Actor, incident: Incident) -> set[str]:
    me = access.employee_of(actor.principal)
    if me is None or incident.plan is None:
        return set()
    return {p for p in ("activate", "set_level", "publish", "lift") if plans.may(me, incident.plan, p)}


def task(incident: Incident, pk) -> IncidentTask:
    found = (
        IncidentTask.objects.filter(incident_id=incident.pk, pk=plans._id(pk))
        .select_related("incident__unit", "incident__plan")
        .first()
        if plans._id(pk)
        else None
    )
    if found is None:
        raise NotFound("检查清单项", "checklist item")
    return found


def task_of(actor: Actor, pk) -> IncidentTask:
    """A checklist item by id, of an incident the actor sees; 404 otherwise."""
    found = (
        IncidentTask.objects.filter(pk=plans._id(pk)).only("incident_id").first() if plans._id(pk) else None
    )
    if found is None:
        raise NotFound("检查清单项", "checklist item")
    return task(incident(actor, found.incident_id), pk)


def resource_for(incident: Incident, pk) -> Resource:
    """An emergency resource (RES-1) of the incident's company by id; unknown ones are refused."""
    home = policy.subsidiary_of(incident.unit) or incident.unit
    found = (
        Resource.objects.filter(pk=plans._id(pk), unit__path__startswith=home.path).first()
        if plans._id(pk)
        else None
    )
    if found is None:
        raise Invalid(
            "incident_resource",
            "该应急物资不存在或不属于本公司",
            "No such resource here",
            {"resource": "unknown"},
        )
    return found


def resources_of(incident: Incident) -> list[Resource]:
    home = policy.subsidiary_of(incident.unit) or incident.unit
    return list(Resource.objects.filter(unit__path__startswith=home.path).order_by("kind", "name")[:200])


def colleagues(incident: Incident) -> list[Employee]:
    home = policy.subsidiary_of(incident.unit) or incident.unit
    return list(
        Employee.objects.filter(status=EmploymentStatus.ACTIVE, unit__path__startswith=home.path).order_by(
            "number"
        )[:300]
    )


def units_for_report(actor: Actor) -> list[Unit]:
    """Where the actor may report: their own unit and above up to the subsidiary, and the command's units."""
    me = access.employee_of(actor.principal)
    ids = bodies.ancestors(me.unit) if me is not None else []
    found = {u.pk: u for u in Unit.objects.filter(pk__in=ids).exclude(kind="group")}
    for grant in access.grants(actor, COMMAND):
        if grant.scope != "own":
            for unit in Unit.objects.filter(path__startswith=grant.anchor_path, kind="subsidiary")[:50]:
                found[unit.pk] = unit
    return sorted(found.values(), key=lambda u: u.path)


def _minutes(start: datetime, end: datetime | None) -> str:
    return f"{(end - start).total_seconds() / 60:.0f}" if end is not None else "—"


def summary_section(unit: Unit, year: int) -> tuple[str, list[str], list[list[str]]]:
    """DRL-1 "每年对应急预案的执行情况进行总结": the year's incidents of the unit and below, with how soon the
    response started against the EMG-4 clock (registered into the drills' annual summary)."""
    zone = clock.zone()
    start = datetime(year, 1, 1, tzinfo=zone)
    end = datetime(year + 1, 1, 1, tzinfo=zone)
    rows = []
    found = (
        Incident.objects.filter(unit__path__startswith=unit.path, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("unit")
        .order_by("occurred_at", "pk")
    )
    for incident in found:
        if incident.activated_at is None:
            on_time = "未启动（已超时）" if incident.breached_at else "未启动"
        else:
            on_time = "超时启动" if incident.activated_late else "按时启动"
        rows.append(
            [
                f"{clock.local(incident.occurred_at):%Y-%m-%d %H:%M}",
                incident.unit.name,
                incident.title,
                incident.get_plan_type_display(),
                incident.level_name or "—",
                incident.get_status_display(),
                _minutes(incident.occurred_at, incident.activated_at),
                on_time,
                "已复盘" if incident.reviewed_at else "未复盘",
            ]
        )
    headers = [
        "发生时间",
        "单位",
        "事件",
        "类型",
        "响应级别",
        "状态",
        "发生至启动（分钟）",
        "启动时限",
        "复盘",
    ]
    return "突发事件", headers, rows


def photos(incident: Incident) -> list:
    """The photos of the scene (EMG-4), oldest first."""
    return list(incident.photos.select_related("uploaded_by__employee").order_by("at", "pk"))


def photo(incident: Incident, pk):
    """One photo of an incident the caller already sees; 404 otherwise."""
    found = incident.photos.filter(pk=plans._id(pk)).first() if plans._id(pk) else None
    if found is None:
        raise NotFound("照片", "photo")
    return found
