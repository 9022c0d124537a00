"""Incidents (EMG-4, EMG-5 triggers): the only code that writes them.

An incident is reported by any staff of the unit (or the command centre over it), from a complaint
surge (`open_from_surge`, inside the detector's transaction) or from a case (`raise_from_case`). Its
activation deadline is the occurrence + `emergency.activate_within` ("应急管理人员应在紧急事件发生后30
分钟内启动应急响应", seed 003). The command centre (emergency.command over the unit) triages, works the
checklist, records resources, staffing/channel changes, the recovery, the review and archives it;
activating, setting the level, publishing a notice and lifting need the plan's power (EMG-3, `may`).
Each write locks the incident row only (`select_for_update(of=("self",))`), checks the state, writes
the timeline and the audit row in one transaction. Every notification goes out at once by inbox,
e-mail and SMS (when that channel exists) and is repeated every `emergency.incident_alert_repeat`
until the command centre acknowledges it. The sweep records a missed activation once (a guarded row
under a skip-locked lock: two workers record it once) and escalates it to the leadership group's 组长
and the command centre."""

import secrets
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from kefu.cases.actions import attachments as case_attachments
from kefu.cases.actions import blocks as case_blocks
from kefu.core import audit, clock, decisions, sealed
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.emergency.models import (
    ChangeKind,
    Incident,
    IncidentChange,
    IncidentEvent,
    IncidentNotice,
    IncidentPhoto,
    IncidentResource,
    IncidentSource,
    IncidentStatus,
    IncidentTask,
    NoticeAudience,
    PlanType,
    RevisionReason,
    RevisionTask,
)
from kefu.emergency.models.surges import FAMILY_WORDS
from kefu.emergency.queries import incidents as queries
from kefu.emergency.queries import levels as level_queries
from kefu.emergency.queries import plans as plan_queries
from kefu.emergency.queries.bodies import holder_now, slot_for
from kefu.engine.notifications import channels as notification_channels
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access

RULE = "EMG-4"
ACTIVATE_WITHIN = "emergency.activate_within"
REPEAT = "emergency.incident_alert_repeat"
SYSTEM = Actor.system("emergency incident clock")
S = IncidentStatus
RESPONSE = (S.ACTIVATED, S.RESPONDING)
ALERTS = {
    "reported": ("突发事件报告", "Incident reported"),
    "activated": ("已启动应急响应", "Emergency response activated"),
    "breach": ("未在时限内启动应急响应", "Response not activated in time"),
    "level": ("响应级别变更", "Response level changed"),
    "lifted": ("应急状态已解除", "Emergency lifted"),
}


# ---------------------------------------------------------------- building blocks


