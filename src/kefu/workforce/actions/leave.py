"""Rest and leave (LV-1…LV-6): request, decide, hand the work over, and the LV-6 offences.

- `request` (LV-1): in advance (from tomorrow on), with time, reason, work arrangement and an optional
  substitute; paid rest (LV-4) is counted in working days of the office calendar against the quarter
  and year quota — what the quota does not cover is unpaid — with the person's quota row locked so
  parallel requests cannot both take the last paid day; rest that includes a statutory holiday is asked at least `leave.holiday_rest_notice` ahead.
  The approval chain `workforce.leave` (lifecycle_leave, LV-2/LV-3) opens with its working-day clock.
- `decide`: the approver's verdict; once approved, a leave about to start hands its work over at once,
  and a late decision that left the requester on unapproved leave while a case of theirs breached
  records the approver's liability (LV-6, docs/decisions.md).
- `hand_over` / `hand_over_due` (LV-5): before the leave starts (`leave.handover_ahead`), the person's
  open cases with running clocks go to the substitute — or to the least-loaded colleague of the case's
  skill group available during the leave — through the cases transfer action (audited, clocks kept),
  and their open revisit tasks to the substitute or the unit's queue (followups action).
  The substitute also covers the person's shifts of published rotas in the period (代班, WFM-1 rest
  respected); a shift the substitute cannot take stays open and the approver is told to fill it.
- `unreported_rest` (LV-6): a bonus-deduction proposal in the discipline ledger; HR confirms.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists

from kefu.cases.actions import routing as case_routing
from kefu.cases.models import OPEN_STATES, Case
from kefu.cases.queries import routing
from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import DomainError, Invalid, NotFound
from kefu.discipline import actions as discipline
from kefu.engine.calendars import api as calendars
from kefu.engine.calendars.festivals import HOLIDAY
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import tasks as revisits
from kefu.followups.models import RevisitTask, TaskState
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus
from kefu.workforce.lifecycle_leave import CHAIN, by_manager
from kefu.workforce.models import (
    LeaveKind,
    LeaveQuota,
    LeaveRequest,
    LeaveState,
    RotaShift,
    RotaState,
)
from kefu.workforce.queries import leave as queries
from kefu.workforce.queries import rotas as rota_queries

# the approval's and the decision records' inputs in words (issue 13)
decisions.describe(
    inputs={
        "days": ("休息天数", "days"),
        "paid_days": ("其中带薪天数", "paid days"),
        "manager_up_to": ("部门经理可批天数", "manager approves up to"),
        "superior_from": ("上级领导审批起始天数", "superior approves from"),
        "revisits": ("回访任务", "revisit tasks"),
        "cases": ("交出的工单", "cases handed over"),
        "shifts_covered": ("代班班次", "shifts covered by the substitute"),
    }
)

CALENDAR = "office"
HALF = Decimal("0.5")
BATCH = 50  # leaves handed over per sweep round (本系统默认值)


def _text(value, field: str, zh: str, en: str) -> str:
    text = (value or "").strip()
    if not text:
        raise Invalid(
            f"leave_{field}_required", f"请填写{zh}（LV-1）", f"{en} is required (LV-1)", {field: "required"}
        )
    return text[:500]


def _day(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid(
            "leave_date_invalid", "请填写有效的日期", "Enter a valid date", {field: "invalid"}
        ) from None


def _paid_days(starts_on: date, ends_on: date, half: bool) -> Decimal:
    """Working days of the office calendar in the period; a half last day counts half (LV-4)."""
    total = Decimal(0)
    day = starts_on
    while day <= ends_on:
        if calendars.is_working_day(CALENDAR, day):
            total += HALF if (half and day == ends_on) else Decimal(1)
        day += timedelta(days=1)
    return total


def _holidays(starts_on: date, ends_on: date) -> list[date]:
    years = calendars.coverage(range(starts_on.year, ends_on.year + 1))
    found, day = [], starts_on
    while day <= ends_on:
        kind = years[day.year].days.get(day, ("", ""))[0] if day.year in years else ""
        if kind == HOLIDAY:
            found.append(day)
        day += timedelta(days=1)
    return found


def _substitute(value, me: Employee) -> Employee | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Employee) else (int(value) if str(value).isdigit() else 0)
    found = (
        Employee.objects.filter(pk=pk, status=EmploymentStatus.ACTIVE).select_related("unit", "user").first()
    )
    if (
        found is None
        or found.pk == me.pk
        or not routing.within_reach(Actor.system("leave"), me.unit, found.unit)
    ):
        raise Invalid(
            "leave_substitute_unknown",
            "所选代岗人员不存在或不在本公司",
            "Unknown substitute",
            {"substitute": "unknown"},
        )
    return found


def request(
    actor: Actor,
    *,
    kind: str = LeaveKind.REST,
    starts_on,
    ends_on,
    half_day: bool = False,
    reason: str,
    arrangement: str,
    substitute=None,
) -> LeaveRequest:
    """LV-1/LV-4: file a rest or leave request in advance; it waits for the LV-3 approver."""
    me = access.employee_of(actor.principal)
    if me is None:
        raise NotFound("员工", "employee")
    if kind not in LeaveKind.values:
        raise Invalid("leave_kind_invalid", "请选择休息类型", "Choose the kind of leave", {"kind": "invalid"})
    starts_on, ends_on = _day(starts_on, "starts_on"), _day(ends_on, "ends_on")
    reason = _text(reason, "reason", "休息原因", "A reason")
    arrangement = _text(arrangement, "arrangement", "工作安排", "The work arrangement")
    substitute = _substitute(substitute, me)
    today = clock.today()
    if starts_on <= today:
        raise Invalid(
            "leave_not_in_advance",
            "休息须提前申请：开始日期最早为明天（LV-1）",
            "Leave is requested in advance: it starts tomorrow at the earliest (LV-1)",
            {"starts_on": "in_advance"},
        )
    if ends_on < starts_on:
        raise Invalid(
            "leave_period_invalid",
            "结束日期不能早于开始日期",
            "The end is before the start",
            {"ends_on": "before_start"},
        )
    starts_at = queries.local_start(starts_on)
    ends_at = queries.local_start(ends_on) + (timedelta(hours=12) if half_day else timedelta(days=1))
    days = Decimal((ends_on - starts_on).days + 1) - (HALF if half_day else 0)
    now = clock.now()
    notes = []
    paid = Decimal(0)
    if kind == LeaveKind.REST:
        holidays = _holidays(starts_on, ends_on)
        if holidays:
            notice = policy.lookup("leave.holiday_rest_notice", at=now, unit=me.unit)
            latest = policy.add_months(starts_at, -int(notice.value))
            if now > latest:
                raise Invalid(
                    "leave_holiday_notice",
                    f"法定节假日休息须提前至少{notice.value}个月申请（LV-4：{notice.clause}）",
                    f"Rest on a statutory holiday is requested at least {notice.value} month(s) ahead (LV-4)",
                    {"starts_on": "holiday_notice"},
                )
            notes.append(f"含法定节假日 {len(holidays)} 天，已提前 {notice.value} 个月以上申请")
        paid = _paid_days(starts_on, ends_on, half_day)
        if paid == 0:
            raise Invalid(
                "leave_rest_on_working_days",
                "带薪休息应安排在工作日（LV-4）；所选日期没有工作日",
                "Paid rest is taken on working days (LV-4); the dates hold none",
                {"starts_on": "not_working_day"},
            )
    with transaction.atomic():
        # the person's own quota row, locked: their parallel requests queue here, nobody else's do
        LeaveQuota.objects.get_or_create(employee=me, year=starts_on.year)
        LeaveQuota.objects.select_for_update(of=("self",)).get(employee=me, year=starts_on.year)
        overlap = LeaveRequest.objects.filter(
            employee=me, state__in=queries.STANDING, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        if overlap.exists():
            raise Invalid(
                "leave_overlap",
                "该时段已有休息申请",
                "You already asked for leave in that period",
                {"starts_on": "overlap"},
            )
        quota = queries.quota(me, starts_on)
        if kind == LeaveKind.REST:
            working, paid = paid, min(paid, quota.left_quarter)
            entry = quota.quarter_entry if quota.left_year >= quota.per_quarter else quota.year_entry
            notes.append(
                f"工作日 {working} 天，其中带薪 {paid} 天（本季度剩余 {quota.left_quarter} 天、"
                f"本年度剩余 {quota.left_year} 天；{entry.clause}）"
                + (f"，其余 {working - paid} 天不带薪" if working > paid else "")
            )
        leave = LeaveRequest.objects.create(
            employee=me,
            unit=me.unit,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            days=days,
            paid_days=paid,
            reason=reason,
            arrangement=arrangement,
            substitute=substitute,
            requested_at=now,
        )
        up_to = policy.lookup("leave.manager_approves_up_to", at=now, unit=me.unit)
        superior_from = policy.lookup("leave.superior_approves_from", at=now, unit=me.unit)
        inputs = {
            "days": str(days),
            "manager_up_to": str(up_to.value),
            "superior_from": str(superior_from.value),
        }
        workflow.start_approval(actor, leave, CHAIN.name, inputs=inputs)
        manager = by_manager(inputs)
        who = "部门经理（直属主管）" if manager else "上级领导（主管的上级）"
        # the entry that decided: the manager's "以内", else "3天以上" when it reaches, else (between the
        # two, e.g. 2.5 days) the manager's entry that does not cover it (docs/decisions.md)
        deciding = superior_from if not manager and days >= Decimal(superior_from.value) else up_to
        decisions.record_from_entry(
            leave,
            deciding,
            outcome=f"休息 {days} 天，由{who}审批；须在收到后 1 个工作日内审批"
            + ("；" + "；".join(notes) if notes else ""),
            inputs={"days": str(days), "paid_days": str(paid)},
            actor=actor,
        )
        audit.record(
            actor,
            "workforce.leave.request",
            leave,
            after={
                "kind": kind,
                "days": str(days),
                "paid_days": str(paid),
                "substitute": substitute.pk if substitute else None,
            },
        )
    return leave


def decide(actor: Actor, leave: LeaveRequest, decision: str, *, reason: str = "") -> LeaveRequest:
    """The approver's verdict on a pending request (LV-2/LV-3); approval hands over work due soon (LV-5)."""
    pending = workflow.pending_approval(leave)
    step = (
        pending.steps.filter(status=workflow.StepStatus.PENDING, approvers=actor.principal).first()
        if pending is not None and actor.principal is not None
        else None
    )
    if step is None:
        raise NotFound("审批步骤", "approval step")
    if decision not in ("approve", "reject", "return"):
        raise Invalid(
            "leave_decision_invalid",
            "请选择批准、驳回或退回",
            "Choose approve, reject or return",
            {"decision": "invalid"},
        )
    workflow.decide(actor, step.pk, decision, reason=reason)
    leave.refresh_from_db()
    if leave.state == LeaveState.APPROVED and _due(leave):
        hand_over(leave)  # otherwise the sweep does it when the start comes near
    return leave


