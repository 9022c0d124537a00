"""Calibration sessions (QA-1): several inspectors score the same case on the same scorecard version;
the spread (highest − lowest) per item and of the total shows how far they agree."""

from django.db import models


class Calibration(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", help_text="the case's")
    scorecard = models.ForeignKey("quality.Scorecard", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title