def _text(value, field: str, zh: str, *, required: bool = True, limit: int = 2000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(
            f"incident_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
        )
    if len(text) > limit:
        raise Invalid(f"incident_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return text


def _when(value, field: str, zh: str, *, default=None) -> datetime:
    """A datetime from the API (aware) or a form ("2026-03-02T09:30", local time)."""
    if value in (None, ""):
        if default is not None:
            return default
        raise Invalid(
            f"incident_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
        )
    if not isinstance(value, datetime):
        try:
            value = parse_datetime(str(value).strip())
        except ValueError:
            value = None
        if value is None:
            raise Invalid(
                f"incident_{field}_invalid", f"{zh}格式不正确", f"{field} is not a time", {field: "invalid"}
            )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _state(incident: Incident, allowed, zh: str, en: str) -> None:
    if incident.status not in allowed:
        raise Conflict(
            "incident_wrong_state",
            f"事件当前为“{incident.get_status_display()}”，不能{zh}",
            f"The incident is {incident.status}: cannot {en}",
        )


def _lock(incident: Incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("unit", "plan", "plan_version")
        .get(pk=incident.pk)
    )


def _event(incident: Incident, actor: Actor, kind: str, text: str) -> IncidentEvent:
    return IncidentEvent.objects.create(
        incident=incident, at=clock.now(), by=actor.user, kind=kind, text=text[:1000]
    )


def _require_command(actor: Actor, incident: Incident) -> None:
    """The command centre over the incident's unit; a viewer without it is told why, others get 404."""
    if access.write_in_scope(actor, queries.COMMAND, unit=incident.unit, owner_id=None):
        return
    if queries.sees(actor, incident):
        raise PermissionDenied(
            "只有应急指挥中心可以处理此突发事件",
            "Only the emergency command centre may do this",
            code="incident_command_only",
        )
    raise NotFound("突发事件", "incident")


def _require_power(actor: Actor, incident: Incident, power: str) -> None:
    """EMG-3: the plan's power (a role slot the actor fills now); 404 for who neither sees nor holds it."""
    me = access.employee_of(actor.principal)
    holds = incident.plan is not None and plan_queries.may(me, incident.plan, power)
    if holds:
        return
    if not queries.sees(actor, incident):
        raise NotFound("突发事件", "incident")
    if incident.plan is None:
        raise Conflict(
            "incident_no_plan", "尚未选定应急预案，请先研判", "No plan chosen yet: triage the incident first"
        )
    zh = {
        "activate": "启动应急响应",
        "set_level": "确定响应级别",
        "publish": "对客户/公众发布信息",
        "lift": "解除应急状态",
    }
    raise PermissionDenied(
        f"您不在预案授权“{zh[power]}”的岗位上",
        f"The plan does not give you the power to {power}",
        code="incident_power",
    )


def _level(incident: Incident, code: str) -> tuple[str, str]:
    code = str(code or "").strip()
    for level in level_queries.levels_for(incident.unit):
        if level.code == code:
            return level.code, level.name
    raise Invalid("incident_level", "请选择有效的响应级别", "Choose a configured level", {"level": "invalid"})


def _plan_type(value) -> str:
    if value not in PlanType.values:
        raise Invalid("incident_type", "请选择事件类型", "Choose the incident type", {"plan_type": "invalid"})
    return value


def _channels() -> tuple[str, ...]:
    return notification_channels.present("inbox", "email", "sms")


def _alert(incident: Incident, kind: str, now: datetime, *, extra=()) -> None:
    """Tell the command centre (and `extra` users) at once; repeat until acknowledged."""
    repeat = policy.lookup(REPEAT, at=now, unit=incident.unit)
    zh, en = ALERTS[kind]
    incident.alerts += 1
    incident.alert_kind = kind
    recipients = list(dict.fromkeys([*queries.command_holders(incident.unit), *extra]))
    notify(
        recipients,
        "emergency.incident_alert",
        {
            "what_zh": zh,
            "what_en": en,
            "title": incident.title,
            "unit": incident.unit.name,
            "place": incident.place,
            "level": incident.level_name,
            "status_zh": incident.get_status_display(),
            "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M"),
            "activate_by": timezone.localtime(incident.activate_by).strftime("%Y-%m-%d %H:%M"),
            "nth": incident.alerts,
        },
        obj=incident,
        link=reverse("emergency:incident", args=[incident.pk]),
        channels=_channels(),
    )
    incident.last_alert_at = now
    incident.next_alert_at = now + repeat.duration()
    incident.acknowledged_at = None
    incident.acknowledged_by = None
    incident.save(
        update_fields=[
            "alerts",
            "alert_kind",
            "last_alert_at",
            "next_alert_at",
            "acknowledged_at",
            "acknowledged_by",
        ]
    )


def _breach(incident: Incident, actor: Actor, now: datetime) -> bool:
    """EMG-4: record the missed activation once (guarded update) and escalate it."""
    done = Incident.objects.filter(pk=incident.pk, breached_at__isnull=True).update(breached_at=now)
    if not done:
        return False
    incident.breached_at = now
    entry = policy.lookup(ACTIVATE_WITHIN, at=incident.occurred_at, unit=incident.unit)
    late = incident.activated_at or now
    decisions.record_from_entry(
        incident,
        entry,
        outcome=(
            f"事件发生于 {timezone.localtime(incident.occurred_at):%Y-%m-%d %H:%M}，应在 "
            f"{timezone.localtime(incident.activate_by):%H:%M} 前启动应急响应；"
            f"{'启动于 ' + format(timezone.localtime(late), '%H:%M') if incident.activated_at else '截至期限未启动'}：超时"
            f" / occurred {incident.occurred_at:%Y-%m-%d %H:%M} UTC, response due by "
            f"{incident.activate_by:%H:%M} UTC: {'activated late' if incident.activated_at else 'not activated'}"
        ),
        inputs={"incident_occurred_at": incident.occurred_at, "incident_activate_by": incident.activate_by},
        actor=None if actor.is_system else actor,
    )
    _event(
        incident,
        actor,
        "breach",
        f"超过启动时限（{entry.clause}）未启动应急响应，已上报应急领导小组与指挥中心",
    )
    audit.record(actor, "emergency.incident.breach", incident, after={"breached_at": now.isoformat()})
    _alert(incident, "breach", now, extra=queries.leadership(incident.unit))
    return True


# ---------------------------------------------------------------- report (EMG-5 triggers)


def _create(
    actor: Actor,
    *,
    unit,
    plan_type: str,
    title: str,
    place: str,
    scope: str,
    description: str,
    occurred_at: datetime,
    detected_at: datetime,
    source: str,
    case=None,
) -> Incident:
    now = clock.now()
    if not (occurred_at <= detected_at <= now):
        raise Invalid(
            "incident_times",
            "时间顺序不正确：应为 发生时间 ≤ 发现时间 ≤ 报告时间（现在）",
            "Times out of order: occurred ≤ detected ≤ reported (now)",
            {"occurred_at": "order", "detected_at": "order"},
        )
    entry = policy.lookup(ACTIVATE_WITHIN, at=occurred_at, unit=unit)
    plan, version = queries.plan_in_force(unit, plan_type)
    try:
        with transaction.atomic():
            incident = Incident.objects.create(
                unit=unit,
                plan_type=plan_type,
                plan=plan,
                plan_version=version,
                title=title,
                place=place,
                scope=scope,
                description=description,
                occurred_at=occurred_at,
                detected_at=detected_at,
                reported_at=now,
                reported_by=actor.user,
                source=source,
                case=case,
                activate_by=occurred_at + entry.duration(),
                activate_clause=entry.clause,
            )
    except IntegrityError as error:
        raise Conflict(
            "incident_case_raised", "该工单已升级为突发事件", "This case was already raised to an incident"
        ) from error
    _event(incident, actor, "reported", f"{IncidentSource(source).label}：{title}")
    audit.record(
        actor,
        "emergency.incident.report",
        incident,
        after={
            "unit": unit.pk,
            "plan_type": plan_type,
            "source": source,
            "occurred_at": occurred_at.isoformat(),
        },
    )
    _alert(incident, "reported", now)
    return incident


def report(
    actor: Actor,
    *,
    unit,
    plan_type: str,
    title: str,
    occurred_at,
    detected_at=None,
    place: str = "",
    scope: str = "",
    description: str = "",
) -> Incident:
    """EMG-5 manual report: any staff of the unit (or the command centre over it)."""
    if not (
        queries.is_staff_of(actor, unit)
        or access.record_in_scope(actor, queries.COMMAND, unit=unit, owner_id=None)
    ):
        raise PermissionDenied(
            "只有本单位员工或应急指挥中心可以报告突发事件",
            "Only the unit's staff or the command centre may report an incident",
            code="incident_report_forbidden",
        )
    me = access.employee_of(actor.principal)
    if me is not None and not access.acting_grants(me) and not actor.user.is_superuser:
        raise access.supervisory_refusal()
    occurred = _when(occurred_at, "occurred_at", "发生时间")
    detected = _when(detected_at, "detected_at", "发现时间", default=occurred)
    with transaction.atomic():
        return _create(
            actor,
            unit=unit,
            plan_type=_plan_type(plan_type),
            title=_text(title, "title", "事件标题", limit=200),
            place=_text(place, "place", "地点", required=False, limit=200),
            scope=_text(scope, "scope", "影响范围", required=False, limit=300),
            description=_text(description, "description", "事件经过", required=False, limit=4000),
            occurred_at=occurred,
            detected_at=detected,
            source=IncidentSource.MANUAL,
        )


def open_from_surge(surge, now: datetime) -> Incident:
    """EMG-5: the detector's surge opens a draft incident (status reported, type complaint surge) in the
    detector's transaction. It occurred when the threshold case was received — the moment the burst
    became a surge (the window's start would be up to an hour earlier: every surge would be born past
    its 30-minute activation deadline) — and was detected at the detection."""
    family = FAMILY_WORDS.get(surge.family, surge.family)
    threshold = surge.threshold_case.received_at if surge.threshold_case_id else now
    incident = _create(
        SYSTEM,
        unit=surge.unit,
        plan_type=PlanType.COMPLAINT_SURGE,
        title=f"{surge.unit.name}{family}激增（{surge.window_minutes} 分钟内 {surge.count} 件）",
        place="",
        scope=f"{surge.window_minutes} 分钟内受理{family} {surge.count} 件",
        description="由投诉激增检测自动生成，请指挥中心研判并启动相应应急响应。",
        occurred_at=min(threshold, now),
        detected_at=now,
        source=IncidentSource.SURGE,
    )
    surge.incident = incident
    surge.save(update_fields=["incident"])
    return incident


def raise_from_case(
    actor: Actor, case, *, plan_type: str, title: str = "", occurred_at=None, place: str = "", scope: str = ""
) -> Incident:
    """EMG-5 "升级为突发事件" (ESC-1 hand-off): who handles the case raises it; the case gets a note."""
    if not access.write_in_scope(actor, "case.handle", unit=case.unit, owner_id=case.owner_id):
        raise NotFound("工单", "case")
    unit = policy.subsidiary_of(case.unit) or case.unit
    occurred = _when(occurred_at, "occurred_at", "发生时间", default=case.received_at)
    with transaction.atomic():
        incident = _create(
            actor,
            unit=unit,
            plan_type=_plan_type(plan_type),
            title=_text(title or case.title, "title", "事件标题", limit=200),
            place=_text(place, "place", "地点", required=False, limit=200),
            scope=_text(scope, "scope", "影响范围", required=False, limit=300),
            description=f"由工单 {case.number} 升级。",
            occurred_at=occurred,
            detected_at=min(max(case.received_at, occurred), clock.now()),
            source=IncidentSource.CASE,
            case=case,
        )
        case_blocks.comment(
            actor,
            case,
            f"已升级为突发事件：{incident.title}（/emergency/incidents/{incident.pk}/）",
            authorised=True,
        )
    return incident


# ---------------------------------------------------------------- the response


def triage(actor: Actor, incident: Incident, *, plan_type: str | None = None, level: str = "") -> Incident:
    """研判: set the type (the plan in force follows) and, with the set_level power, the level."""
    _require_command(actor, incident)
    if level:
        _require_power(actor, incident, "set_level")
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (S.REPORTED, S.TRIAGED), "研判", "triage")
        if plan_type and plan_type != locked.plan_type:
            locked.plan_type = _plan_type(plan_type)
            locked.plan, locked.plan_version = queries.plan_in_force(locked.unit, locked.plan_type)
        if level:
            locked.level, locked.level_name = _level(locked, level)
        locked.status = S.TRIAGED
        locked.save(update_fields=["plan_type", "plan", "plan_version", "level", "level_name", "status"])
        plan = locked.plan.title if locked.plan else "无对应预案"
        _event(
            locked,
            actor,
            "triaged",
            f"研判：{locked.get_plan_type_display()}，预案：{plan}{'，级别：' + locked.level_name if level else ''}",
        )
        audit.record(
            actor,
            "emergency.incident.triage",
            locked,
            after={"plan_type": locked.plan_type, "level": locked.level},
        )
    return locked


