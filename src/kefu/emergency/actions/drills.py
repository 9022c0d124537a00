"""Emergency drills (DRL-1): the only code that writes them.

A drill of a plan is scheduled (a future time; emergency.plan.manage over the plan's unit) with the plan's
current version, the scenario, the place and the organiser; it may be rescheduled or cancelled with a
reason while scheduled. Recording it held copies the drilled version's steps with their timings (finish
never before start) and results and records the participants (attended or not); every held drill is then
evaluated (score 0–100, grade, text) — until then it shows as 待评估. Corrective actions found by a drill
have an owner and a due date and are closed when done; one may also open a plan revision task (reason
演练后修订) through the plans' own action. Every state change locks the drill's row and refuses a wrong state
(Conflict). The daily job reminds — once each — of plans still short of drills this year (seed 003
"每年至少进行一次应急演练"), of drills coming up within the pack's `emergency.drill_remind_before` days, and
of corrective actions past due."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, PermissionDenied
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.models import (
    Drill,
    DrillAction,
    DrillGrade,
    DrillParticipant,
    DrillReminder,
    DrillStatus,
    DrillStep,
    Plan,
    RevisionReason,
    StepResult,
)
from kefu.emergency.queries import drills as queries
from kefu.emergency.queries import surges as surge_queries
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

STATE_NAMES = {s.value: s.label for s in DrillStatus}
MAX_PARTICIPANTS = 500
MAX_MINUTES = 24 * 60


@dataclass
class StepTiming:
    position: int
    started_at: datetime | None = None
    finished_at: datetime | None = None
    duration_minutes: int | None = None
    result: str = ""
    note: str = ""


def _text(value, field: str, zh: str, limit: int, *, required: bool = True) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise Invalid(f"drill_{field}_required", f"请填写{zh}", f"{field} is required", {field: "required"})
    if len(text) > limit:
        raise Invalid(f"drill_{field}_long", f"{zh}过长", f"{field} is too long", {field: "too_long"})
    return text


def _moment(value, field: str, zh: str) -> datetime:
    if isinstance(value, datetime):
        found = value
    else:
        found = parse_datetime(str(value or "").strip()) if value else None
        if found is None:
            raise Invalid(
                f"drill_{field}",
                f"{zh}格式不正确（例如 2026-03-05 09:30）",
                f"{field} is not a time",
                {field: "time"},
            )
    if found.tzinfo is None:
        found = found.replace(tzinfo=clock.zone())
    return found


def _day(value, field: str, zh: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid(
            f"drill_{field}", f"请填写{zh}（例如 2026-03-05）", f"{field} is not a date", {field: "date"}
        ) from None


def _refuse() -> PermissionDenied:
    return PermissionDenied(
        "只有负责该单位应急预案的管理人员可以安排和记录应急演练",
        "Only a plan manager of the unit may do this",
        code="drill_forbidden",
    )


def _require_manage(actor: Actor, unit: Unit) -> None:
    access.require_write(actor, queries.MANAGE)
    if not access.write_in_scope(actor, queries.MANAGE, unit=unit, owner_id=None):
        raise _refuse()


def _colleague(person: Employee | None, unit: Unit, field: str, zh: str) -> Employee:
    home = policy.subsidiary_of(unit) or unit
    if (
        person is None
        or person.status != EmploymentStatus.ACTIVE
        or not person.unit.path.startswith(home.path)
    ):
        name = getattr(person, "name", "")
        raise Invalid(
            f"drill_{field}",
            f"{name}不是本公司在职人员，不能作为{zh}",
            f"{field} is not a colleague",
            {field: "outside"},
        )
    return person


def _locked(drill: Drill) -> Drill:
    return Drill.objects.select_for_update(of=("self",)).select_related("unit", "plan").get(pk=drill.pk)


def _expect(drill: Drill, *states: str, doing: str) -> None:
    if drill.status not in states:
        raise Conflict(
            "drill_state",
            f"演练当前为“{STATE_NAMES[drill.status]}”，不能{doing}",
            f"The drill is {drill.status}; cannot {doing}",
        )


def _future(when: datetime, field: str) -> datetime:
    if when <= clock.now():
        raise Invalid(
            "drill_time_past", "演练时间须晚于现在", "The drill time must be in the future", {field: "past"}
        )
    return when


def schedule(
    actor: Actor,
    plan: Plan,
    *,
    scheduled_for,
    scenario: str,
    place: str,
    organiser: Employee,
) -> Drill:
    """DRL-1: a drill of the plan's current version at a future time (plan.manage over the plan's unit)."""
    _require_manage(actor, plan.unit)
    when = _future(_moment(scheduled_for, "scheduled_for", "演练时间"), "scheduled_for")
    scenario = _text(scenario, "scenario", "演练场景", 300)
    place = _text(place, "place", "演练地点", 200)
    organiser = _colleague(organiser, plan.unit, "organiser", "组织人")
    version = plan.versions.order_by("-number").first()
    with transaction.atomic():
        drill = Drill.objects.create(
            plan=plan,
            version=version,
            unit=plan.unit,
            scheduled_for=when,
            scenario=scenario,
            place=place,
            organiser=organiser,
            created_at=clock.now(),
            created_by=actor.user,
        )
        audit.record(
            actor,
            "emergency.drill.schedule",
            drill,
            after={
                "plan": plan.pk,
                "version": version.number,
                "scheduled_for": when.isoformat(),
                "organiser": organiser.pk,
            },
        )
    return drill


def reschedule(actor: Actor, drill: Drill, *, scheduled_for, place: str | None = None) -> Drill:
    """DRL-1: a scheduled drill moved to another future time (and place); the reminder starts over."""
    _require_manage(actor, drill.unit)
    when = _future(_moment(scheduled_for, "scheduled_for", "演练时间"), "scheduled_for")
    with transaction.atomic():
        locked = _locked(drill)
        _expect(locked, DrillStatus.SCHEDULED, doing="改期")
        new_place = locked.place if place in (None, "") else _text(place, "place", "演练地点", 200)
        Drill.objects.filter(pk=locked.pk).update(scheduled_for=when, place=new_place)
        audit.record(
            actor,
            "emergency.drill.reschedule",
            locked,
            before={"scheduled_for": locked.scheduled_for.isoformat(), "place": locked.place},
            after={"scheduled_for": when.isoformat(), "place": new_place},
        )
    drill.refresh_from_db()
    return drill


def cancel(actor: Actor, drill: Drill, *, reason: str) -> Drill:
    """DRL-1: a scheduled drill cancelled with its reason (it no longer counts for the year)."""
    _require_manage(actor, drill.unit)
    reason = _text(reason, "reason", "取消原因", 300)
    with transaction.atomic():
        locked = _locked(drill)
        _expect(locked, DrillStatus.SCHEDULED, doing="取消")
        Drill.objects.filter(pk=locked.pk).update(
            status=DrillStatus.CANCELLED, cancel_reason=reason, cancelled_at=clock.now()
        )
        audit.record(
            actor,
            "emergency.drill.cancel",
            locked,
            before={"status": locked.status},
            after={"status": DrillStatus.CANCELLED, "reason": reason},
        )
    drill.refresh_from_db()
    return drill


def _timings(steps, held_at: datetime, known: dict) -> dict[int, StepTiming]:
    clean: dict[int, StepTiming] = {}
    for step in list(steps or []):
        if isinstance(step, dict):
            step = StepTiming(**step)
        try:
            position = int(step.position)
        except (TypeError, ValueError):
            position = 0
        if position not in known or position in clean:
            raise Invalid(
                "drill_step_unknown", "演练步骤不存在或重复", "Unknown or repeated step", {"steps": "unknown"}
            )
        zh = f"第 {position} 步"
        start = _moment(step.started_at, "steps", f"{zh}开始时间") if step.started_at else None
        finish = _moment(step.finished_at, "steps", f"{zh}结束时间") if step.finished_at else None
        if start and finish and finish < start:
            raise Invalid(
                "drill_step_order",
                f"{zh}的结束时间不能早于开始时间",
                "A step cannot finish before it starts",
                {"steps": "order"},
            )
        if (finish or start) and (finish or start) > clock.now():
            raise Invalid(
                "drill_step_future",
                f"{zh}的时间不能晚于现在",
                "A step time is in the future",
                {"steps": "future"},
            )
        minutes = step.duration_minutes
        if minutes in ("", None):
            minutes = None
        else:
            try:
                minutes = int(minutes)
            except (TypeError, ValueError):
                minutes = -1
            if not 0 <= minutes <= MAX_MINUTES:
                raise Invalid(
                    "drill_step_minutes",
                    f"{zh}的用时应为 0 至 {MAX_MINUTES} 之间的整数（分钟）",
                    "Step minutes out of range",
                    {"steps": "minutes"},
                )
        if minutes is None and start and finish:
            minutes = int((finish - start).total_seconds() // 60)
        if step.result not in ("", *StepResult.values):
            raise Invalid("drill_step_result", f"请选择{zh}的结果", "Choose a result", {"steps": "result"})
        clean[position] = StepTiming(
            position,
            start,
            finish,
            minutes,
            step.result,
            _text(step.note, "note", f"{zh}备注", 500, required=False),
        )
    return clean


def record_held(
    actor: Actor,
    drill: Drill,
    *,
    held_at,
    summary: str,
    participants,
    steps=(),
) -> Drill:
    """DRL-1: the drill took place — when (not in the future), a summary, the participants (employee,
    attended) and each step's timing and result; the drilled version's steps are copied. Next: evaluate."""
    _require_manage(actor, drill.unit)
    when = _moment(held_at, "held_at", "实施时间")
    if when > clock.now():
        raise Invalid(
            "drill_held_future",
            "实施时间不能晚于现在",
            "The drill cannot be held in the future",
            {"held_at": "future"},
        )
    summary = _text(summary, "summary", "演练情况", 4000)
    people: dict[int, tuple[Employee, bool]] = {}
    for person, attended in list(participants or [])[: MAX_PARTICIPANTS + 1]:
        _colleague(person, drill.unit, "participants", "参演人员")
        people[person.pk] = (person, bool(attended))
    if not any(attended for _p, attended in people.values()):
        raise Invalid(
            "drill_participants_required",
            "请至少登记一名实际参演人员",
            "Record who took part",
            {"participants": "required"},
        )
    if len(people) > MAX_PARTICIPANTS:
        raise Invalid(
            "drill_participants_many", "参演人员过多", "Too many participants", {"participants": "too_many"}
        )
    plan_steps = {s.position: s for s in drill.version.steps.order_by("position")}
    timings = _timings(steps, when, plan_steps)
    with transaction.atomic():
        locked = _locked(drill)
        _expect(locked, DrillStatus.SCHEDULED, doing="登记实施")
        DrillStep.objects.bulk_create(
            DrillStep(
                drill=locked,
                position=pos,
                text=s.text,
                slot=s.slot,
                time_limit_minutes=s.time_limit_minutes,
                started_at=timings.get(pos, StepTiming(pos)).started_at,
                finished_at=timings.get(pos, StepTiming(pos)).finished_at,
                duration_minutes=timings.get(pos, StepTiming(pos)).duration_minutes,
                result=timings.get(pos, StepTiming(pos)).result,
                note=timings.get(pos, StepTiming(pos)).note,
            )
            for pos, s in plan_steps.items()
        )
        DrillParticipant.objects.bulk_create(
            DrillParticipant(drill=locked, employee=p, attended=attended) for p, attended in people.values()
        )
        Drill.objects.filter(pk=locked.pk).update(status=DrillStatus.HELD, held_at=when, summary=summary)
        audit.record(
            actor,
            "emergency.drill.held",
            locked,
            before={"status": locked.status},
            after={
                "status": DrillStatus.HELD,
                "held_at": when.isoformat(),
                "participants": len(people),
                "attended": sum(1 for _p, a in people.values() if a),
                "steps_timed": len(timings),
            },
        )
    drill.refresh_from_db()
    return drill


def evaluate(actor: Actor, drill: Drill, *, score, grade: str, evaluation: str) -> Drill:
    """DRL-1: the evaluation every held drill needs (seed 003 "每次应急演练后，要对应急预案的执行情况进行评估")."""
    _require_manage(actor, drill.unit)
    try:
        score = int(str(score).strip())
    except (TypeError, ValueError):
        score = -1
    if not 0 <= score <= 100:
        raise Invalid("drill_score", "评分应为 0 至 100 之间的整数", "Score out of range", {"score": "range"})
    if grade not in DrillGrade.values:
        raise Invalid("drill_grade", "请选择评估等级", "Choose a grade", {"grade": "choice"})
    evaluation = _text(evaluation, "evaluation", "评估意见", 4000)
    me = access.employee_of(actor.principal)
    with transaction.atomic():
        locked = _locked(drill)
        _expect(locked, DrillStatus.HELD, doing="评估（须先登记实施，且每次演练只评估一次）")
        Drill.objects.filter(pk=locked.pk).update(
            status=DrillStatus.EVALUATED,
            score=score,
            grade=grade,
            evaluation=evaluation,
            evaluated_at=clock.now(),
            evaluated_by=me,
        )
        audit.record(
            actor,
            "emergency.drill.evaluate",
            locked,
            before={"status": locked.status},
            after={"status": DrillStatus.EVALUATED, "score": score, "grade": grade},
        )
    drill.refresh_from_db()
    return drill


def add_action(
    actor: Actor, drill: Drill, *, text: str, owner: Employee, due_on, revise_plan: bool = False
) -> DrillAction:
    """DRL-1: a corrective action of a held drill with its owner and due date; `revise_plan` also opens a
    revision task of the plan (reason 演练后修订) with the same owner and due date."""
    _require_manage(actor, drill.unit)
    text = _text(text, "text", "整改措施", 500)
    owner = _colleague(owner, drill.unit, "owner", "整改负责人")
    due = _day(due_on, "due_on", "整改期限")
    if due < clock.today():
        raise Invalid(
            "drill_due_past", "整改期限不能早于今天", "The due date cannot be in the past", {"due_on": "past"}
        )
    with transaction.atomic():
        locked = _locked(drill)
        _expect(locked, DrillStatus.HELD, DrillStatus.EVALUATED, doing="登记整改措施（须先登记实施）")
        revision = None
        if revise_plan:
            revision = plan_actions.create_revision(
                actor,
                locked.plan,
                description=f"演练发现：{text}",
                owner=owner,
                due_on=due,
                reason=RevisionReason.DRILL,
            )
        row = DrillAction.objects.create(
            drill=locked,
            text=text,
            owner=owner,
            due_on=due,
            revision=revision,
            created_at=clock.now(),
            created_by=actor.user,
        )
        audit.record(
            actor,
            "emergency.drill.action",
            row,
            after={
                "drill": locked.pk,
                "owner": owner.pk,
                "due_on": due.isoformat(),
                "revision": getattr(revision, "pk", None),
            },
        )
    return row


def close_action(actor: Actor, row: DrillAction, *, note: str = "") -> DrillAction:
    """DRL-1: a corrective action done (once; closing it again is a conflict)."""
    _require_manage(actor, row.drill.unit)
    note = _text(note, "note", "完成说明", 500, required=False)
    with transaction.atomic():
        locked = DrillAction.objects.select_for_update(of=("self",)).get(pk=row.pk)
        if locked.closed_at is not None:
            raise Conflict("drill_action_closed", "该整改措施已关闭", "The action is already closed")
        now = clock.now()
        DrillAction.objects.filter(pk=locked.pk).update(
            closed_at=now, closed_by=actor.user, closing_note=note
        )
        audit.record(
            actor,
            "emergency.drill.action_close",
            locked,
            before={"closed_at": None},
            after={"closed_at": now.isoformat(), "note": note},
        )
    row.refresh_from_db()
    return row


# ------------------------------------------------------------------ the daily reminders


def _claim(key: str) -> bool:
    """Write the reminder's row; False when another run already did (the unique key decides)."""
    try:
        with transaction.atomic():
            DrillReminder.objects.create(key=key, sent_at=clock.now())
    except IntegrityError:
        return False
    return True


