"""After approval (VEN-1): periodic reports and inspections. "备案完成后,外包公司或机构需要遵守相关规定和要求,定期
向工商行政管理部门或相关部门报送经营情况、财务报表等。相关部门会对备案企业进行监管,并定期进行检查" (seed 000
中通外包客服备案流程). The seed names no cadence: the pack's `vendors.report_every`, `vendors.report_within`,
`vendors.report_grace`, `vendors.inspection_every` and the reminders' lead times are 本系统默认值.

A reporting period runs from the approval day for `report_every` months; its report is due
`report_within` days after the period ends. A report still missing `report_grace` days after that lapses
the filing: its certificate is marked 失效, with a decision record (VEN-1) — once, by the clock under the
filing's skip-locked lock. A report made after the lapse waits for review: a reviewer reinstates the
filing (a new certificate; the next period starts on the reinstatement day — docs/decisions.md) or
refuses, and the filing stays lapsed. Inspections are recorded by reviewers; each schedules the next."""

import calendar
from datetime import date, timedelta

from django.db import transaction

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.errors import Conflict, Invalid
from kefu.engine.notifications.api import notify
from kefu.engine.policy import api as policy
from kefu.vendors.actions import certificates, common
from kefu.vendors.models import (
    Filing,
    FilingStatus,
    Inspection,
    InspectionResult,
    Report,
    ReportDue,
    ReportReview,
    VendorReminder,
)
from kefu.vendors.queries import filings as queries

REPORT_EVERY = "vendors.report_every"
REPORT_WITHIN = "vendors.report_within"
REPORT_GRACE = "vendors.report_grace"
REPORT_REMIND = "vendors.report_remind_before"
INSPECTION_EVERY = "vendors.inspection_every"
INSPECTION_REMIND = "vendors.inspection_remind_before"
SYSTEM = Actor.system("vendor filing timer")
REMIND_HORIZON = 366  # rows read ahead by the daily job; each is then held to its subsidiary's own lead time
RESULTS = {r.value: r.label for r in InspectionResult}


def add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _days(key: str, unit) -> int:
    return int(policy.lookup(key, unit=unit).value)


def _tell(users, template: str, filing: Filing, context: dict) -> None:
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    if users:
        notify(
            users, template, {"vendor": filing.name, **context}, obj=filing, link=filing.get_absolute_url()
        )