def activate(actor: Actor, incident: Incident, *, level: str = "") -> Incident:
    """EMG-4: start the response — the plan's activate power; the checklist is copied from the plan
    version; within or after the clock is recorded (late: the breach, once)."""
    _require_power(actor, incident, "activate")
    if level:
        _require_power(actor, incident, "set_level")
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (S.REPORTED, S.TRIAGED), "启动应急响应", "activate")
        now = clock.now()
        version = locked.plan_version or plan_queries.current(locked.plan)
        if level:
            locked.level, locked.level_name = _level(locked, level)
        locked.plan_version = version
        locked.status = S.ACTIVATED
        locked.activated_at = now
        locked.activated_by = actor.user
        locked.activated_late = now > locked.activate_by
        locked.save(
            update_fields=[
                "plan_version",
                "level",
                "level_name",
                "status",
                "activated_at",
                "activated_by",
                "activated_late",
            ]
        )
        steps = list(version.steps.order_by("position")) if version is not None else []
        acting = {}
        for step in steps:
            if step.slot and step.slot not in acting:
                slot = slot_for(locked.unit, step.slot)
                acting[step.slot] = holder_now(slot, now).employee if slot is not None else None
        IncidentTask.objects.bulk_create(
            [
                IncidentTask(
                    incident=locked,
                    position=step.position,
                    text=step.text,
                    slot=step.slot,
                    time_limit_minutes=step.time_limit_minutes,
                    source=step.source,
                    assignee=acting.get(step.slot),
                )
                for step in steps
            ]
        )
        minutes = int((now - locked.occurred_at).total_seconds() // 60)
        timing = "超过启动时限" if locked.activated_late else "在启动时限内"
        _event(
            locked,
            actor,
            "activated",
            f"启动应急响应（发生后 {minutes} 分钟，{timing}），检查清单 {len(steps)} 项",
        )
        audit.record(
            actor,
            "emergency.incident.activate",
            locked,
            after={"activated_at": now.isoformat(), "late": locked.activated_late, "level": locked.level},
        )
        if locked.activated_late and locked.breached_at is None:
            _breach(locked, actor, now)
        _alert(locked, "activated", now)
    return locked


def set_level(actor: Actor, incident: Incident, level: str) -> Incident:
    _require_power(actor, incident, "set_level")
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (S.REPORTED, S.TRIAGED, *RESPONSE, S.RECOVERED), "调整响应级别", "change the level")
        before = locked.level_name
        locked.level, locked.level_name = _level(locked, level)
        locked.save(update_fields=["level", "level_name"])
        _event(locked, actor, "level", f"响应级别：{before or '未定'} → {locked.level_name}")
        audit.record(
            actor, "emergency.incident.level", locked, before={"level": before}, after={"level": locked.level}
        )
        _alert(locked, "level", clock.now())
    return locked


