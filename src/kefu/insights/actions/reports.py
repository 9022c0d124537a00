"""Work reports and the monthly service report (RPT-1): the only code that writes them.

Daily work reports are drafted for every member of staff by the worker at the end of the working day
(pack report.draft_time, 本系统默认值) and whenever the person opens the report: its lines are the day's
records (`queries.records`), refreshed while it is a draft. The person writes 今日工作, 问题与建议 and
明日计划 and submits it to their supervisor (ORG-2). Weekly and monthly summaries are drafted from the
daily reports and the period's records. The due time is the period's end plus the pack's delay
(report.daily_due_after / weekly_due_after / monthly_due_after, 本系统默认值: seed 001 says only
"每日按时写工作日志，每周、月按时交报表和工作总结呈送上级"); a report submitted after it, or still a draft
when it passed, is flagged once (decision record, the supervisor told).

The monthly service report of a department or subsidiary (report.manage) holds the month's figures, the
problems found and the rectification items (整改项: owner, due date, open → done → verified), each
flagged once when its due date passes open (seed 004 · 客户服务管理规定 第八条: "分析客户服务存在问题，对
存在问题提出整改措施")."""

from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Invalid, NotFound, PermissionDenied
from kefu.core.worker import register_sweep
from kefu.engine.calendars import api as calendars
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.insights.models import (
    LineKind,
    Period,
    RectificationItem,
    RectificationState,
    ReportState,
    ServiceReport,
    ServiceReportState,
    WorkReport,
    WorkReportLine,
)
from kefu.insights.queries import reports as queries
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

WORKER = Actor.system("reports")
DUE = {
    Period.DAY: "report.daily_due_after",
    Period.WEEK: "report.weekly_due_after",
    Period.MONTH: "report.monthly_due_after",
}
DRAFT_TIME = "report.draft_time"
OFFICE = "office"  # the work calendar whose working days get the automatic daily drafts
SUBMIT, REVIEW, MANAGE = queries.SUBMIT, queries.REVIEW, queries.MANAGE
TEXT_MAX = 5000
SEED_001 = "001 · 客服部门机制方案初稿"
SEED_004 = "004 · 客户服务管理规定 第八条"
CLAUSE_004 = "分析客户服务存在问题，对存在问题提出整改措施"


def _stamp(at) -> str:
    return clock.local(at).strftime("%Y-%m-%d %H:%M")


def _title(report: WorkReport) -> str:
    if report.period == Period.DAY:
        return f"{report.starts_on:%Y-%m-%d} 工作日报"
    if report.period == Period.WEEK:
        return f"{report.starts_on:%m-%d}–{report.ends_on:%m-%d} 工作周报"
    return f"{report.starts_on:%Y-%m} 工作月报"


def _link(report: WorkReport) -> str:
    return reverse("insights:report", args=[report.pk])


def _fill(report: WorkReport) -> None:
    """The draft's lines from the records (and, for a summary, its daily reports); figures counted."""
    rows = queries.records(report.employee, report.starts_on, report.ends_on)
    if report.period != Period.DAY:
        rows += [
            {
                "kind": LineKind.REPORT,
                "object_id": daily.pk,
                "label": f"{daily.starts_on:%m-%d} 日报（{daily.get_state_display()}）",
                "at": daily.submitted_at,
            }
            for daily in queries.daily_reports(report.employee, report.starts_on, report.ends_on)
        ]
    report.lines.all().delete()
    WorkReportLine.objects.bulk_create([WorkReportLine(report=report, **row) for row in rows])
    report.figures = queries.figures(rows)
    report.updated_at = clock.now()
    report.save(update_fields=["figures", "updated_at"])


