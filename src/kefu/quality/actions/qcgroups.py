"""QC groups (QC-1): the only code that writes them.

A group is formed by its manager (qc.manage) with a leader, members and a topic; the topic is
registered with 综合部 (qc.register, "到公司综合部进行课题注册登记") before activities are recorded;
activities (PDCA stage, minutes, attendees, result) are recorded by the leader or the manager. The
monthly check flags a registered group with fewer activities in the past month than the pack's
quality.qc_activities_per_month, and a group inactive for longer than quality.qc_max_inactive —
once each, with a decision record quoting the clause, the leader and the leader's managers told.
The leader's explanation ("向公司综合部进行原因说明") clears a flag (audited)."""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, PermissionDenied
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.quality.models import ActivityKind, FlagKind, QcActivity, QcFlag, QcGroup, Registration, Stage
from kefu.quality.queries import qcgroups as queries

PER_MONTH = "quality.qc_activities_per_month"
MAX_INACTIVE = "quality.qc_max_inactive"
TEXT_LIMIT = 4000


def _text(value, field: str, zh: str, *, required: bool = True, limit: int = TEXT_LIMIT) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(f"qc_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"})
    if len(text) > limit:
        raise Invalid(f"qc_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return text


def _refuse(zh: str, en: str) -> PermissionDenied:
    return PermissionDenied(zh, en, code="qc_forbidden")


def _require_manage(actor: Actor, group: QcGroup) -> None:
    if not queries.may_manage(actor, group):
        raise _refuse("只有QC小组组长或负责的经理可以维护此小组", "Only the leader or a manager may do this")


def _within(unit: Unit, people: list[Employee], field: str) -> None:
    """QC-1: leader and members work in the group's subsidiary (cross-team groups are allowed)."""
    home = policy.subsidiary_of(unit)
    path = home.path if home is not None else unit.path
    for person in people:
        if person.status != EmploymentStatus.ACTIVE or not person.unit.path.startswith(path):
            raise Invalid(
                "qc_person_outside",
                f"{person.name} 不在本公司在职人员中",
                "Not an active colleague",
                {field: "outside"},
            )


def create_group(
    actor: Actor, *, name: str, unit: Unit, leader: Employee, members: list[Employee], topic: str
) -> QcGroup:
    """QC-1: form a group (stage 计划; the topic still to be registered with 综合部)."""
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=unit, owner_id=None):
        raise _refuse("不能在您的管理范围之外组建QC小组", "The unit is outside your scope")
    name = _text(name, "name", "小组名称", limit=100)
    topic = _text(topic, "topic", "课题", limit=200)
    _within(unit, [leader, *members], "members")
    with transaction.atomic():
        group = QcGroup.objects.create(
            name=name, unit=unit, leader=leader, topic=topic, created_at=clock.now()
        )
        group.members.set({m.pk for m in members} | {leader.pk})
        audit.record(
            actor,
            "quality.qcgroup.create",
            group,
            after={
                "unit": unit.pk,
                "leader": leader.pk,
                "members": sorted({m.pk for m in members}),
                "topic": topic,
            },
        )
    return group


def request_registration(actor: Actor, group: QcGroup) -> QcGroup:
    """QC-1: the leader (or manager) asks 综合部 to register the topic."""
    _require_manage(actor, group)
    with transaction.atomic():
        group = QcGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
        if group.registration != Registration.NONE:
            raise Invalid(
                "qc_registration_sent", "课题已提交登记", "The topic was already sent for registration"
            )
        group.registration = Registration.REQUESTED
        group.save(update_fields=["registration"])
        audit.record(actor, "quality.qcgroup.registration_request", group, after={"topic": group.topic})
    return group