def open_period(filing: Filing, start: date, *, actor: Actor | None = None) -> ReportDue:
    """The next reporting period of `filing` from `start` (inside the caller's transaction), with the
    decision record of its due day and its last day of grace."""
    every = policy.lookup(REPORT_EVERY, unit=filing.unit)
    seq = (filing.dues.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    end = add_months(start, int(every.value)) - timedelta(days=1)
    due_on = end + timedelta(days=_days(REPORT_WITHIN, filing.unit))
    row = ReportDue.objects.create(
        filing=filing,
        seq=seq,
        period_start=start,
        period_end=end,
        due_on=due_on,
        lapse_after=due_on + timedelta(days=_days(REPORT_GRACE, filing.unit)),
    )
    decisions.record_from_entry(
        filing,
        every,
        outcome=f"第 {seq} 期定期报送（{start:%Y-%m-%d} 至 {end:%Y-%m-%d}）须于 {due_on:%Y-%m-%d} 前提交",
        inputs={
            REPORT_WITHIN: decisions.applied_text(policy.lookup(REPORT_WITHIN, unit=filing.unit)),
            REPORT_GRACE: decisions.applied_text(policy.lookup(REPORT_GRACE, unit=filing.unit)),
        },
        actor=actor,
    )
    return row


def open_inspection(filing: Filing, after: date, *, actor: Actor | None = None) -> Inspection:
    every = policy.lookup(INSPECTION_EVERY, unit=filing.unit)
    seq = (filing.inspections.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    due_on = add_months(after, int(every.value))
    row = Inspection.objects.create(filing=filing, seq=seq, due_on=due_on)
    decisions.record_from_entry(
        filing, every, outcome=f"第 {seq} 次定期检查安排在 {due_on:%Y-%m-%d} 前", inputs={}, actor=actor
    )
    return row


def _report_fields(summary, revenue, staff_count) -> tuple[str, object, int]:
    summary = common.text(summary, "summary", "经营情况", limit=5000)
    revenue = common.money(revenue, "revenue", "本期营业收入")
    try:
        staff = int(str(staff_count).strip())
    except (TypeError, ValueError):
        staff = -1
    if not 0 <= staff <= 1_000_000:
        raise Invalid(
            "vendor_staff_count",
            "请填写客服人员数（整数）",
            "staff_count must be a whole number",
            {"staff_count": "invalid"},
        )
    return summary, revenue, staff


def _due_for_lapsed(filing: Filing) -> ReportDue:
    """A lapsed filing whose late report was refused reports again: a period from the last one's end to
    today, due today (it cannot lapse again: only approved filings lapse)."""
    last = filing.dues.order_by("-seq").first()
    today = clock.today()
    start = last.period_end + timedelta(days=1) if last else filing.approved_on or today
    return ReportDue.objects.create(
        filing=filing,
        seq=(last.seq if last else 0) + 1,
        period_start=min(start, today),
        period_end=today,
        due_on=today,
        lapse_after=today,
    )


def submit_report(actor: Actor, filing: Filing, *, summary, revenue, staff_count) -> Report:
    """The report of the earliest period not reported. On an approved filing it is on time (the next period
    opens); on a lapsed one it waits for a reviewer's decision."""
    common.require(actor, queries.MANAGE, filing)
    summary, revenue, staff = _report_fields(summary, revenue, staff_count)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.APPROVED, FilingStatus.LAPSED, doing="定期报送")
        lapsed = found.status == FilingStatus.LAPSED
        if lapsed and found.reports.filter(review=ReportReview.PENDING).exists():
            raise Conflict(
                "vendor_report_pending",
                "已有逾期报送等待审核，请等待审核结果",
                "A late report already awaits review",
            )
        due = found.dues.filter(submitted_at__isnull=True).order_by("seq").first()
        if due is None:
            if not lapsed:
                raise Conflict("vendor_report_none", "当前没有需要报送的期次", "No reporting period is open")
            due = _due_for_lapsed(found)
        now = clock.now()
        due.submitted_at = now
        due.save(update_fields=["submitted_at"])
        report = Report.objects.create(
            due=due,
            filing=found,
            summary=summary,
            revenue=revenue,
            staff_count=staff,
            submitted_at=now,
            submitted_by=actor.user,
            review=ReportReview.PENDING if lapsed else ReportReview.ON_TIME,
        )
        if not lapsed:
            open_period(found, due.period_end + timedelta(days=1), actor=actor)
        audit.record(
            actor,
            "vendors.report.submit",
            found,
            after={"report": report.pk, "period": str(due), "revenue": revenue, "review": report.review},
        )
        if lapsed:
            _tell(
                queries.holders(found.unit, queries.REVIEW),
                "vendors.report_to_review",
                found,
                {"period": str(due)},
            )
    return report


def _pending(found: Filing, report: Report) -> Report:
    row = found.reports.filter(pk=report.pk, review=ReportReview.PENDING).first()
    if row is None:
        raise Conflict("vendor_report_reviewed", "该报送已审核", "The report was already reviewed")
    return row


def reinstate(actor: Actor, filing: Filing, report: Report, *, note="") -> Filing:
    """A reviewer accepts a late report: the filing is approved again with a new certificate; the next
    reporting period starts today."""
    common.require(actor, queries.REVIEW, filing)
    note = common.text(note, "note", "审核意见", limit=1000, required=False)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.LAPSED, doing="恢复备案")
        row = _pending(found, report)
        now = clock.now()
        row.review, row.reviewed_at, row.reviewed_by, row.review_note = (
            ReportReview.REINSTATED,
            now,
            actor.user,
            note,
        )
        row.save(update_fields=["review", "reviewed_at", "reviewed_by", "review_note"])
        found.status = FilingStatus.APPROVED
        found.lapsed_at = None
        found.save(update_fields=["status", "lapsed_at"])
        certificate = certificates.issue(actor, found)
        open_period(found, clock.today(), actor=actor)
        audit.record(
            actor,
            "vendors.filing.reinstate",
            found,
            before={"status": FilingStatus.LAPSED},
            after={"status": found.status, "report": row.pk, "certificate": certificate.number, "note": note},
        )
        _tell(
            [found.created_by, *queries.holders(found.unit, queries.MANAGE)],
            "vendors.filing_reinstated",
            found,
            {"number": certificate.number},
        )
    return found


def refuse(actor: Actor, filing: Filing, report: Report, *, reason) -> Report:
    """A reviewer does not accept a late report: the filing stays lapsed (the vendor may report again)."""
    common.require(actor, queries.REVIEW, filing)
    reason = common.text(reason, "reason", "不予恢复的原因", limit=1000)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.LAPSED, doing="审核逾期报送")
        row = _pending(found, report)
        row.review, row.reviewed_at, row.reviewed_by, row.review_note = (
            ReportReview.REFUSED,
            clock.now(),
            actor.user,
            reason,
        )
        row.save(update_fields=["review", "reviewed_at", "reviewed_by", "review_note"])
        audit.record(actor, "vendors.report.refuse", found, after={"report": row.pk}, reason=reason)
    return row


