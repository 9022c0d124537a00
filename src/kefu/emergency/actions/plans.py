"""Emergency plans (EMG-1, EMG-3, EMG-6): the only code that writes them.

A plan is made by emergency.plan.manage over its unit — from a shipped template of an EMG-6 type (the
seed's steps, the default powers and 密级) or written out — as version 1; each change is a new version
(never an edit) and is distributed to every active employee of the unit and below, each of whom
acknowledges that version (a new version needs new acknowledgements). Until acknowledged, a reminder
goes out through the notifications engine every emergency.ack_remind_every_hours (the pack's, 本系统默认值).
Revision tasks (on demand now; after drills, incidents and the annual review later) have an owner and a
due date and are closed by the version that answers them."""

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.emergency import presets
from kefu.emergency.models import (
    Confidentiality,
    Distribution,
    Plan,
    PlanStep,
    PlanType,
    PlanVersion,
    Power,
    RevisionReason,
    RevisionTask,
)
from kefu.emergency.queries import plans as queries
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.engine.schedules.registry import Schedule, register
from kefu.org import access
from kefu.org.models import Employee, Role, Unit

REMIND_EVERY = "emergency.ack_remind_every_hours"
TEXT_LIMIT = 20000
STEP_LIMIT = 60


@dataclass
class StepIn:
    text: str
    slot: str = ""
    time_limit_minutes: int | None = None
    source: str = ""


def _text(value, field: str, zh: str, *, required: bool = True, limit: int = 4000) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(
            f"emergency_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"}
        )
    if len(text) > limit:
        raise Invalid(f"emergency_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return text


def _refuse() -> PermissionDenied:
    return PermissionDenied(
        "只有负责该单位应急预案的管理人员可以维护此预案",
        "Only a plan manager of the unit may do this",
        code="emergency_forbidden",
    )


def _require_manage(actor: Actor, unit: Unit) -> None:
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=unit, owner_id=None):
        raise _refuse()


def _steps(steps) -> list[StepIn]:
    steps = list(steps or [])
    if not steps:
        raise Invalid(
            "emergency_steps_required",
            "请至少填写一个处置步骤",
            "Give at least one step",
            {"steps": "required"},
        )
    if len(steps) > STEP_LIMIT:
        raise Invalid("emergency_steps_many", "处置步骤过多", "Too many steps", {"steps": "too_many"})
    clean = []
    for step in steps:
        if isinstance(step, dict):
            step = StepIn(**step)
        minutes = step.time_limit_minutes
        if minutes is not None and (not isinstance(minutes, int) or minutes <= 0 or minutes > 60 * 24 * 30):
            raise Invalid(
                "emergency_step_limit",
                "步骤时限须为正整数（分钟）",
                "A time limit is whole minutes",
                {"steps": "limit"},
            )
        if step.slot and step.slot not in presets.SLOT_KEYS:
            raise Invalid(
                "emergency_step_slot", "步骤的负责岗位不存在", "Unknown role slot", {"steps": "slot"}
            )
        clean.append(
            StepIn(
                _text(step.text, "steps", "处置步骤"),
                _text(step.slot, "steps", "负责岗位", required=False, limit=60),
                minutes,
                _text(step.source, "steps", "出处", required=False, limit=300),
            )
        )
    return clean


def _powers(powers) -> dict:
    powers = dict(powers or {})
    if any(k not in Power.values for k in powers):
        raise Invalid("emergency_power", "未知的处置权限", "Unknown power", {"powers": "unknown"})
    clean = {}
    for key in Power.values:
        slots = [str(s).strip() for s in powers.get(key, []) if str(s).strip()]
        if any(s not in presets.SLOT_KEYS for s in slots):
            raise Invalid(
                "emergency_power", "所选应急组织岗位不存在", "Unknown role slot", {"powers": "unknown"}
            )
        clean[key] = list(dict.fromkeys(slots))
    return clean