def register_topic(actor: Actor, group: QcGroup) -> QcGroup:
    """QC-1: 综合部 registers the topic (qc.register over the group's unit); it gets its number."""
    access.require_write(actor, queries.REGISTER)
    if not queries.may_register(actor, group):
        raise _refuse("只有综合部可以登记QC课题", "Only 综合部 registers QC topics")
    with transaction.atomic():
        group = QcGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
        if group.registration != Registration.REQUESTED:
            raise Invalid(
                "qc_registration_state",
                "课题尚未提交登记或已登记",
                "The topic is not waiting for registration",
            )
        now = clock.now()
        group.registration = Registration.REGISTERED
        group.registration_number = f"QC{clock.local(now):%Y}-{group.pk:04d}"
        group.registered_at, group.registered_by = now, actor.user
        group.save(update_fields=["registration", "registration_number", "registered_at", "registered_by"])
        audit.record(
            actor,
            "quality.qcgroup.register",
            group,
            after={"number": group.registration_number, "topic": group.topic},
        )
    return group


def set_stage(actor: Actor, group: QcGroup, stage: str) -> QcGroup:
    """QC-1: move the group through 计划→实施→检查→处理 (PDCA)."""
    _require_manage(actor, group)
    if stage not in Stage.values:
        raise Invalid("qc_stage", "请选择PDCA阶段", "Choose a PDCA stage", {"stage": "invalid"})
    with transaction.atomic():
        group = QcGroup.objects.select_for_update(of=("self",)).get(pk=group.pk)
        before = group.stage
        group.stage = stage
        group.save(update_fields=["stage"])
        audit.record(actor, "quality.qcgroup.stage", group, before={"stage": before}, after={"stage": stage})
    return group


def record_activity(
    actor: Actor,
    group: QcGroup,
    *,
    day: date,
    kind: str,
    stage: str,
    minutes: str,
    result: str = "",
    attendees: list[Employee] = (),
) -> QcActivity:
    """QC-1: one activity of a registered group (《qc小组活动记录表》): date, kind, PDCA stage, minutes,
    attendees (the group's members), result."""
    _require_manage(actor, group)
    if group.registration != Registration.REGISTERED:
        raise Invalid(
            "qc_not_registered",
            "课题须先到综合部注册登记后方可开展活动（QC-1）",
            "Register the topic with 综合部 before recording activities (QC-1)",
            {"group": "not_registered"},
        )
    if kind not in ActivityKind.values:
        raise Invalid("qc_kind", "请选择活动类型", "Choose the kind of activity", {"kind": "invalid"})
    if stage not in Stage.values:
        raise Invalid("qc_stage", "请选择PDCA阶段", "Choose a PDCA stage", {"stage": "invalid"})
    if not isinstance(day, date) or day > clock.today():
        raise Invalid("qc_day", "活动日期不能晚于今天", "The day cannot be in the future", {"day": "future"})
    minutes = _text(minutes, "minutes", "活动记录")
    result = _text(result, "result", "活动成果", required=False)
    members = set(group.members.values_list("pk", flat=True)) | {group.leader_id}
    if any(a.pk not in members for a in attendees):
        raise Invalid(
            "qc_attendee", "参加人须为本小组成员", "Attendees must be members", {"attendees": "outside"}
        )
    with transaction.atomic():
        activity = QcActivity.objects.create(
            group=group,
            day=day,
            kind=kind,
            stage=stage,
            minutes=minutes,
            result=result,
            recorded_by=actor.user,
            recorded_at=clock.now(),
        )
        activity.attendees.set([a.pk for a in attendees])
        QcGroup.objects.filter(pk=group.pk).update(stage=stage)
        audit.record(
            actor,
            "quality.qcgroup.activity",
            activity,
            after={"group": group.pk, "day": day.isoformat(), "kind": kind, "stage": stage},
        )
    return activity