def draft(employee: Employee, period: str, day: date, *, actor: Actor | None = None) -> WorkReport:
    """RPT-1: the employee's report of the period holding `day`, drafted from the records when missing
    (once: the database refuses a second) and refreshed while it is still a draft."""
    if period not in Period.values:
        raise Invalid(
            "report_period", "报告类型应为日报、周报或月报", "Unknown report period", {"period": "invalid"}
        )
    starts_on, ends_on = queries.bounds(period, day)
    now = clock.now()
    with transaction.atomic():
        report = (
            WorkReport.objects.select_for_update(of=("self",))
            .filter(employee=employee, period=period, starts_on=starts_on)
            .first()
        )
        if report is None:
            entry = policy.lookup(DUE[period], at=now, unit=employee.unit)
            try:
                with transaction.atomic():
                    report = WorkReport.objects.create(
                        employee=employee,
                        unit=employee.unit,
                        period=period,
                        starts_on=starts_on,
                        ends_on=ends_on,
                        due_at=entry.due(queries.midnight(ends_on + timedelta(days=1))),
                        drafted_at=now,
                        updated_at=now,
                    )
            except IntegrityError:  # drafted at the same instant by the worker or another tab
                report = WorkReport.objects.select_for_update(of=("self",)).get(
                    employee=employee, period=period, starts_on=starts_on
                )
            else:
                decisions.record_from_entry(
                    report,
                    entry,
                    outcome=f"按当期记录自动起草{employee.name}的{_title(report)}，须于 {_stamp(report.due_at)} 前提交",
                    inputs={"report_due_at": report.due_at},
                    actor=actor,
                )
                audit.record(actor or WORKER, "insights.report.draft", report, after={"period": period})
        report.employee = employee
        if report.state == ReportState.DRAFT:
            _fill(report)
    return report


def _me(actor: Actor) -> Employee:
    me = access.employee_of(actor.principal)
    if me is None or not access.can(actor, SUBMIT):
        raise PermissionDenied(
            "只有员工可以填写工作报告", "Only a member of staff writes work reports", code="report_forbidden"
        )
    return me


def open_mine(actor: Actor, period: str = Period.DAY, day: date | None = None) -> WorkReport:
    """RPT-1: the actor's own report of the period holding `day` (today by default), drafted or
    refreshed from the records on demand."""
    me = _me(actor)
    access.require_write(actor, SUBMIT)
    day = day or clock.today()
    if day > clock.today():
        raise Invalid(
            "report_future", "不能为将来的日期写报告", "The day has not come yet", {"day": "future"}
        )
    return draft(me, period, day, actor=actor)


def _locked_own(actor: Actor, report: WorkReport) -> WorkReport:
    me = _me(actor)
    report = (
        WorkReport.objects.select_for_update(of=("self",))
        .select_related("employee", "unit")
        .get(pk=report.pk)
    )
    if report.employee_id != me.pk:
        raise PermissionDenied(
            "只能修改本人的工作报告", "Only the author edits a report", code="report_not_mine"
        )
    if report.state != ReportState.DRAFT:
        raise Invalid("report_submitted", "报告已提交，不能再修改", "The report is already submitted")
    return report


def _texts(report: WorkReport, work, problems, plan) -> None:
    for field, value in (("work", work), ("problems", problems), ("plan", plan)):
        if value is not None:
            setattr(report, field, str(value).strip()[:TEXT_MAX])


def save(actor: Actor, report: WorkReport, *, work=None, problems=None, plan=None) -> WorkReport:
    """RPT-1: the author edits the draft's free text (今日工作, 问题与建议, 明日计划)."""
    with transaction.atomic():
        report = _locked_own(actor, report)
        _texts(report, work, problems, plan)
        report.updated_at = clock.now()
        report.save(update_fields=["work", "problems", "plan", "updated_at"])
        audit.record(actor, "insights.report.save", report)
    return report


def _manager(employee: Employee) -> Employee | None:
    return employee.supervisors.filter(status=EmploymentStatus.ACTIVE).order_by("number").first()