def _readers(codes) -> list[str]:
    codes = list(dict.fromkeys(str(c).strip() for c in codes or [] if str(c).strip()))
    if not codes:
        raise Invalid(
            "emergency_readers",
            "请指定可查阅预案全文的角色",
            "Name the roles that may read the full text",
            {"reader_roles": "required"},
        )
    known = set(Role.objects.filter(code__in=codes).values_list("code", flat=True))
    if set(codes) - known:
        raise Invalid("emergency_readers", "所选角色不存在", "Unknown role", {"reader_roles": "unknown"})
    return codes


def _make_version(actor: Actor, plan: Plan, number: int, fields: dict, steps: list[StepIn]) -> PlanVersion:
    now = clock.now()
    version = PlanVersion.objects.create(
        plan=plan, number=number, created_at=now, created_by=actor.user, **fields
    )
    PlanStep.objects.bulk_create(
        PlanStep(
            version=version,
            position=i + 1,
            text=s.text,
            slot=s.slot,
            time_limit_minutes=s.time_limit_minutes,
            source=s.source,
        )
        for i, s in enumerate(steps)
    )
    staff = queries.staff_of(plan.unit)
    Distribution.objects.bulk_create(
        Distribution(version=version, employee_id=pk, sent_at=now) for pk in staff
    )
    users = list(Employee.objects.filter(pk__in=staff, user__is_active=True).select_related("user"))
    notify(
        [e.user for e in users],
        "emergency.plan_distributed",
        {"plan": plan.title, "number": number},
        obj=version,
        link=reverse("emergency:plan", args=[plan.pk]),
        channels=("inbox",),
    )
    audit.record(
        actor,
        "emergency.plan.version",
        version,
        after={
            "plan": plan.pk,
            "number": number,
            "effective_on": fields["effective_on"].isoformat(),
            "confidentiality": fields["confidentiality"],
            "reader_roles": fields["reader_roles"],
            "steps": len(steps),
            "powers": fields["powers"],
            "distributed": len(staff),
        },
    )
    return version


def _fields(*, effective_on, confidentiality, full_text, reader_roles, runbook, powers, note) -> dict:
    if not isinstance(effective_on, date):
        raise Invalid(
            "emergency_effective", "请填写生效日期", "Give the effective date", {"effective_on": "required"}
        )
    if confidentiality not in Confidentiality.values:
        raise Invalid(
            "emergency_secrecy",
            "请选择密级",
            "Choose the confidentiality level",
            {"confidentiality": "invalid"},
        )
    return {
        "effective_on": effective_on,
        "confidentiality": confidentiality,
        "full_text": _text(full_text, "full_text", "预案全文", limit=TEXT_LIMIT),
        "reader_roles": _readers(reader_roles),
        "runbook": _text(runbook, "runbook", "员工处置卡"),
        "powers": _powers(powers),
        "note": _text(note, "note", "版本说明", required=False, limit=300),
    }


def create_plan(
    actor: Actor,
    *,
    unit: Unit,
    plan_type: str,
    title: str,
    effective_on: date,
    confidentiality: str,
    full_text: str,
    reader_roles: list[str],
    runbook: str,
    steps,
    powers: dict,
    note: str = "",
) -> Plan:
    """EMG-1: a plan of a type for a unit, with its version 1 distributed to the unit's staff."""
    _require_manage(actor, unit)
    if plan_type not in PlanType.values:
        raise Invalid("emergency_type", "请选择预案类型", "Choose the plan type", {"plan_type": "invalid"})
    title = _text(title, "title", "预案名称", limit=200)
    fields = _fields(
        effective_on=effective_on,
        confidentiality=confidentiality,
        full_text=full_text,
        reader_roles=reader_roles,
        runbook=runbook,
        powers=powers,
        note=note,
    )
    steps = _steps(steps)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                unit=unit, plan_type=plan_type, title=title, created_at=clock.now(), created_by=actor.user
            )
            audit.record(
                actor,
                "emergency.plan.create",
                plan,
                after={"unit": unit.pk, "type": plan_type, "title": title},
            )
            _make_version(actor, plan, 1, fields, steps)
    except IntegrityError:
        raise Invalid(
            "emergency_plan_exists",
            "本单位已有同名的同类预案",
            "The unit already has this plan",
            {"title": "exists"},
        ) from None
    return plan


