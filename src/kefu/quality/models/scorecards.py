"""Scorecards (QA-1): weighted items, versioned. A scorecard belongs to a subsidiary, or to the group
when `unit` is empty (the default every subsidiary without its own uses). Changing the items makes a
new version; the old one stays (inactive) because inspections keep the version they were scored on."""

from django.db import models
from django.db.models import Q


class Scorecard(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(max_length=100)
    version = models.PositiveIntegerField(default=1)
    active = models.BooleanField(default=True, help_text="the version in use for new inspections")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True, help_text="what changed in this version")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "version"], name="quality_scorecard_version"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(active=True), name="quality_scorecard_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ScorecardItem(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=100)
    weight = models.PositiveIntegerField(default=0, help_text="share of the total; a fatal item weighs 0")
    max_score = models.PositiveIntegerField(default=10)
    fatal = models.BooleanField(default=False, help_text="violated → the whole inspection scores 0")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name