def explain(actor: Actor, flag: QcFlag, text: str) -> QcFlag:
    """QC-1 "如遇特殊情需及时向公司综合部进行原因说明": the leader's explanation clears the flag."""
    if not queries.leader_of(actor, flag.group):
        raise _refuse("只有QC小组组长可以填写原因说明", "Only the group's leader explains")
    text = _text(text, "explanation", "原因说明")
    with transaction.atomic():
        flag = QcFlag.objects.select_for_update(of=("self",)).get(pk=flag.pk)
        if flag.explained_at is not None:
            raise Invalid("qc_flag_explained", "此提醒已有原因说明", "This flag was already explained")
        flag.explanation, flag.explained_at, flag.explained_by = text, clock.now(), actor.user
        flag.save(update_fields=["explanation", "explained_at", "explained_by"])
        audit.record(
            actor,
            "quality.qcgroup.explain",
            flag,
            after={"kind": flag.kind, "period": flag.period},
            reason=text,
        )
    return flag


# ---------------------------------------------------------------- the monthly check (worker)


def _raise(group: QcGroup, kind: str, period: str, entry, outcome: str, inputs: dict, now: datetime):
    try:
        with transaction.atomic():
            flag = QcFlag.objects.create(group=group, kind=kind, period=period, raised_at=now)
    except IntegrityError:
        return None  # raised before: once per group, kind and period
    decisions.record_from_entry(flag, entry, outcome=outcome, inputs=inputs)
    people = [group.leader.user, *(s.user for s in group.leader.supervisors.all() if s.user_id)]
    notify(
        [p for p in people if p is not None],
        "quality.qc_flagged",
        {"group": group.name, "what": outcome},
        obj=flag,
        link=reverse("quality:qcgroup", args=[group.pk]),
        channels=("inbox",),
    )
    return flag


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def check_month(year: int, month: int, *, now: datetime | None = None) -> int:
    """QC-1: flag each group registered before `month` began that held fewer activities in it than the
    pack's minimum (at the version in force at the month's end)."""
    now = now or clock.now()
    first, last = _month_bounds(year, month)
    start = datetime.combine(first, time.min, tzinfo=clock.zone())
    groups = [g for g in queries.registered_groups() if g.registered_at < start]
    counts = queries.counts_between([g.pk for g in groups], first, last)
    at = datetime.combine(last, time.max, tzinfo=clock.zone())
    raised = 0
    with transaction.atomic():
        for group in groups:
            entry = policy.lookup(PER_MONTH, at=min(at, now), unit=group.unit)
            held = counts.get(group.pk, 0)
            if held >= int(entry.value):
                continue
            outcome = f"{year}年{month}月活动 {held} 次，少于每月 {entry.value} 次"
            inputs = {"month": f"{year}年{month}月", "activities": held}
            raised += bool(
                _raise(group, FlagKind.MONTHLY, f"{year}-{month:02d}", entry, outcome, inputs, now)
            )
    return raised


def check_inactive(*, now: datetime | None = None) -> int:
    """QC-1: flag each registered group whose last activity (or registration, if none) lies longer ago
    than the pack's quality.qc_max_inactive — once per stretch of inactivity."""
    now = now or clock.now()
    groups = list(queries.registered_groups())
    last = queries.last_days([g.pk for g in groups])
    raised = 0
    with transaction.atomic():
        for group in groups:
            since = last.get(group.pk) or clock.local(group.registered_at).date()
            entry = policy.lookup(MAX_INACTIVE, at=now, unit=group.unit)
            limit = policy.add_months(
                datetime.combine(since, time.min, tzinfo=clock.zone()), int(entry.value)
            )
            if now < limit:
                continue
            outcome = f"自 {since.year}年{since.month}月{since.day}日起未开展活动，已超过 {entry.value} 个月"
            inputs = {"last_activity": f"{since.year}年{since.month}月{since.day}日"}
            raised += bool(_raise(group, FlagKind.INACTIVE, since.isoformat(), entry, outcome, inputs, now))
    return raised


def monthly(run=None) -> int:
    """The monthly schedule (QC-1): last month's minimum, then inactivity. Idempotent."""
    today = clock.today()
    previous = today.replace(day=1) - timedelta(days=1)
    return check_month(previous.year, previous.month) + check_inactive()