def _responding(locked: Incident) -> None:
    if locked.status == S.ACTIVATED:
        locked.status = S.RESPONDING
        locked.save(update_fields=["status"])


def _task_incident(actor: Actor, task: IncidentTask, *, assignee_may: bool) -> Incident:
    incident = task.incident
    me = access.employee_of(actor.principal)
    if not (assignee_may and me is not None and task.assignee_id == me.pk):
        _require_command(actor, incident)
    locked = _lock(incident)
    _state(locked, RESPONSE, "处理检查清单", "work the checklist")
    return locked


def task_done(actor: Actor, task: IncidentTask, *, done: bool = True, note: str = "") -> IncidentTask:
    """Tick (or untick) a checklist item: the command centre or the item's assignee."""
    note = _text(note, "note", "备注", required=False, limit=500)
    with transaction.atomic():
        locked = _task_incident(actor, task, assignee_may=True)
        now = clock.now()
        if done:
            changed = IncidentTask.objects.filter(pk=task.pk, done_at__isnull=True).update(
                done_at=now, done_by=actor.user, note=note or task.note
            )
        else:
            changed = IncidentTask.objects.filter(pk=task.pk, done_at__isnull=False).update(
                done_at=None, done_by=None
            )
        if not changed:
            raise Conflict(
                "incident_task_state",
                "该清单项已是此状态" if done else "该清单项尚未完成",
                "The item is already in that state",
            )
        _responding(locked)
        _event(
            locked,
            actor,
            "task_done" if done else "task_undone",
            f"{'完成' if done else '撤销完成'}：{task.position}. {task.text[:80]}",
        )
        audit.record(actor, "emergency.incident.task", locked, after={"task": task.pk, "done": done})
    task.refresh_from_db()
    return task


