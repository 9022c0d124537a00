"""Work reports and the monthly service report (RPT-1): read paths, scoped to the caller.

`records(employee, starts_on, ends_on)` gathers what a report is drafted from; `timeliness(who, since,
until)` is the reporting-timeliness count the KPI module reads: (reports submitted by their due time,
reports due) for an employee or a unit subtree."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, Q

from kefu.cases.models import OPEN_STATES, Case, CaseState, Family
from kefu.core import clock
from kefu.core.actor import Actor
from kefu.core.errors import NotFound
from kefu.customers.models import ContactRecord
from kefu.engine.workflow import api as workflow
from kefu.followups.models import RevisitAttempt, RevisitTask, TaskState
from kefu.insights.models import (
    LineKind,
    Period,
    RectificationItem,
    RectificationState,
    ReportState,
    ServiceReport,
    WorkReport,
)
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Role, Unit

SUBMIT = "report.submit"
REVIEW = "report.review"
MANAGE = "report.manage"
CARRIED_MAX = 50  # a draft lists at most this many open items carried over (the page stays readable)


def bounds(period: str, day: date) -> tuple[date, date]:
    """The first and last day of the period holding `day`: the day, its week (Monday–Sunday), its month."""
    if period == Period.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == Period.MONTH:
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    return day, day


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=clock.zone())


def window(starts_on: date, ends_on: date) -> tuple[datetime, datetime]:
    return midnight(starts_on), midnight(ends_on + timedelta(days=1))


def records(employee: Employee, starts_on: date, ends_on: date) -> list[dict]:
    """RPT-1: the lines a report is drafted from — the person's cases received, handled (a transition
    they made) and closed, revisits done, customer contacts recorded, and the open cases carried over."""
    since, until = window(starts_on, ends_on)
    lines: list[dict] = []
    received = Case.objects.filter(owner=employee, received_at__gte=since, received_at__lt=until)
    for case in received.order_by("received_at")[:200]:
        lines.append(_case_line(LineKind.RECEIVED, case, case.received_at))
    closed = Case.objects.filter(owner=employee, closed_at__gte=since, closed_at__lt=until)
    for case in closed.order_by("closed_at")[:200]:
        lines.append(_case_line(LineKind.CLOSED, case, case.closed_at))
    if employee.user_id:
        changes = list(workflow.changes_by(employee.user, Case, since, until)[:500])
        cases = Case.objects.in_bulk([int(c.object_id) for c in changes])
        seen = set()
        for change in changes:
            case = cases.get(int(change.object_id))
            if case is None or case.pk in seen:
                continue
            seen.add(case.pk)
            lines.append(_case_line(LineKind.HANDLED, case, change.at))
        for contact in ContactRecord.objects.filter(by=employee.user, at__gte=since, at__lt=until)[:200]:
            lines.append(
                {
                    "kind": LineKind.CONTACT,
                    "object_id": contact.customer_id,
                    "label": f"客户联系记录 {clock.local(contact.at):%m-%d %H:%M}",
                    "at": contact.at,
                }
            )
    attempts = RevisitAttempt.objects.filter(by=employee, at__gte=since, at__lt=until).select_related("task")
    for attempt in attempts[:200]:
        lines.append(
            {
                "kind": LineKind.REVISIT,
                "object_id": attempt.task_id,
                "label": f"回访 {attempt.task_id}：{attempt.get_outcome_display()}",
                "at": attempt.at,
            }
        )
    carried = Case.objects.filter(owner=employee, state__in=OPEN_STATES, received_at__lt=until)
    for case in carried.order_by("next_due_at", "pk")[:CARRIED_MAX]:
        lines.append(_case_line(LineKind.CARRIED, case, case.next_due_at))
    return _unique(lines)


def _case_line(kind: str, case: Case, at) -> dict:
    return {"kind": kind, "object_id": case.pk, "label": f"{case.number} {case.title}"[:200], "at": at}


def _unique(lines: list[dict]) -> list[dict]:
    seen, out = set(), []
    for line in lines:
        key = (line["kind"], line["object_id"])
        if key not in seen:
            seen.add(key)
            out.append(line)
    return out


def figures(lines) -> dict:
    counts = {kind.value: 0 for kind in LineKind}
    for line in lines:
        counts[line["kind"] if isinstance(line, dict) else line.kind] += 1
    return counts


def daily_reports(employee: Employee, starts_on: date, ends_on: date):
    """The person's daily reports inside a week or month (a summary's lines)."""
    return WorkReport.objects.filter(
        employee=employee, period=Period.DAY, starts_on__gte=starts_on, starts_on__lte=ends_on
    ).order_by("starts_on")


def reports(actor: Actor, *, period: str = "", employee_id: int | None = None):
    """The reports the actor may read: their own (report.submit, own) and those of the units under
    their report.review scope, newest first."""
    me = access.employee_of(actor.principal)
    mine = Q(employee=me) if me is not None else Q(pk__in=[])
    reviewed = access.scoped(WorkReport.objects.all(), actor, REVIEW, owner="employee_id")
    found = WorkReport.objects.filter(mine | Q(pk__in=reviewed.values("pk")) | Q(manager=me))
    if period:
        found = found.filter(period=period)
    if employee_id:
        found = found.filter(employee_id=employee_id)
    return found.select_related("employee", "unit", "manager").order_by("-starts_on", "period", "employee_id")


def report(actor: Actor, pk: int) -> WorkReport:
    found = reports(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("工作报告", "work report")
    return found


def lines(report: WorkReport):
    return report.lines.all()


def team_members(actor: Actor) -> list[Employee]:
    """The people who report to the actor (ORG-2 supervisors), active, by name."""
    me = access.employee_of(actor.principal)
    if me is None:
        return []
    return list(
        Employee.objects.filter(supervisors=me, status=EmploymentStatus.ACTIVE)
        .select_related("unit", "user")
        .order_by("number")
    )


@dataclass
class TeamRow:
    employee: Employee
    report: WorkReport | None
    status: str  # on_time, late, draft (not yet due), missing (due, not submitted), none (not drafted)


def status_of(report: WorkReport | None, now: datetime) -> str:
    if report is None:
        return "none"
    if report.state == ReportState.SUBMITTED:
        return "late" if report.late else "on_time"
    return "missing" if report.due_at <= now else "draft"


def team(actor: Actor, period: str, day: date) -> list[TeamRow]:
    """RPT-1: the manager's view — for each person reporting to the actor, this period's report and
    whether it came in on time, late, or not yet (missing once due)."""
    members = team_members(actor)
    starts_on, _ = bounds(period, day)
    found = {
        r.employee_id: r
        for r in WorkReport.objects.filter(employee__in=members, period=period, starts_on=starts_on)
    }
    now = clock.now()
    return [TeamRow(e, found.get(e.pk), status_of(found.get(e.pk), now)) for e in members]


def timeliness(who: Employee | str, since: datetime, until: datetime, *, period: str = "") -> tuple[int, int]:
    """RPT-1 / KPI "reporting timeliness": (on_time, due) over the work reports whose due time falls in
    [since, until) and has passed — `due` counts them, `on_time` those submitted by their due time.
    `who` is an Employee, a unit path (the unit and every unit below it) or a queryset of employees;
    `period` narrows to day,
    week or month reports. Not scoped: the KPI module checks the caller's scope before asking."""
    until = min(until, clock.now())
    found = WorkReport.objects.filter(due_at__gte=since, due_at__lt=until)
    if isinstance(who, Employee):
        found = found.filter(employee=who)
    elif isinstance(who, str):
        found = found.filter(unit__path__startswith=who)
    else:  # a queryset of employees (everyone a KPI reader may see)
        found = found.filter(employee__in=who)
    if period:
        found = found.filter(period=period)
    counts = found.aggregate(
        due=Count("pk"),
        on_time=Count("pk", filter=Q(state=ReportState.SUBMITTED, submitted_at__lte=F("due_at"))),
    )
    return counts["on_time"], counts["due"]


