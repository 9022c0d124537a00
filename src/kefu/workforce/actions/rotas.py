"""The rota of a team for a period (WFM-1): drafted by the CP-SAT solver, then draft → feedback (staff
see their shifts and comment) → final → published (each person notified); a draft with gaps is
published only with an explicit confirmation. Emergency call-in adds a shift now, notified at once.
Each person's calendar feed (.ics) has a token stored hashed."""

import hashlib
import secrets
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid, NotFound
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.workforce import solver
from kefu.workforce.actions.shifts import require_rest, require_team
from kefu.workforce.models import (
    CalendarFeed,
    LeaveRequest,
    LeaveState,
    Rota,
    RotaComment,
    RotaShift,
    RotaState,
    ShiftTemplate,
)
from kefu.workforce.queries import coverage

User = get_user_model()
DRAFTED = "排班表已生成 / rota drafted"
DRAFTED_WITH_GAPS = "排班表已生成，有缺口 / rota drafted with gaps"
NEXT = {
    RotaState.DRAFT: RotaState.FEEDBACK,
    RotaState.FEEDBACK: RotaState.FINAL,
    RotaState.FINAL: RotaState.PUBLISHED,
}
MAX_DAYS = 62
DEFAULT_TIME_LIMIT = 20.0  # seconds the solver may think (engineering setting, not a policy number)


def shift_span(day: date, template: ShiftTemplate) -> tuple[datetime, datetime]:
    """A template's concrete start and end on `day` in the local zone (wall-clock length)."""
    start = datetime.combine(day, template.starts, tzinfo=clock.zone())
    length = coverage.as_solver_template(template).length
    naive_end = datetime.combine(day, template.starts) + timedelta(minutes=length)
    return start, naive_end.replace(tzinfo=clock.zone())


def _with_approved_leave(unit: Unit, starts_on: date, ends_on: date, unavailable: dict) -> dict:
    """WFM-1 with LV-5: the days of approved leave in the period join the days the caller named."""
    days = {pk: set(found) for pk, found in unavailable.items()}
    first = datetime.combine(starts_on, time.min, tzinfo=clock.zone())
    last = datetime.combine(ends_on + timedelta(days=1), time.min, tzinfo=clock.zone())
    approved = LeaveRequest.objects.filter(
        employee__unit__path__startswith=unit.path,
        state=LeaveState.APPROVED,
        starts_at__lt=last,
        ends_at__gt=first,
    ).values_list("employee_id", "starts_at", "ends_at")
    for employee_id, starts_at, ends_at in approved:
        day = max(clock.local(starts_at).date(), starts_on)
        while day <= ends_on and datetime.combine(day, time.min, tzinfo=clock.zone()) < ends_at:
            days.setdefault(employee_id, set()).add(day)
            day += timedelta(days=1)
    return days