def template_text(plan_type: str) -> str:
    """The full text a template plan starts with: its title, scope and numbered steps with sources."""
    title, _runbook, steps = presets.PLAN_TEMPLATES[plan_type]
    lines = [f"《{title}》", "", f"适用情形：{PlanType(plan_type).label}", "", "处置步骤："]
    for i, (text, _slot, minutes, source) in enumerate(steps, 1):
        limit = f"（时限：{minutes} 分钟）" if minutes else ""
        origin = f"〔出处：{source}〕" if source else "〔本系统默认值，非制度原文〕"
        lines.append(f"{i}. {text}{limit}{origin}")
    return "\n".join(lines)


def create_from_template(
    actor: Actor, *, unit: Unit, plan_type: str, effective_on: date | None = None
) -> Plan:
    """EMG-6: a new plan from the shipped template of `plan_type` (the seed steps, default powers and 密级)."""
    if plan_type not in presets.PLAN_TEMPLATES:
        raise Invalid("emergency_type", "请选择预案类型", "Choose the plan type", {"plan_type": "invalid"})
    title, runbook, steps = presets.PLAN_TEMPLATES[plan_type]
    return create_plan(
        actor,
        unit=unit,
        plan_type=plan_type,
        title=title,
        effective_on=effective_on or clock.today(),
        confidentiality=presets.DEFAULT_CONFIDENTIALITY,
        full_text=template_text(plan_type),
        reader_roles=presets.DEFAULT_READER_ROLES,
        runbook=runbook,
        steps=[StepIn(*s) for s in steps],
        powers=presets.DEFAULT_POWERS,
        note="由系统模板生成",
    )


def new_version(
    actor: Actor,
    plan: Plan,
    *,
    effective_on: date,
    confidentiality: str | None = None,
    full_text: str | None = None,
    reader_roles: list[str] | None = None,
    runbook: str | None = None,
    steps=None,
    powers: dict | None = None,
    note: str = "",
    revision: RevisionTask | None = None,
) -> PlanVersion:
    """EMG-1: the next version (what is not given is carried over from the current one); distributed
    anew — earlier acknowledgements do not count for it. Closes the revision task it answers."""
    _require_manage(actor, plan.unit)
    if revision is not None and revision.plan_id != plan.pk:
        raise Invalid(
            "emergency_revision_plan",
            "修订任务不属于此预案",
            "The task is of another plan",
            {"revision": "other"},
        )
    with transaction.atomic():
        plan = Plan.objects.select_for_update(of=("self",)).select_related("unit").get(pk=plan.pk)
        last = plan.versions.order_by("-number").first()
        fields = _fields(
            effective_on=effective_on,
            confidentiality=confidentiality or last.confidentiality,
            full_text=full_text if full_text is not None else last.full_text,
            reader_roles=reader_roles if reader_roles is not None else last.reader_roles,
            runbook=runbook if runbook is not None else last.runbook,
            powers=powers if powers is not None else last.powers,
            note=note,
        )
        if steps is None:
            steps = [
                StepIn(s.text, s.slot, s.time_limit_minutes, s.source)
                for s in last.steps.order_by("position")
            ]
        version = _make_version(actor, plan, last.number + 1, fields, _steps(steps))
        if revision is not None:
            done = RevisionTask.objects.filter(pk=revision.pk, done_at__isnull=True).update(
                done_at=clock.now(), done_version=version
            )
            if done:
                audit.record(
                    actor, "emergency.plan.revision_done", revision, after={"version": version.number}
                )
    return version