def submit(actor: Actor, report: WorkReport, *, work=None, problems=None, plan=None) -> WorkReport:
    """RPT-1: the author submits the report to their supervisor; after the due time it is late and
    flagged — once: a report already flagged as missing is not flagged again."""
    now = clock.now()
    with transaction.atomic():
        report = _locked_own(actor, report)
        _texts(report, work, problems, plan)
        if not report.work:
            raise Invalid(
                "report_work_required",
                "请填写工作内容后再提交",
                "Describe the work first",
                {"work": "required"},
            )
        report.state, report.submitted_at, report.updated_at = ReportState.SUBMITTED, now, now
        report.manager = _manager(report.employee)
        report.late = now > report.due_at
        flag = report.late and report.flagged_at is None
        if flag:
            report.flagged_at = now
            decisions.record_from_entry(
                report,
                policy.lookup(DUE[report.period], at=report.drafted_at, unit=report.unit),
                outcome=f"{report.employee.name}的{_title(report)}逾期提交（截止 {_stamp(report.due_at)}，"
                f"提交 {_stamp(now)}），记为迟交",
                inputs={"report_due_at": report.due_at, "report_submitted_at": now},
                actor=actor,
            )
        report.save(
            update_fields=[
                "work",
                "problems",
                "plan",
                "state",
                "submitted_at",
                "updated_at",
                "manager",
                "late",
                "flagged_at",
            ]
        )
        audit.record(actor, "insights.report.submit", report, after={"late": report.late})
        if report.manager is not None and report.manager.user_id:
            notify(
                [report.manager.user],
                "insights.report_submitted",
                {"employee": report.employee.name, "title": _title(report), "late": report.late},
                obj=report,
                link=_link(report),
                channels=("inbox",),
            )
    return report


def flag_overdue(now=None) -> int:
    """RPT-1, the worker's sweep: a report still a draft when its due time passed is flagged once
    (decision record, the person and their supervisor told). Returns how many were flagged."""
    now = now or clock.now()
    flagged = 0
    for candidate in queries.overdue_unflagged(now)[:500]:
        with transaction.atomic():
            report = (
                WorkReport.objects.select_for_update(of=("self",))
                .select_related("employee__user", "unit")
                .get(pk=candidate.pk)
            )
            if report.state != ReportState.DRAFT or report.flagged_at is not None:
                continue
            report.flagged_at = now
            report.save(update_fields=["flagged_at"])
            decisions.record_from_entry(
                report,
                policy.lookup(DUE[report.period], at=report.drafted_at, unit=report.unit),
                outcome=f"{report.employee.name}的{_title(report)}截止 {_stamp(report.due_at)} 仍未提交，记为迟交",
                inputs={"report_due_at": report.due_at},
            )
            audit.record(WORKER, "insights.report.flag", report)
            people = [report.employee.user, *[s.user for s in report.employee.supervisors.all() if s.user_id]]
            notify(
                [p for p in people if p is not None],
                "insights.report_missing",
                {
                    "employee": report.employee.name,
                    "title": _title(report),
                    "due_at": clock.local(report.due_at),
                },
                obj=report,
                link=_link(report),
                channels=("inbox",),
            )
            flagged += 1
    return flagged