def _late_liability(leave: LeaveRequest, steps: list) -> None:
    """LV-6 "导致工作出现失误": a step was decided after its working-day deadline, the leave had already
    begun by then (the requester was away without an approval) and a case of theirs breached a deadline
    in between. Then the approver of the late step gets a liability proposal (HR confirms)."""
    for step in steps:
        if step.decided_at is None or step.decided_at <= leave.starts_at or step.decided_by_id is None:
            continue
        if not workflow.clocks(step).filter(breached_at__isnull=False).exists():
            continue
        breached = workflow.outer_clocks(Case).filter(
            breached_at__gte=leave.starts_at, breached_at__lte=step.decided_at
        )
        cases = list(
            Case.objects.filter(Exists(breached), owner=leave.employee).values_list("number", flat=True)[:5]
        )
        approver = access.employee_of(step.decided_by)
        if cases and approver is not None:
            discipline.propose(
                Actor.system("leave.late_approval"),
                approver,
                "late_leave_approval",
                evidence=f"休息申请 #{leave.pk} 审批超时，申请人休息期间工单 {'、'.join(cases)} 超时",
                rule="LV-6",
                source_obj=leave,
            )


def _ahead(leave: LeaveRequest) -> timedelta:
    return policy.lookup("leave.handover_ahead", at=leave.requested_at, unit=leave.unit).duration()