def acknowledge(actor: Actor, version: PlanVersion) -> Distribution:
    """EMG-1: the person confirms having read this version (once; later calls change nothing)."""
    me = access.employee_of(actor.principal)
    row = Distribution.objects.filter(version_id=version.pk, employee_id=getattr(me, "pk", 0)).first()
    if row is None:
        raise PermissionDenied(
            "此版本预案未分发给您，无需确认",
            "This version was not distributed to you",
            code="emergency_not_recipient",
        )
    with transaction.atomic():
        updated = Distribution.objects.filter(pk=row.pk, acknowledged_at__isnull=True).update(
            acknowledged_at=clock.now()
        )
        if updated:
            audit.record(
                actor,
                "emergency.plan.acknowledge",
                version,
                after={"plan": version.plan_id, "number": version.number},
            )
    row.refresh_from_db()
    return row


def create_revision(
    actor: Actor,
    plan: Plan,
    *,
    description: str,
    owner: Employee,
    due_on: date,
    reason: str = RevisionReason.ON_DEMAND,
) -> RevisionTask:
    """EMG-1: a revision task with its owner (in the plan's unit scope) and due date."""
    _require_manage(actor, plan.unit)
    if reason not in RevisionReason.values:
        raise Invalid("emergency_reason", "请选择修订原因", "Choose the reason", {"reason": "invalid"})
    if not isinstance(due_on, date) or due_on < clock.today():
        raise Invalid(
            "emergency_due", "完成期限不能早于今天", "The due date cannot be in the past", {"due_on": "past"}
        )
    home = policy.subsidiary_of(plan.unit) or plan.unit
    if not owner.unit.path.startswith(home.path):
        raise Invalid(
            "emergency_owner", f"{owner.name} 不在本公司在职人员中", "Not a colleague", {"owner": "outside"}
        )
    description = _text(description, "description", "修订内容")
    with transaction.atomic():
        task = RevisionTask.objects.create(
            plan=plan,
            reason=reason,
            description=description,
            owner=owner,
            due_on=due_on,
            created_at=clock.now(),
            created_by=actor.user,
        )
        audit.record(
            actor,
            "emergency.plan.revision",
            task,
            after={"plan": plan.pk, "owner": owner.pk, "due_on": due_on.isoformat(), "reason": reason},
        )
        if owner.user_id:
            notify(
                [owner.user],
                "emergency.revision_assigned",
                {"plan": plan.title, "due": f"{due_on.year}年{due_on.month}月{due_on.day}日"},
                obj=task,
                link=reverse("emergency:plan", args=[plan.pk]),
                channels=("inbox",),
            )
    return task


def remind(run=None) -> int:
    """EMG-1: remind everyone who has not acknowledged a version distributed to them, at most once per
    the pack's interval (schedule, idempotent within the interval). Returns how many were reminded."""
    now = clock.now()
    hours = float(policy.lookup(REMIND_EVERY, at=now).value)
    cutoff = now - timedelta(hours=hours)
    due = list(
        Distribution.objects.filter(
            acknowledged_at__isnull=True, sent_at__lte=cutoff, employee__user__is_active=True
        )
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cutoff))
        .select_related("version__plan", "employee__user")
        .order_by("pk")[:2000]
    )
    for row in due:
        with transaction.atomic():
            claimed = (
                Distribution.objects.filter(pk=row.pk, acknowledged_at__isnull=True)
                .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=cutoff))
                .update(last_reminded_at=now, reminders=F("reminders") + 1)
            )
            if not claimed:
                continue
            notify(
                [row.employee.user],
                "emergency.plan_reminder",
                {"plan": row.version.plan.title, "number": row.version.number},
                obj=row.version,
                link=reverse("emergency:plan", args=[row.version.plan_id]),
                channels=("inbox", "email"),
            )
    return len(due)


REMINDERS = Schedule(
    "emergency.plan_reminders", "daily", run="kefu.emergency.actions.plans.remind", at=time(9, 0)
)


def register_jobs() -> None:
    register(REMINDERS)