def staff_writing_reports():
    """Active employees holding report.submit through a role (the people the worker drafts for)."""
    roles = [role.pk for role in Role.objects.only("pk", "permissions") if SUBMIT in role.permissions]
    return (
        Employee.objects.filter(status=EmploymentStatus.ACTIVE, role_assignments__role__in=roles)
        .distinct()
        .select_related("unit", "user")
    )


def overdue_unflagged(now: datetime):
    return WorkReport.objects.filter(state=ReportState.DRAFT, due_at__lte=now, flagged_at__isnull=True)


# ── the monthly service report ───────────────────────────────────────────────────────────────────


def service_reports(actor: Actor):
    return (
        access.scoped(ServiceReport.objects.all(), actor, REVIEW)
        .select_related("unit", "author", "signed_by")
        .order_by("-month", "unit__path")
    )


def service_report(actor: Actor, pk: int) -> ServiceReport:
    found = service_reports(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("客户服务报告", "service report")
    return found


def items(report: ServiceReport):
    return report.items.select_related("owner", "verified_by")


def item(actor: Actor, pk: int) -> RectificationItem:
    """A rectification item of a service report the reader may see, or one they own (the owner
    marks it done without reading the whole report)."""
    me = access.employee_of(actor.principal)
    mine = Q(owner=me) if me is not None else Q(pk__in=[])
    found = (
        RectificationItem.objects.filter(Q(report__in=service_reports(actor)) | mine)
        .select_related("report__unit", "owner")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound("整改项", "rectification item")
    return found


def overdue_items(today: date):
    return RectificationItem.objects.filter(
        state=RectificationState.OPEN, due_on__lt=today, overdue_flagged_at__isnull=True
    ).select_related("report__unit", "owner__user")


def month_figures(unit: Unit, month: date) -> dict:
    """The month's figures of a department or subsidiary (seed 004 第八条 "按月汇总…受理业务咨询、故障
    报修、投诉举报…表扬建议、客户回访"): simple counts from the cases and revisits of the unit subtree."""
    starts_on, ends_on = bounds(Period.MONTH, month)
    since, until = window(starts_on, ends_on)
    cases = Case.objects.filter(unit__path__startswith=unit.path)
    received = cases.filter(received_at__gte=since, received_at__lt=until)
    by_family = dict(received.values_list("family").annotate(n=Count("pk")).values_list("family", "n"))
    tasks = RevisitTask.objects.filter(
        unit__path__startswith=unit.path, ended_at__gte=since, ended_at__lt=until
    )
    return {
        "received": received.count(),
        "consultation": by_family.get(Family.CONSULTATION, 0),
        "complaint": by_family.get(Family.COMPLAINT, 0),
        "repair": by_family.get(Family.REPAIR, 0),
        "suggestion": by_family.get(Family.SUGGESTION, 0),
        "closed": cases.filter(closed_at__gte=since, closed_at__lt=until).count(),
        "open_at_end": cases.filter(received_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=until))
        .exclude(state=CaseState.ARCHIVED)
        .count(),
        "revisited": tasks.filter(state=TaskState.DONE).count(),
        "satisfied": tasks.filter(state=TaskState.DONE, outcome="satisfied").count(),
        "unsatisfied": tasks.filter(state=TaskState.DONE, outcome="unsatisfied").count(),
    }


FIGURE_LABELS = [
    ("received", "受理工单"),
    ("consultation", "业务咨询"),
    ("complaint", "投诉"),
    ("repair", "报修"),
    ("suggestion", "意见建议"),
    ("closed", "结案"),
    ("open_at_end", "月末未结"),
    ("revisited", "完成回访"),
    ("satisfied", "回访满意"),
    ("unsatisfied", "回访不满意"),
]


def labelled_figures(report: ServiceReport) -> list[tuple[str, int]]:
    return [(label, report.figures.get(key, 0)) for key, label in FIGURE_LABELS]


def managed_units(actor: Actor):
    """Departments and subsidiaries the actor may write a service report for (report.manage scope)."""
    return access.scoped(
        Unit.objects.filter(kind__in=("department", "subsidiary")), actor, MANAGE, unit_path="path"
    ).order_by("path")


def kpi_tally(actor, scope, period):
    """The KPI "reporting timeliness" (KPI-1, registered at ready): on-time reports over reports due
    in the period, for the reader's scope (checked by `kpis.scope_of` before asking)."""
    since, until = kpi_window(period)
    if scope.agent is not None:
        who = scope.agent
    elif scope.unit is not None:
        who = scope.unit.path
    else:
        who = access.scoped(Employee.objects.all(), actor, kpis.VIEW, owner="pk")
    on_time, due = timeliness(who, since, until)
    return kpis.Tally(on_time, due) if due else None


def kpi_by_agent(actor, agent_ids, period) -> dict:
    """The KPI "reporting timeliness" of many agents in one read (the 按坐席 chart): {agent_id: Tally}
    over the reports due in the period, as `timeliness` counts them; the caller checked the scope."""
    since, until = kpi_window(period)
    rows = (
        WorkReport.objects.filter(due_at__gte=since, due_at__lt=min(until, clock.now()))
        .filter(employee_id__in=agent_ids)
        .values("employee_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(state=ReportState.SUBMITTED, submitted_at__lte=F("due_at"))),
        )
        .order_by("employee_id")
    )
    return {r["employee_id"]: kpis.Tally(r["on_time"], r["due"]) for r in rows if r["due"]}


def kpi_window(period) -> tuple[datetime, datetime]:
    """The times a KPI period (kpis.Period: first day, the day after the last) covers, local midnights."""
    since, until = (datetime.combine(d, time.min, tzinfo=clock.zone()) for d in (period.start, period.end))
    return since, until


@dataclass
class TeamSheet:
    """RPT-1: the manager's team view of a period — each person's report and its status, the counts
    per status, and the team's reporting timeliness over the period (the KPI's own count)."""

    period: str
    day: date
    starts_on: date
    ends_on: date
    rows: list[TeamRow]
    counts: dict
    on_time: int  # reports due in the period submitted by their due time (KPI reporting_timeliness)
    due: int  # reports due in the period (due time passed)

    @property
    def rate(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None


TEAM_STATUSES = ("on_time", "late", "missing", "draft", "none")


def team_sheet(actor: Actor, period: str, day: date) -> TeamSheet:
    """The team view and its summary: the timeliness figure is `timeliness` over the same window the
    KPI "reporting timeliness" uses for that day, week or month (`kpi_tally`), for these people."""
    rows = team(actor, period, day)
    starts_on, ends_on = bounds(period, day)
    counts = {key: sum(1 for r in rows if r.status == key) for key in TEAM_STATUSES}
    on_time, due = timeliness([r.employee for r in rows], *kpi_window(kpis.period_of(period, day)))
    return TeamSheet(period, day, starts_on, ends_on, rows, counts, on_time, due)
