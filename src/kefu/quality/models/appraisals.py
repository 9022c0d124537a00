"""Appraisal (APR-1): schemes, rounds, results and coaching plans.

A scheme belongs to a subsidiary, or to the group when `unit` is empty (the default every subsidiary
without its own uses), one per period kind (月度 / 季度). Changing the items makes a new version; the
old one stays (inactive) because rounds keep the version they were opened on. A round appraises the
staff of one unit for one period; each member gets a result with one score per item. Publishing
ranks the results, names the outstanding and opens the coaching plans of those below the threshold
("直至达到要求": a plan stays open until a later published round of that person meets it)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class ItemKind(models.TextChoices):
    KPI = "kpi", _("KPI")
    QA = "qa", _("Quality inspection score")
    MANUAL = "manual", _("Scored by the manager")


class AppraisalScheme(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True)
    system_default = models.BooleanField(default=False, help_text="shipped by the system (本系统默认值)")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period_kind", "version"], name="quality_scheme_version"),
            models.UniqueConstraint(
                fields=["unit", "period_kind"], condition=Q(active=True), name="quality_scheme_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class AppraisalItem(models.Model):
    scheme = models.ForeignKey(AppraisalScheme, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    kpi_code = models.CharField(max_length=40, blank=True, help_text="kind kpi: a code of insights KPIS")
    name = models.CharField(max_length=100)
    weight = models.PositiveIntegerField(help_text="share of 100")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class RoundState(models.TextChoices):
    OPEN = "open", _("Open for scoring")
    PUBLISHED = "published", _("Published")


class AppraisalRound(models.Model):
    scheme = models.ForeignKey(AppraisalScheme, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    period_kind = models.CharField(max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField()
    period_end = models.DateField(help_text="the day after the last")
    state = models.CharField(max_length=20, choices=RoundState.choices, default=RoundState.OPEN)
    opened_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField()
    published_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    threshold = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    outstanding_count = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_kind", "period_start"], name="quality_round_once_per_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start}"


class AppraisalResult(models.Model):
    round = models.ForeignKey(AppraisalRound, on_delete=models.CASCADE, related_name="results")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", help_text="the member's")
    total = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(null=True, blank=True)
    tied = models.BooleanField(default=False)
    outstanding = models.BooleanField(default=False)
    below = models.BooleanField(default=False)

    class Meta:
        ordering = ["rank", "employee__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "employee"], name="quality_result_once"),
        ]
        indexes = [models.Index(fields=["employee", "round"], name="quality_result_employee")]

    def __str__(self) -> str:
        return f"{self.employee} · {self.round}"


class AppraisalScore(models.Model):
    result = models.ForeignKey(AppraisalResult, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(AppraisalItem, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(
        max_digits=10, decimal_places=1, null=True, blank=True, help_text="the KPI value read"
    )
    target = models.DecimalField(max_digits=10, decimal_places=1, null=True, blank=True)
    points = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True, help_text="out of 100; empty: not scored"
    )
    excluded = models.BooleanField(default=False, help_text="no data: left out, the weights renormalised")
    rule = models.CharField(max_length=20, blank=True)
    clause = models.TextField(blank=True)
    policy_version = models.IntegerField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["item__position", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["result", "item"], name="quality_appraisal_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.result} · {self.item}"


class CoachingState(models.TextChoices):
    OPEN = "open", _("Coaching")
    MET = "met", _("Requirement met")


class CoachingPlan(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", help_text="the member's")
    coach = models.ForeignKey("org.Employee", on_delete=models.PROTECT, null=True, related_name="+")
    goal = models.CharField(max_length=300)
    threshold = models.DecimalField(max_digits=5, decimal_places=1)
    state = models.CharField(max_length=10, choices=CoachingState.choices, default=CoachingState.OPEN)
    opened_round = models.ForeignKey(AppraisalRound, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField()
    rounds_missed = models.PositiveSmallIntegerField(
        default=0, help_text="later published rounds still below the threshold"
    )
    last_round = models.ForeignKey(AppraisalRound, on_delete=models.PROTECT, null=True, related_name="+")
    closed_round = models.ForeignKey(
        AppraisalRound, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    penalty_proposed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee"], condition=Q(state="open"), name="quality_coaching_one_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.goal}"


class CoachingNote(models.Model):
    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField()
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text[:50]