def task_assign(actor: Actor, task: IncidentTask, assignee) -> IncidentTask:
    with transaction.atomic():
        locked = _task_incident(actor, task, assignee_may=False)
        home = policy.subsidiary_of(locked.unit) or locked.unit
        if not assignee.unit.path.startswith(home.path):
            raise Invalid(
                "incident_assignee",
                f"{assignee.name} 不是本公司人员",
                "Not a colleague",
                {"assignee": "outside"},
            )
        IncidentTask.objects.filter(pk=task.pk).update(assignee=assignee)
        _event(locked, actor, "task_assigned", f"指派：{task.position}. {task.text[:60]} → {assignee.name}")
        audit.record(
            actor, "emergency.incident.task_assign", locked, after={"task": task.pk, "assignee": assignee.pk}
        )
    task.refresh_from_db()
    return task


def use_resource(actor: Actor, incident: Incident, resource, quantity, note: str = "") -> IncidentResource:
    """RES-1 in the response: which emergency resource, how many."""
    _require_command(actor, incident)
    try:
        quantity = int(quantity)
    except (TypeError, ValueError):
        quantity = 0
    if quantity <= 0:
        raise Invalid(
            "incident_quantity", "数量应为正整数", "Quantity must be positive", {"quantity": "invalid"}
        )
    home = policy.subsidiary_of(incident.unit) or incident.unit
    if not resource.unit.path.startswith(home.path):
        raise Invalid(
            "incident_resource",
            "该物资不属于本公司",
            "Not a resource of this company",
            {"resource": "outside"},
        )
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (*RESPONSE, S.RECOVERED), "登记物资", "record resources")
        row = IncidentResource.objects.create(
            incident=locked,
            resource=resource,
            quantity=quantity,
            note=_text(note, "note", "备注", required=False, limit=300),
            at=clock.now(),
            by=actor.user,
        )
        _responding(locked)
        _event(locked, actor, "resource", f"使用物资：{resource.name} × {quantity}")
        audit.record(
            actor,
            "emergency.incident.resource",
            locked,
            after={"resource": resource.pk, "quantity": quantity},
        )
    return row


