"""Coverage rules (WFM-1): how many people a team needs on each shift (the shift template is the
time slot), by kind of day — weekday, weekend, statutory holiday — and optionally how many of them
from a skill group (cases.SkillGroup)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WEEKDAY = "weekday", _("Weekday")
    WEEKEND = "weekend", _("Weekend")
    HOLIDAY = "holiday", _("Statutory holiday")


class CoverageRule(models.Model):
    template = models.ForeignKey(
        "workforce.ShiftTemplate", on_delete=models.CASCADE, related_name="coverage_rules"
    )
    day_kind = models.CharField(max_length=10, choices=DayKind.choices)
    min_staff = models.PositiveSmallIntegerField()
    skill_group = models.ForeignKey(
        "cases.SkillGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    min_skilled = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["template", "day_kind"], name="workforce_coverage_slot"),
            models.CheckConstraint(
                condition=models.Q(min_skilled__lte=models.F("min_staff")),
                name="workforce_coverage_skilled",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template}（{self.get_day_kind_display()}）≥ {self.min_staff}"
