"""Sampling plans (QA-1): each week n % of each agent's closed cases at random (n from the pack,
quality.sample_percent) plus risk-weighted picks. A plan belongs to a subsidiary, or to the group when
`unit` is empty (the default)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RiskFactor(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REOPENED = "reopened", _("Reopened")
    BREACHED = "breached", _("Deadline missed")
    LONG_HANDLING = "long_handling", _("Long handling")
    LOW_CSAT = "low_csat", _("Customer not satisfied")


class SamplingPlan(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    risk_weights = models.JSONField(default=dict, help_text="risk factor → weight (0 = not used)")
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(active=True), name="quality_plan_one")
        ]

    def __str__(self) -> str:
        return f"plan {self.unit_id or 'group'}"
