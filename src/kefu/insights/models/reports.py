"""Work reports and the monthly service report (RPT-1).

A daily work report per person, drafted automatically from the day's records (cases received, handled
and closed, their transitions, revisits done, customer contacts, open items carried over — each line
pointing at its record) and edited and submitted to the person's supervisor (ORG-2); weekly and monthly
summaries the same way. Each report has a due time from the pack; one submitted after it, or still not
submitted when it passed, is flagged once ("每日按时写工作日志，每周、月按时交报表和工作总结呈送上级",
seed 001). The monthly service report of a department or subsidiary lists the month's figures, the
problems found and the rectification items (整改项) tracked until verified ("分析客户服务存在问题，对存在
问题提出整改措施", seed 004 · 客户服务管理规定 第八条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    DAY = "day", _("Daily work report")
    WEEK = "week", _("Weekly summary")
    MONTH = "month", _("Monthly summary")


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class WorkReport(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=10, choices=Period.choices)
    starts_on = models.DateField()
    ends_on = models.DateField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    manager = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the supervisor it goes to (ORG-2), set when submitted
    work = models.TextField(blank=True, help_text="今日工作 / 本周工作 / 本月工作")
    problems = models.TextField(blank=True, help_text="问题与建议")
    plan = models.TextField(blank=True, help_text="明日计划 / 下周计划 / 下月计划")
    figures = models.JSONField(default=dict, blank=True)
    drafted_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(default=False)
    flagged_at = models.DateTimeField(null=True, blank=True, help_text="late or missing: flagged once")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["employee", "period", "starts_on"], name="insights_report_once")
        ]
        indexes = [
            models.Index(fields=["unit", "period", "starts_on"], name="insights_report_unit"),
            models.Index(fields=["state", "due_at"], name="insights_report_due"),
        ]

    def __str__(self) -> str:
        span = (
            f"{self.starts_on:%Y-%m-%d}"
            if self.starts_on == self.ends_on
            else f"{self.starts_on:%Y-%m-%d}–{self.ends_on:%m-%d}"
        )
        return f"{self.employee} {span}"


class LineKind(models.TextChoices):
    RECEIVED = "received", _("Case received")
    HANDLED = "handled", _("Case handled")
    CLOSED = "closed", _("Case closed")
    REVISIT = "revisit", _("Revisit done")
    CONTACT = "contact", _("Customer contact")
    CARRIED = "carried", _("Open item carried over")
    REPORT = "report", _("Daily report")


class WorkReportLine(models.Model):
    report = models.ForeignKey(WorkReport, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=LineKind.choices)
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=200)
    at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "object_id"], name="insights_report_line_once")
        ]

    def __str__(self) -> str:
        return self.label


class ServiceReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed off")


class ServiceReport(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="the first day of the month")
    state = models.CharField(
        max_length=20, choices=ServiceReportState.choices, default=ServiceReportState.DRAFT
    )
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    figures = models.JSONField(default=dict, blank=True)
    summary = models.TextField(blank=True, help_text="本月工作概述")
    problems = models.TextField(blank=True, help_text="存在问题")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="insights_service_report_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month:%Y-%m}"


class RectificationState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Rectified")
    VERIFIED = "verified", _("Verified")


class RectificationItem(models.Model):
    report = models.ForeignKey(ServiceReport, on_delete=models.CASCADE, related_name="items")
    problem = models.CharField(max_length=300)
    measure = models.TextField(blank=True, help_text="整改措施")
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    state = models.CharField(
        max_length=20, choices=RectificationState.choices, default=RectificationState.OPEN
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="insights_rectification_due")]

    def __str__(self) -> str:
        return self.problem
