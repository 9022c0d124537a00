"""Annual and work plans (年度计划/工作计划, DOC-1): a plan of a unit for a year, with items — each with
its owner, due date, percent done and status; every progress report is kept. An item past its due date
and not done is overdue (computed from the clock, never stored)."""

from django.conf import settings
from django.db import models


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度计划"
    WORK = "work", "工作计划"


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "进行中"
    BLOCKED = "blocked", "受阻"
    DONE = "done", "已完成"


class WorkPlan(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=PlanKind.choices)
    year = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year", "title"], name="documents_plan_once")]

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    text = models.CharField(max_length=500)
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    percent = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=20, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED)
    done_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="documents_item_once"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="documents_item_percent"),
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:40]


class ProgressUpdate(models.Model):
    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="updates")
    percent = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=ItemStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.item_id} {self.percent}%"