def record_inspection(actor: Actor, filing: Filing, *, result, note="") -> Inspection:
    """A reviewer records the inspection due; the next one is scheduled from today."""
    common.require(actor, queries.REVIEW, filing)
    if result not in RESULTS:
        raise Invalid(
            "vendor_inspection_result", "请选择检查结论", "Choose the result", {"result": "unknown"}
        )
    note = common.text(note, "note", "检查记录", limit=1000, required=result != InspectionResult.PASSED)
    with transaction.atomic():
        found = common.locked(filing)
        common.expect(found, FilingStatus.APPROVED, FilingStatus.LAPSED, doing="登记检查")
        row = found.inspections.filter(done_at__isnull=True).order_by("seq").first()
        if row is None:
            row = open_inspection(found, clock.today(), actor=actor)
        row.done_at, row.done_by, row.result, row.note = clock.now(), actor.user, result, note
        row.save(update_fields=["done_at", "done_by", "result", "note"])
        open_inspection(found, clock.today(), actor=actor)
        audit.record(
            actor,
            "vendors.inspection.record",
            found,
            after={"inspection": row.pk, "result": result, "note": note},
        )
    return row


# ------------------------------------------------------------------ the clock: lapses


def _lapse(filing: Filing, due: ReportDue, now) -> int:
    due.lapsed_at = now
    due.save(update_fields=["lapsed_at"])
    filing.status = FilingStatus.LAPSED
    filing.lapsed_at = now
    filing.save(update_fields=["status", "lapsed_at"])
    reason = (
        f"第 {due.seq} 期定期报送逾期未报（截止 {due.due_on:%Y-%m-%d}，宽限至 {due.lapse_after:%Y-%m-%d}）"
    )
    certificate = certificates.lapse(SYSTEM, filing, reason)
    decisions.record_from_entry(
        filing,
        policy.lookup(REPORT_GRACE, at=now, unit=filing.unit),
        outcome=f"备案失效：{reason}，备案证书已失效",
        inputs={
            "vendor_period": str(due),
            "vendor_due_on": f"{due.due_on:%Y-%m-%d}",
            "vendor_lapse_after": f"{due.lapse_after:%Y-%m-%d}",
        },
    )
    audit.record(
        SYSTEM,
        "vendors.filing.lapse",
        filing,
        before={"status": FilingStatus.APPROVED},
        after={
            "status": filing.status,
            "due": due.pk,
            "certificate": certificate.number if certificate else "",
        },
        reason=reason,
    )
    _tell(
        [
            filing.created_by,
            *queries.holders(filing.unit, queries.MANAGE),
            *queries.holders(filing.unit, queries.REVIEW),
        ],
        "vendors.filing_lapsed",
        filing,
        {"reason": reason},
    )
    return 1


def lapse(now=None) -> int:
    """The clock: lapse every approved filing whose report is missing past its grace — once each. The
    filing's row is taken skip-locked (a second worker skips it) and re-read under the guard."""
    now = now or clock.now()
    today = clock.local(now).date()
    lapsed = 0
    for pk in queries.lapsing_due_ids(today):
        with transaction.atomic():
            due = ReportDue.objects.filter(pk=pk).only("filing_id").first()
            if due is None:
                continue
            filing = (
                Filing.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("unit")
                .filter(pk=due.filing_id, status=FilingStatus.APPROVED)
                .first()
            )
            due = (
                ReportDue.objects.filter(
                    pk=pk, submitted_at__isnull=True, lapsed_at__isnull=True, lapse_after__lt=today
                ).first()
                if filing is not None
                else None
            )
            if due is not None:
                lapsed += _lapse(filing, due, now)
    return lapsed


# ------------------------------------------------------------------ the daily reminders


def _claim(key: str) -> bool:
    if VendorReminder.objects.filter(key=key).exists():
        return False
    with transaction.atomic():
        _, made = VendorReminder.objects.get_or_create(key=key, defaults={"sent_at": clock.now()})
    return made


def remind(run=None) -> int:
    """The daily schedule `vendors.reminders` (VEN-1): the vendor's managers of reports due within the pack's
    days, the reviewers of inspections due within theirs (or past due) — once each (a unique row claims
    each reminder first, so two workers send it once)."""
    today = clock.today()
    sent = 0
    horizon = today + timedelta(days=REMIND_HORIZON)
    for due in queries.dues_to_remind(today, horizon):
        if (due.due_on - today).days > _days(REPORT_REMIND, due.filing.unit):
            continue
        with transaction.atomic():
            if _claim(f"report:{due.pk}"):
                _tell(
                    [due.filing.created_by, *queries.holders(due.filing.unit, queries.MANAGE)],
                    "vendors.report_due",
                    due.filing,
                    {"period": str(due), "due": f"{due.due_on:%Y-%m-%d}"},
                )
                sent += 1
    for row in queries.inspections_to_remind(today, horizon):
        if (row.due_on - today).days > _days(INSPECTION_REMIND, row.filing.unit):
            continue
        with transaction.atomic():
            if _claim(f"inspection:{row.pk}:{row.due_on:%Y%m%d}"):
                _tell(
                    queries.holders(row.filing.unit, queries.REVIEW),
                    "vendors.inspection_due",
                    row.filing,
                    {"due": f"{row.due_on:%Y-%m-%d}"},
                )
                sent += 1
    return sent