def _due(leave: LeaveRequest) -> bool:
    return leave.handed_over_at is None and leave.starts_at - _ahead(leave) <= clock.now() < leave.ends_at


def hand_over_due(run=None) -> int:
    """The sweep (every few minutes, any worker): approved leave starting within the lead time whose
    work has not moved yet; each handed over once (its row locked, `handed_over_at` set). Returns how
    many were handed over (a full batch asks for another round)."""
    now = clock.now()
    horizon = now + policy.lookup("leave.handover_ahead", at=now).duration()
    ids = list(
        LeaveRequest.objects.filter(
            state=LeaveState.APPROVED, handed_over_at__isnull=True, starts_at__lte=horizon, ends_at__gt=now
        ).values_list("pk", flat=True)[:BATCH]
    )
    done = 0
    for pk in ids:
        done += bool(hand_over(LeaveRequest.objects.get(pk=pk)))
    return done if done == BATCH else 0


def _taker(case: Case, leave: LeaveRequest) -> Employee | None:
    """The substitute when available during the leave, else the least-loaded colleague of the case's
    skill group available at the leave's start; None: nobody (the case then waits in the queue)."""
    sub = leave.substitute
    if sub is not None and routing.can_take_planned(sub, leave.starts_at):
        return sub
    if case.skill_group_id is None:
        return None
    people = routing.present_members(case.skill_group, leave.starts_at).exclude(pk=leave.employee_id)
    return routing.least_loaded(people)


