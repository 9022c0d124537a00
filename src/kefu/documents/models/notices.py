"""Notices (公告/通知, DOC-1): issued by a unit to one or more units within it; the staff of those units
and below see them (and get them in their inbox)."""

from django.conf import settings
from django.db import models


class NoticeKind(models.TextChoices):
    ANNOUNCEMENT = "announcement", "公告"
    NOTICE = "notice", "通知"


class Notice(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")  # issuing unit
    kind = models.CharField(max_length=20, choices=NoticeKind.choices, default=NoticeKind.NOTICE)
    title = models.CharField(max_length=200)
    body = models.TextField()
    to_units = models.ManyToManyField("org.Unit", related_name="+")
    published_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["unit", "published_at"], name="documents_notice_unit")]

    def __str__(self) -> str:
        return self.title