def record_change(
    actor: Actor, incident: Incident, *, kind: str, text: str, starts_at=None, ends_at=None
) -> IncidentChange:
    """A staffing change or a channel change (e.g. "热线语音提示：…") while responding."""
    _require_command(actor, incident)
    if kind not in ChangeKind.values:
        raise Invalid("incident_change_kind", "请选择调整类型", "Choose the kind", {"kind": "invalid"})
    text = _text(text, "text", "调整内容", limit=500)
    starts = _when(starts_at, "starts_at", "开始时间", default=clock.now())
    ends = _when(ends_at, "ends_at", "结束时间") if ends_at not in (None, "") else None
    if ends is not None and ends < starts:
        raise Invalid(
            "incident_change_times", "结束时间不能早于开始时间", "Ends before it starts", {"ends_at": "order"}
        )
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (*RESPONSE, S.RECOVERED), "登记调整", "record a change")
        row = IncidentChange.objects.create(
            incident=locked,
            kind=kind,
            text=text,
            starts_at=starts,
            ends_at=ends,
            at=clock.now(),
            by=actor.user,
        )
        _responding(locked)
        _event(locked, actor, "change", f"{ChangeKind(kind).label}：{text}")
        audit.record(actor, "emergency.incident.change", locked, after={"change": row.pk, "kind": kind})
    return row


def publish(actor: Actor, incident: Incident, *, audience: str, text: str) -> IncidentNotice:
    """A notice to customers or the public — only a role slot holding the plan's publish power."""
    _require_power(actor, incident, "publish")
    if audience not in NoticeAudience.values:
        raise Invalid("incident_audience", "请选择发布对象", "Choose the audience", {"audience": "invalid"})
    text = _text(text, "text", "发布内容", limit=2000)
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (*RESPONSE, S.RECOVERED), "发布信息", "publish")
        row = IncidentNotice.objects.create(
            incident=locked, audience=audience, text=text, published_at=clock.now(), published_by=actor.user
        )
        _responding(locked)
        _event(locked, actor, "notice", f"向{NoticeAudience(audience).label}发布：{text[:200]}")
        audit.record(
            actor, "emergency.incident.publish", locked, after={"notice": row.pk, "audience": audience}
        )
    return row


def recover(actor: Actor, incident: Incident, *, report: str, impact: str) -> Incident:
    _require_command(actor, incident)
    report = _text(report, "recovery_report", "恢复情况报告", limit=4000)
    impact = _text(impact, "impact", "影响评估", limit=4000)
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, RESPONSE, "提交恢复报告", "report the recovery")
        locked.status, locked.recovered_at = S.RECOVERED, clock.now()
        locked.recovery_report, locked.impact = report, impact
        locked.save(update_fields=["status", "recovered_at", "recovery_report", "impact"])
        _event(locked, actor, "recovered", f"恢复：{report[:200]}")
        audit.record(
            actor,
            "emergency.incident.recover",
            locked,
            after={"recovered_at": locked.recovered_at.isoformat()},
        )
    return locked


def lift(actor: Actor, incident: Incident) -> Incident:
    _require_power(actor, incident, "lift")
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (S.RECOVERED,), "解除应急状态", "lift")
        now = clock.now()
        locked.status, locked.lifted_at, locked.lifted_by = S.LIFTED, now, actor.user
        locked.save(update_fields=["status", "lifted_at", "lifted_by"])
        _event(locked, actor, "lifted", "解除应急状态")
        audit.record(actor, "emergency.incident.lift", locked, after={"lifted_at": now.isoformat()})
        _alert(locked, "lifted", now)
    return locked


def review(actor: Actor, incident: Incident, *, cause: str, prevention: str, lessons: str) -> Incident:
    _require_command(actor, incident)
    cause = _text(cause, "cause", "原因分析", limit=4000)
    prevention = _text(prevention, "prevention", "预防措施", limit=4000)
    lessons = _text(lessons, "lessons", "经验教训", limit=4000)
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (S.LIFTED,), "复盘", "review")
        locked.status, locked.reviewed_at, locked.reviewed_by = S.REVIEWED, clock.now(), actor.user
        locked.cause, locked.prevention, locked.lessons = cause, prevention, lessons
        locked.save(update_fields=["status", "reviewed_at", "reviewed_by", "cause", "prevention", "lessons"])
        _event(locked, actor, "reviewed", f"复盘：{cause[:200]}")
        audit.record(
            actor, "emergency.incident.review", locked, after={"reviewed_at": locked.reviewed_at.isoformat()}
        )
    return locked