def _cover_shifts(leave: LeaveRequest, boss: Actor) -> tuple[list[str], list[str]]:
    """代班: the person's shifts of published rotas during the leave go to the substitute where the
    substitute is free with the minimum rest (WFM-1); the rest stay open and the approver is told.
    Returns (covered, open) as local "MM-DD HH:MM" starts."""
    shifts = list(
        RotaShift.objects.select_for_update(of=("self",))
        .filter(
            employee=leave.employee,
            rota__state=RotaState.PUBLISHED,
            starts_at__lt=leave.ends_at,
            ends_at__gt=leave.starts_at,
        )
        .order_by("starts_at")
    )
    sub = leave.substitute
    covered, uncovered = [], []
    for shift in shifts:
        when = f"{clock.local(shift.starts_at):%m-%d %H:%M}"
        if sub is None or rota_queries.too_close(sub, shift.starts_at, shift.ends_at) is not None:
            uncovered.append(when)
            continue
        RotaShift.objects.filter(pk=shift.pk).update(employee=sub)
        audit.record(
            boss,
            "workforce.shift.cover",
            shift,
            reason=f"代班（LV-5）：{leave.employee.name}休息",
            before={"shift_employee": leave.employee_id},
            after={"shift_employee": sub.pk},
        )
        covered.append(when)
    # the substitute learns their new shifts; the approver the ones nobody covers
    tell = [(covered, sub.user if sub else None, "workforce.shift_cover", "/workforce/my/")]
    tell.append((uncovered, leave.approved_by, "workforce.shift_uncovered", "/workforce/rotas/"))
    for shifts_, user, template, link in tell:
        if shifts_ and user is not None:
            context = {"leaver": leave.employee.name, "shifts": "、".join(shifts_)}
            notify([user], template, context, obj=leave, link=link)
    return covered, uncovered