def _told(key: str, users, template: str, context: dict, obj, link: str) -> int:
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    with transaction.atomic():
        if not _claim(key):
            return 0
        if users:
            notify(users, template, context, obj=obj, link=link, channels=("inbox",))
    return 1


def remind(run=None) -> int:
    """The daily schedule `emergency.drill_reminders` (DRL-1): tell the plan's owner and the command
    centre of plans short of drills this year (once a month per plan), of drills coming up within the pack's
    days (once per drill and time) and the action's owner of corrective actions past due (once per action
    and due date). Safe with several workers: each reminder is claimed by a unique row first."""
    now = clock.now()
    today = clock.today()
    sent = 0
    for plan in queries.all_due_plans(today.year):
        sent += _told(
            f"due:{plan.pk}:{today:%Y-%m}",
            [plan.created_by, *surge_queries.command_holders(plan.unit)],
            "emergency.drill_due",
            {"plan": plan.title, "year": today.year, "required": plan.required, "counted": plan.counted},
            plan,
            reverse("emergency:drills"),
        )
    for drill in queries.upcoming_to_remind(now):
        at = clock.local(drill.scheduled_for)
        sent += _told(
            f"upcoming:{drill.pk}:{drill.scheduled_for:%Y%m%dT%H%M}",
            [drill.organiser.user, drill.plan.created_by, *surge_queries.command_holders(drill.unit)],
            "emergency.drill_upcoming",
            {"plan": drill.plan.title, "when": f"{at:%Y-%m-%d %H:%M}", "place": drill.place},
            drill,
            reverse("emergency:drill", args=[drill.pk]),
        )
    for row in queries.overdue_actions(today):
        sent += _told(
            f"action:{row.pk}:{row.due_on:%Y%m%d}",
            [row.owner.user, row.drill.plan.created_by],
            "emergency.drill_action_overdue",
            {"plan": row.drill.plan.title, "text": row.text, "due": f"{row.due_on:%Y-%m-%d}"},
            row.drill,
            reverse("emergency:drill", args=[row.drill_id]),
        )
    return sent


def combine(day: date, at: time | None) -> datetime | None:
    """A step time typed on the page (a time of the drill's day) as an aware instant."""
    return datetime.combine(day, at, tzinfo=clock.zone()) if at else None