def archive(actor: Actor, incident: Incident, *, owner=None, due_on=None, revision: str = "") -> Incident:
    """Archive; a plan-revision task (reason: incident) goes to `owner` by `due_on` (EMG-1, EMG-4)."""
    _require_command(actor, incident)
    with transaction.atomic():
        locked = _lock(incident)
        _state(locked, (S.REVIEWED,), "归档", "archive")
        task = None
        if locked.plan is not None:
            if owner is None:
                raise Invalid(
                    "incident_owner",
                    "请指定预案修订负责人",
                    "Name who revises the plan",
                    {"owner": "required"},
                )
            if isinstance(due_on, str):
                due_on = parse_date(due_on.strip()) if due_on.strip() else None
            if not isinstance(due_on, date) or due_on < clock.today():
                raise Invalid(
                    "incident_due",
                    "请填写不早于今天的修订期限",
                    "Give a due date from today",
                    {"due_on": "invalid"},
                )
            home = policy.subsidiary_of(locked.plan.unit) or locked.plan.unit
            if not owner.unit.path.startswith(home.path):
                raise Invalid(
                    "incident_owner", f"{owner.name} 不是本公司人员", "Not a colleague", {"owner": "outside"}
                )
            text = _text(revision, "revision", "修订内容", required=False, limit=2000)
            task = RevisionTask.objects.create(
                plan=locked.plan,
                reason=RevisionReason.INCIDENT,
                description=text or f"根据突发事件“{locked.title}”的复盘修订预案：{locked.lessons[:500]}",
                owner=owner,
                due_on=due_on,
                created_at=clock.now(),
                created_by=actor.user,
            )
            audit.record(
                actor, "emergency.plan.revision", task, after={"plan": locked.plan.pk, "reason": "incident"}
            )
        locked.status, locked.archived_at = S.ARCHIVED, clock.now()
        locked.next_alert_at = None
        locked.save(update_fields=["status", "archived_at", "next_alert_at"])
        _event(
            locked, actor, "archived", "归档" + (f"，已建预案修订任务（负责人 {owner.name}）" if task else "")
        )
        audit.record(
            actor, "emergency.incident.archive", locked, after={"revision": task.pk if task else None}
        )
    return locked


def acknowledge(actor: Actor, incident: Incident) -> Incident:
    """The command centre acknowledges the alert: the reminders stop."""
    _require_command(actor, incident)
    with transaction.atomic():
        locked = _lock(incident)
        if locked.acknowledged_at is not None or locked.next_alert_at is None:
            raise Conflict(
                "incident_already_acknowledged", "该告警已有人确认", "This alert was already acknowledged"
            )
        now = clock.now()
        locked.acknowledged_at, locked.acknowledged_by, locked.next_alert_at = now, actor.user, None
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "next_alert_at"])
        _event(locked, actor, "acknowledged", f"确认告警：{ALERTS.get(locked.alert_kind, ('告警',))[0]}")
        audit.record(
            actor, "emergency.incident.acknowledge", locked, after={"acknowledged_at": now.isoformat()}
        )
    return locked


# ---------------------------------------------------------------- the sweep


def sweep(now: datetime | None = None) -> int:
    """One round: record missed activations (once) and repeat unacknowledged alerts. Returns breaches."""
    now = now or clock.now()
    breached = 0
    for pk in queries.overdue_ids(now):
        with transaction.atomic():
            found = (
                Incident.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit")
                .filter(pk=pk, activated_at__isnull=True, breached_at__isnull=True, activate_by__lt=now)
                .first()
            )
            if found is not None:
                breached += _breach(found, SYSTEM, now)
    for pk in queries.due_alert_ids(now):
        with transaction.atomic():
            found = (
                Incident.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit")
                .filter(pk=pk, next_alert_at__lte=now)
                .first()
            )
            if found is not None:
                _alert(found, found.alert_kind or "reported", now)
    return breached


# ---------------------------------------------------------------- photos of the scene (EMG-4)

PHOTO_MAX = 10  # photos per incident (本系统默认值: a cap on what one report stores, not a service rule)
HEIC_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1")


