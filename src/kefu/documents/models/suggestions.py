"""Improvement suggestions (合理化建议, DOC-1): any staff member makes one; a manager over the author's
unit accepts it or declines it with a reason; an accepted one is tracked until it is implemented."""

from django.conf import settings
from django.db import models


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", "待评审"
    ACCEPTED = "accepted", "已采纳"
    DECLINED = "declined", "未采纳"
    IMPLEMENTED = "implemented", "已实施"


class Suggestion(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")  # the author's unit
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField()
    submitted_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=SuggestionStatus.choices, default=SuggestionStatus.SUBMITTED
    )
    reason = models.CharField(max_length=1000, blank=True)  # the reviewer's reason
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    implemented_at = models.DateTimeField(null=True, blank=True)
    implementation = models.CharField(max_length=1000, blank=True)  # what was done

    class Meta:
        indexes = [models.Index(fields=["unit", "status"], name="documents_suggestion_unit")]

    def __str__(self) -> str:
        return self.title