def _draft_time(now) -> time:
    hhmm = int(policy.lookup(DRAFT_TIME, at=now).value)
    return time(hhmm // 100, hhmm % 100)


def draft_due(now=None) -> int:
    """RPT-1, the worker's sweep: from the pack's draft time on, every member of staff without today's
    daily report gets it drafted (on the office calendar's working days); on the last day of a week or
    month the summaries too."""
    now = now or clock.now()
    local = clock.local(now)
    if local.time() < _draft_time(now):
        return 0
    today = local.date()
    # a rest day's report is written only when its author opens it: nothing is drafted (nor later
    # flagged) for everybody on a day the office calendar does not work
    periods = [Period.DAY] if calendars.is_working_day(OFFICE, today) else []
    if today.weekday() == 6:
        periods.append(Period.WEEK)
    if (today + timedelta(days=1)).day == 1:
        periods.append(Period.MONTH)
    drafted = 0
    staff = list(queries.staff_writing_reports())
    for period in periods:
        starts_on, _ = queries.bounds(period, today)
        have = set(
            WorkReport.objects.filter(period=period, starts_on=starts_on, employee__in=staff).values_list(
                "employee_id", flat=True
            )
        )
        for employee in staff:
            if employee.pk not in have:
                draft(employee, period, today)
                drafted += 1
    return drafted


# ── the monthly service report ───────────────────────────────────────────────────────────────────


def _require_manage(actor: Actor, unit: Unit) -> Employee:
    me = access.employee_of(actor.principal)
    if me is None or not access.write_in_scope(actor, MANAGE, unit=unit, owner_id=None):
        raise NotFound("客户服务报告", "service report")
    return me


def create_service_report(actor: Actor, unit: Unit, month: date) -> ServiceReport:
    """RPT-1: the month's service report of a department or subsidiary, with the month's figures."""
    me = _require_manage(actor, unit)
    month = month.replace(day=1)
    if month > clock.today():
        raise Invalid("service_report_future", "月份尚未开始", "The month has not begun", {"month": "future"})
    now = clock.now()
    try:
        with transaction.atomic():
            report = ServiceReport.objects.create(
                unit=unit,
                month=month,
                author=me,
                figures=queries.month_figures(unit, month),
                created_at=now,
                updated_at=now,
            )
            audit.record(actor, "insights.service_report.create", report, after={"month": f"{month:%Y-%m}"})
    except IntegrityError:
        raise Invalid(
            "service_report_exists",
            f"{unit.name} {month:%Y年%m月} 的客户服务报告已存在",
            "The month's report already exists",
            {"month": "exists"},
        ) from None
    return report


def _locked_service(actor: Actor, report: ServiceReport) -> ServiceReport:
    _require_manage(actor, report.unit)
    return ServiceReport.objects.select_for_update(of=("self",)).select_related("unit").get(pk=report.pk)


def update_service_report(
    actor: Actor, report: ServiceReport, *, summary=None, problems=None
) -> ServiceReport:
    """RPT-1: edit the summary and the problems found; the figures are counted again."""
    with transaction.atomic():
        report = _locked_service(actor, report)
        if report.state != ServiceReportState.DRAFT:
            raise Invalid("service_report_signed", "报告已签发，不能再修改", "The report is signed off")
        if summary is not None:
            report.summary = str(summary).strip()[:TEXT_MAX]
        if problems is not None:
            report.problems = str(problems).strip()[:TEXT_MAX]
        report.figures = queries.month_figures(report.unit, report.month)
        report.updated_at = clock.now()
        report.save(update_fields=["summary", "problems", "figures", "updated_at"])
        audit.record(actor, "insights.service_report.save", report)
    return report


def sign_service_report(actor: Actor, report: ServiceReport) -> ServiceReport:
    """RPT-1: the manager signs the report off; its rectification items stay tracked to closure."""
    me = _require_manage(actor, report.unit)
    with transaction.atomic():
        report = _locked_service(actor, report)
        if report.state != ServiceReportState.DRAFT:
            raise Invalid("service_report_signed", "报告已签发", "The report is already signed off")
        if not report.problems.strip():
            raise Invalid(
                "service_report_problems",
                "请先填写存在问题",
                "Describe the problems found",
                {"problems": "required"},
            )
        now = clock.now()
        report.state, report.signed_at, report.signed_by, report.updated_at = (
            ServiceReportState.SIGNED,
            now,
            me,
            now,
        )
        report.save(update_fields=["state", "signed_at", "signed_by", "updated_at"])
        audit.record(actor, "insights.service_report.sign", report)
    return report


def add_item(
    actor: Actor, report: ServiceReport, *, problem: str, measure: str, owner: Employee, due_on: date
):
    """RPT-1: a rectification item (整改项) with its owner and due date."""
    _require_manage(actor, report.unit)
    problem = (problem or "").strip()
    if not problem:
        raise Invalid("rectification_problem", "请填写问题", "Describe the problem", {"problem": "required"})
    if (
        owner is None
        or owner.status != EmploymentStatus.ACTIVE
        or not owner.unit.path.startswith(report.unit.path)
    ):
        raise Invalid(
            "rectification_owner",
            "责任人不存在或不在本单位",
            "No such colleague in the unit",
            {"owner": "unknown"},
        )
    if due_on < report.month:
        raise Invalid(
            "rectification_due", "整改期限不能早于报告月份", "The due date is too early", {"due_on": "early"}
        )
    with transaction.atomic():
        item = RectificationItem.objects.create(
            report=report,
            problem=problem[:300],
            measure=(measure or "").strip()[:TEXT_MAX],
            owner=owner,
            due_on=due_on,
            created_at=clock.now(),
        )
        audit.record(
            actor, "insights.rectification.add", item, after={"owner": owner.pk, "due_on": str(due_on)}
        )
    if owner.user_id:
        notify(
            [owner.user],
            "insights.rectification_assigned",
            {"problem": item.problem, "due_on": due_on},
            obj=item,
            link=reverse("insights:service_report", args=[report.pk]),
            channels=("inbox",),
        )
    return item


def advance_item(actor: Actor, item: RectificationItem, to: str) -> RectificationItem:
    """RPT-1: open → done (its owner or a manager), done → verified (a manager, not the owner) or back
    to open when the verification fails."""
    me = access.employee_of(actor.principal)
    with transaction.atomic():
        item = (
            RectificationItem.objects.select_for_update(of=("self",))
            .select_related("report__unit", "owner")
            .get(pk=item.pk)
        )
        manager = me is not None and access.write_in_scope(
            actor, MANAGE, unit=item.report.unit, owner_id=None
        )
        owner = me is not None and me.pk == item.owner_id
        allowed = {
            (RectificationState.OPEN, RectificationState.DONE): manager or owner,
            (RectificationState.DONE, RectificationState.VERIFIED): manager and not owner,
            (RectificationState.DONE, RectificationState.OPEN): manager,
        }
        step = (item.state, to)
        if step not in allowed:
            raise Invalid(
                "rectification_step", "整改项不能进行此操作", "Not a possible step", {"to": "invalid"}
            )
        if not allowed[step]:
            raise PermissionDenied(
                "整改完成由责任人或经理确认，验证须由责任人以外的经理进行",
                "The owner or a manager marks it done; a manager other than the owner verifies",
                code="rectification_forbidden",
            )
        now = clock.now()
        before = item.state
        item.state = to
        if to == RectificationState.DONE:
            item.done_at = now
        elif to == RectificationState.VERIFIED:
            item.verified_at, item.verified_by = now, me
        else:
            item.done_at = None
        item.save(update_fields=["state", "done_at", "verified_at", "verified_by"])
        audit.record(
            actor, "insights.rectification.advance", item, before={"state": before}, after={"state": to}
        )
    return item


def flag_overdue_items(now=None) -> int:
    """RPT-1, the worker's sweep: an open rectification item past its due date is flagged once
    (decision record, its owner and the report's author told)."""
    now = now or clock.now()
    flagged = 0
    for candidate in queries.overdue_items(clock.local(now).date())[:500]:
        with transaction.atomic():
            item = (
                RectificationItem.objects.select_for_update(of=("self",))
                .select_related("report__author__user", "owner__user")
                .get(pk=candidate.pk)
            )
            if item.state != RectificationState.OPEN or item.overdue_flagged_at is not None:
                continue
            item.overdue_flagged_at = now
            item.save(update_fields=["overdue_flagged_at"])
            decisions.record(
                item,
                rule="RPT-1",
                outcome=f"整改项“{item.problem[:60]}”已过整改期限 {item.due_on:%Y-%m-%d} 仍未完成，标记逾期",
                inputs={
                    "rectification_due_on": f"{item.due_on:%Y-%m-%d}",
                    "rectification_owner": item.owner.name,
                },
                policy_version=None,
                clause=CLAUSE_004,
                source=SEED_004,
            )
            audit.record(WORKER, "insights.rectification.overdue", item)
            people = {p.user for p in (item.owner, item.report.author) if p.user_id}
            notify(
                list(people),
                "insights.rectification_overdue",
                {"problem": item.problem, "due_on": item.due_on, "owner": item.owner.name},
                obj=item,
                link=reverse("insights:service_report", args=[item.report_id]),
                channels=("inbox",),
            )
            flagged += 1
    return flagged


def register() -> None:
    """From the app's ready(): the sweeps (drafts from the pack's draft time on, reports past due,
    rectification items past due) and how the decision inputs read."""
    register_sweep("insights.reports_draft", timedelta(minutes=10))(draft_due)
    register_sweep("insights.reports_overdue", timedelta(minutes=5))(flag_overdue)
    register_sweep("insights.rectification_overdue", timedelta(hours=1))(flag_overdue_items)
    decisions.describe(
        inputs={
            "report_due_at": ("提交截止时间", "due at"),
            "report_submitted_at": ("提交时间", "submitted at"),
            "rectification_due_on": ("整改期限", "due on"),
            "rectification_owner": ("责任人", "owner"),
            "period": ("报告类型", "report period"),
        },
        values={"period": Period.choices, "to": RectificationState.choices},
    )