def draft(
    actor: Actor,
    unit: Unit,
    starts_on: date,
    ends_on: date,
    *,
    unavailable: dict | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> Rota:
    """Draft the team's rota for the period with the solver. `unavailable`: employee id → set of days
    (approved leave and other days off; the leave module passes its approved leave here)."""
    require_team(actor, unit)
    if ends_on < starts_on or (ends_on - starts_on).days >= MAX_DAYS:
        raise Invalid(
            "workforce_rota_period",
            f"排班周期须在 1 至 {MAX_DAYS} 天之间",
            f"A rota covers 1 to {MAX_DAYS} days",
            {"ends_on": "invalid"},
        )
    unavailable = _with_approved_leave(unit, starts_on, ends_on, unavailable or {})
    problem, people, templates = coverage.problem(
        unit, starts_on, ends_on, unavailable=unavailable, time_limit=time_limit
    )
    if not people or not templates:
        raise Invalid(
            "workforce_rota_empty",
            "该班组没有在职人员或没有启用的班次",
            "The team has no active staff or no active shift template",
        )
    result = solver.solve(problem)
    by_code = {t.code: t for t in templates}
    gaps = [
        {"day": g.day.isoformat(), "template": g.template, "missing": g.missing, "skill": g.skill}
        for g in result.gaps
    ]
    rest = policy.lookup("workforce.min_rest_between_shifts", unit=unit)
    with transaction.atomic():
        rota = Rota.objects.create(
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
            created_at=clock.now(),
            created_by=actor.user,
            gaps=gaps,
        )
        rows = []
        for employee_id, day, code in result.assignments:
            start, end = shift_span(day, by_code[code])
            rows.append(
                RotaShift(
                    rota=rota, employee_id=employee_id, template=by_code[code], starts_at=start, ends_at=end
                )
            )
        RotaShift.objects.bulk_create(rows)
        audit.record(
            actor,
            "workforce.rota.draft",
            rota,
            after={
                "shift_count": len(rows),
                "missing_staff": sum(g["missing"] for g in gaps),
                "solver_status": result.status,
            },
        )
        decisions.record_from_entry(
            rota,
            rest,
            outcome=DRAFTED_WITH_GAPS if gaps else DRAFTED,
            inputs={
                "team_size": len(people),
                "shift_count": len(rows),
                "missing_staff": sum(g["missing"] for g in gaps),
                "solver_status": result.status,
                "nights_spread": result.spread("nights"),
                "weekends_spread": result.spread("weekends"),
                "holidays_spread": result.spread("holidays"),
            },
            actor=actor,
        )
    return rota


def _locked(rota: Rota) -> Rota:
    return Rota.objects.select_for_update(of=("self",)).select_related("unit").get(pk=rota.pk)


def advance(actor: Actor, rota: Rota, *, confirm_gaps: bool = False) -> Rota:
    """Move the rota one step: draft → feedback → final → published. Publishing a rota with gaps
    needs `confirm_gaps`; each person with shifts is notified when staff feedback opens and when
    the rota is published."""
    require_team(actor, rota.unit)
    with transaction.atomic():
        rota = _locked(rota)
        target = NEXT.get(rota.state)
        if target is None:
            raise Conflict("workforce_rota_published", "排班表已发布", "The rota is already published")
        if target == RotaState.PUBLISHED and rota.gaps and not confirm_gaps:
            missing = sum(g["missing"] for g in rota.gaps)
            raise Conflict(
                "workforce_rota_gaps",
                f"排班表仍有 {missing} 个人次的缺口，请确认后再发布",
                f"The rota is still {missing} shift(s) short: confirm to publish anyway",
                gaps=rota.gaps,
            )
        before = rota.state
        rota.state = target
        fields = ["state"]
        if target == RotaState.PUBLISHED:
            rota.published_at = clock.now()
            fields.append("published_at")
        rota.save(update_fields=fields)
        audit.record(
            actor,
            f"workforce.rota.{target}",
            rota,
            before={"state": before},
            after={"state": target, "gaps_confirmed": bool(rota.gaps) and confirm_gaps},
        )
        if target in (RotaState.FEEDBACK, RotaState.PUBLISHED):
            users = list(User.objects.filter(employee__rota_shifts__rota=rota).distinct())
            notify(
                users,
                "workforce.rota_published" if target == RotaState.PUBLISHED else "workforce.rota_feedback",
                {"unit": rota.unit.name, "starts_on": rota.starts_on, "ends_on": rota.ends_on},
                obj=rota,
                link=f"/workforce/rotas/{rota.pk}/",
            )
    return rota


def comment(actor: Actor, rota: Rota, text: str) -> RotaComment:
    """A staff comment on the rota during the feedback round (their own shifts, wishes)."""
    employee = access.employee_of(actor.user)
    text = (text or "").strip()
    if employee is None or (
        employee.unit_id != rota.unit_id and not rota.shifts.filter(employee=employee).exists()
    ):
        raise NotFound("排班表", "rota")
    if rota.state != RotaState.FEEDBACK:
        raise Conflict(
            "workforce_rota_not_feedback", "排班表不在征求意见阶段", "The rota is not open for feedback"
        )
    if not text:
        raise Invalid("workforce_comment", "请填写意见", "Write your comment", {"text": "required"})
    with transaction.atomic():
        row = RotaComment.objects.create(
            rota=rota, employee=employee, text=text[:1000], created_at=clock.now()
        )
        audit.record(actor, "workforce.rota.comment", rota, after={"rota_comment": row.pk})
    return row


def call_in(
    actor: Actor, employee: Employee, starts_at: datetime, ends_at: datetime, *, reason: str
) -> RotaShift:
    """Emergency call-in: a shift for `employee` now, in the published rota of their team covering
    the day; they are notified at once."""
    require_team(actor, employee.unit)
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "workforce_call_in_reason", "请填写紧急调班原因", "Give the reason", {"reason": "required"}
        )
    if starts_at.tzinfo is None or ends_at.tzinfo is None or ends_at <= starts_at:
        raise Invalid(
            "workforce_call_in_span",
            "结束时间须晚于开始时间",
            "The end must follow the start",
            {"ends_at": "invalid"},
        )
    day = clock.local(starts_at).date()
    with transaction.atomic():
        rota = (
            Rota.objects.select_for_update(of=("self",))
            .filter(unit=employee.unit, state=RotaState.PUBLISHED, starts_on__lte=day, ends_on__gte=day)
            .order_by("-published_at")
            .first()
        )
        if rota is None:
            raise Conflict(
                "workforce_no_published_rota",
                "该班组在这一天没有已发布的排班表",
                "The team has no published rota for that day",
            )
        require_rest(employee, starts_at, ends_at)
        shift = RotaShift.objects.create(
            rota=rota, employee=employee, starts_at=starts_at, ends_at=ends_at, called_in=True
        )
        audit.record(
            actor,
            "workforce.shift.call_in",
            shift,
            reason=reason,
            after={"shift_employee": employee.pk, "shift_starts": starts_at, "shift_ends": ends_at},
        )
        notify(
            [employee.user],
            "workforce.call_in",
            {
                "unit": employee.unit.name,
                "starts_at": clock.local(starts_at),
                "ends_at": clock.local(ends_at),
                "reason": reason,
            },
            obj=shift,
            link="/workforce/my/",
        )
    return shift


def issue_feed(actor: Actor) -> str:
    """A new calendar-feed token for the actor's own shifts (the old link stops working); only its
    hash is stored. Returns the token, shown once."""
    employee = access.employee_of(actor.user)
    if employee is None:
        raise NotFound("员工", "employee")
    token = secrets.token_urlsafe(24)
    digest = hashlib.sha256(token.encode()).hexdigest()
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            employee=employee, defaults={"token_hash": digest, "created_at": clock.now()}
        )
        audit.record(actor, "workforce.feed.issue", employee, after={"calendar_feed": "issued"})
    return token