def photo_type(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of an image recognised by its first bytes — never by its name — or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", ".jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", ".png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIC_BRANDS:
        return "image/heic", ".heic"
    return None


def _refuse_photo(code: str, zh: str, en: str) -> None:
    raise Invalid(f"incident_photo_{code}", zh, en, {"photos": code})


def check_photo(incident_unit, upload) -> tuple[str, str, str, int]:
    """An upload checked as a photo (size limit of cases.attachment_max_size, image types sniffed from
    the bytes): (display name, MIME type, stored extension, size). Refuses in Chinese."""
    limit = int(policy.lookup(case_attachments.MAX_SIZE_KEY, unit=incident_unit).value) * 1024 * 1024
    size = upload.size or 0
    name = case_attachments.clean_name(upload.name) or "photo"
    if size == 0:
        _refuse_photo("empty", f"照片“{name}”为空", "The photo is empty")
    if size > limit:
        megabytes = limit // (1024 * 1024)
        _refuse_photo(
            "too_large",
            f"照片“{name}”超过 {megabytes} MB 上限",
            f"The photo exceeds the {megabytes} MB limit",
        )
    upload.seek(0)
    head = upload.read(case_attachments.SNIFF_BYTES)
    upload.seek(0)
    kind = photo_type(head)
    if kind is None:
        _refuse_photo(
            "type",
            f"“{name}”不是照片，只能上传 JPEG、PNG、WEBP 或 HEIC 图片",
            "Only JPEG, PNG, WebP or HEIC images may be uploaded",
        )
    return name, kind[0], kind[1], size


def _may_add_photo(actor: Actor, incident: Incident) -> None:
    """Who may report at the unit (its staff) or the command centre over it; others 403 if they see it."""
    if queries.is_staff_of(actor, incident.unit) or access.record_in_scope(
        actor, queries.COMMAND, unit=incident.unit, owner_id=None
    ):
        me = access.employee_of(actor.principal)
        if me is not None and not access.acting_grants(me) and not actor.user.is_superuser:
            raise access.supervisory_refusal()  # ORG-4: 只有督导权 does not upload
        return
    if queries.sees(actor, incident):
        raise PermissionDenied(
            "只有本单位员工或应急指挥中心可以上传现场照片",
            "Only the unit's staff or the command centre may add photos",
            code="incident_photo_forbidden",
        )
    raise NotFound("突发事件", "incident")


def add_photo(actor: Actor, incident: Incident, upload) -> IncidentPhoto:
    """A photo of the scene, stored sealed (SEC-1) under a random name; not on an archived incident, at
    most PHOTO_MAX per incident (counted under the incident's lock); audited, on the timeline."""
    _may_add_photo(actor, incident)
    name, mime, extension, size = check_photo(incident.unit, upload)
    with transaction.atomic():
        locked = _lock(incident)
        if locked.status == S.ARCHIVED:
            raise Conflict(
                "incident_archived", "事件已归档，不能再上传照片", "The incident is archived: no more photos"
            )
        if locked.photos.count() >= PHOTO_MAX:
            _refuse_photo(
                "too_many", f"每个事件最多上传 {PHOTO_MAX} 张照片", f"At most {PHOTO_MAX} photos per incident"
            )
        row = IncidentPhoto(
            incident=locked, name=name, content_type=mime, size=size, uploaded_by=actor.user, at=clock.now()
        )
        sealed.store(row.file, f"{secrets.token_hex(16)}{extension}", upload)
        row.save()
        _event(locked, actor, "photo", f"上传现场照片：{name}")
        audit.record(
            actor,
            "emergency.incident.photo",
            locked,
            after={"photo": row.pk, "name": name, "size": size, "content_type": mime},
        )
    return row


def add_photos(actor: Actor, incident: Incident, uploads) -> list[IncidentPhoto]:
    """Several photos at once, all or nothing: every one is checked before any is stored."""
    uploads = list(uploads or [])
    if not uploads:
        _refuse_photo("missing", "请选择照片", "Choose a photo")
    _may_add_photo(actor, incident)
    for upload in uploads:
        check_photo(incident.unit, upload)
    with transaction.atomic():
        return [add_photo(actor, incident, upload) for upload in uploads]


def report_with_photos(actor: Actor, uploads, **fields) -> Incident:
    """The report form: the incident and its photos, all or nothing (every photo is checked first)."""
    uploads = list(uploads or [])
    if len(uploads) > PHOTO_MAX:
        _refuse_photo(
            "too_many", f"每个事件最多上传 {PHOTO_MAX} 张照片", f"At most {PHOTO_MAX} photos per incident"
        )
    unit = fields.get("unit")
    if unit is not None:
        for upload in uploads:
            check_photo(unit, upload)
    with transaction.atomic():
        incident = report(actor, **fields)
        for upload in uploads:
            add_photo(actor, incident, upload)
    return incident


def photo_viewed(actor: Actor, photo: IncidentPhoto) -> None:
    """Record who opened a photo of the scene (SEC-5: reads of personal material are audited)."""
    with transaction.atomic():
        audit.record_read(
            actor, photo.incident, fields=[f"photo:{photo.pk}"], purpose="查看现场照片 / view incident photo"
        )