def hand_over(leave: LeaveRequest) -> bool:
    """LV-5: move the person's deadline-bearing work before the leave starts, once."""
    with transaction.atomic():
        leave = (
            LeaveRequest.objects.select_for_update(of=("self",))
            .select_related("employee", "substitute", "unit")
            .get(pk=leave.pk)
        )
        if leave.state != LeaveState.APPROVED or leave.handed_over_at is not None:
            return False
        steps = list(workflow.decided_steps(leave).select_related("decided_by"))
        last = steps[-1] if steps else None
        if last is not None and leave.approved_by_id is None:
            leave.approved_by, leave.decided_at = last.decided_by, last.decided_at
        _late_liability(leave, steps)
        # the approving supervisor moves the cases (their case.manage scope); audited under their name
        boss = (
            Actor(user=leave.approved_by, origin="leave.handover")
            if leave.approved_by
            else Actor.system("leave.handover")
        )
        why = f"休息交接（LV-5）：{leave.employee.name} {clock.local(leave.starts_at):%m-%d} 起休息"
        cases = list(
            Case.objects.filter(owner=leave.employee, state__in=OPEN_STATES, next_due_at__isnull=False)
            .select_related("skill_group", "unit")
            .order_by("next_due_at")
        )
        moved, queued = [], []
        for case in cases:
            taker = _taker(case, leave)
            if taker is None:
                queued.append(case.number)
                continue
            try:
                case_routing.transfer(boss, case, reason=why, to_owner=taker, planned_for=leave.starts_at)
            except DomainError:  # refused before any write (the approver may not move this case)
                queued.append(case.number)
                continue
            moved.append(f"{case.number}→{taker.name}")
        covered, uncovered = _cover_shifts(leave, boss)
        sub = leave.substitute
        tasks = list(RevisitTask.objects.filter(assignee=leave.employee, state=TaskState.OPEN))
        for task in tasks:
            revisits.hand_over(Actor.system("leave.handover"), task, sub, reason=why)
        leave.handed_over_at = clock.now()
        leave.save(update_fields=["handed_over_at", "approved_by", "decided_at"])
        entry = policy.lookup("leave.handover_ahead", at=leave.requested_at, unit=leave.unit)
        outcome = f"休息开始前交接：工单 {len(moved)} 件（{'、'.join(moved) or '无'}）；回访任务 {len(tasks)} 件交{sub.name if sub else '本组待分派'}"
        if queued:
            outcome += f"；无人可接、休息开始后进入组内待分派：{'、'.join(queued)}"
        if covered:
            outcome += f"；{sub.name}代班 {len(covered)} 个班次（{'、'.join(covered)}）"
        if uncovered:
            outcome += f"；{len(uncovered)} 个班次无人代班，已通知审批人安排（{'、'.join(uncovered)}）"
        decisions.record_from_entry(
            leave,
            entry,
            outcome=outcome,
            inputs={"cases": len(moved), "revisits": len(tasks), "shifts_covered": len(covered)},
            actor=None,
        )
        audit.record(
            Actor.system("leave.handover"),
            "workforce.leave.hand_over",
            leave,
            after={
                "cases": len(moved),
                "queued": len(queued),
                "revisits": len(tasks),
                "shifts_covered": len(covered),
                "shifts_open": len(uncovered),
            },
        )
    return True


def unreported_rest(actor: Actor, employee: Employee, day: date):
    """LV-6: the person was away on `day` without an approved request → a bonus-deduction proposal
    ("扣除当月奖金") in the discipline ledger, which HR confirms. Called by attendance when it finds an
    absence; refused when an approved leave covers the day."""
    day = _day(day, "day")
    start = queries.local_start(day)
    covered = LeaveRequest.objects.filter(
        employee=employee,
        state=LeaveState.APPROVED,
        starts_at__lt=start + timedelta(days=1),
        ends_at__gt=start,
    ).exists()
    if covered:
        raise Invalid(
            "leave_reported",
            "当天已有批准的休息申请",
            "An approved request covers that day",
            {"day": "covered"},
        )
    return discipline.propose(
        actor,
        employee,
        "unreported_rest",
        evidence=f"{day:%Y-%m-%d} 未提前报备休息",
        rule="LV-6",
        source_obj=employee,
    )
