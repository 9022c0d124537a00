"""Inspections (QA-1): one case scored by one inspector on one scorecard version, per-item scores and
comments, a fatal item; published to the agent, who may appeal (申诉) within the pack's window; a
second inspector (not the first) rules. Calibration inspections belong to a calibration session and
are never published."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Origin(models.TextChoices):
    RANDOM = "random", _("Random sample")
    RISK = "risk", _("Risk pick")
    MANUAL = "manual", _("Assigned by hand")
    CALIBRATION = "calibration", _("Calibration")


class InspectionState(models.TextChoices):
    ASSIGNED = "assigned", _("To inspect")
    SCORED = "scored", _("Scored")
    PUBLISHED = "published", _("Published")
    APPEALED = "appealed", _("Appealed")
    RULED = "ruled", _("Appeal ruled")
    FINAL = "final", _("Final")


FINAL_STATES = (InspectionState.RULED, InspectionState.FINAL)


class Inspection(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", help_text="the case's")
    agent = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    scorecard = models.ForeignKey("quality.Scorecard", on_delete=models.PROTECT, related_name="+")
    calibration = models.ForeignKey(
        "quality.Calibration", on_delete=models.CASCADE, null=True, blank=True, related_name="inspections"
    )
    origin = models.CharField(max_length=20, choices=Origin.choices)
    risk = models.JSONField(default=list, blank=True, help_text="the risk factors that picked it")
    week = models.DateField(null=True, blank=True, help_text="Monday of the sampled week")
    state = models.CharField(max_length=20, choices=InspectionState.choices, default=InspectionState.ASSIGNED)
    total = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    fatal = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    assigned_at = models.DateTimeField()
    scored_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(calibration__isnull=True), name="quality_inspection_case_once"
            ),
            models.UniqueConstraint(fields=["calibration", "inspector"], name="quality_calibration_once"),
        ]
        indexes = [
            models.Index(fields=["inspector", "state"], name="quality_insp_inspector"),
            models.Index(fields=["agent", "final_at"], name="quality_insp_agent"),
        ]

    def __str__(self) -> str:
        return f"质检 {self.pk}"


class InspectionScore(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey("quality.ScorecardItem", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    violated = models.BooleanField(default=False, help_text="a fatal item: violated")
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="quality_score_once")]

    def __str__(self) -> str:
        return f"{self.inspection_id}:{self.item_id} {self.score}"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("Score upheld")
    ADJUSTED = "adjusted", _("Score adjusted")


class Appeal(models.Model):
    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="appeal")
    reason = models.TextField()
    filed_at = models.DateTimeField()
    ruler = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    original_total = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    ruling = models.TextField(blank=True)
    ruled_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"申诉 {self.inspection_id}"
