"""Notifications (NTF-1): the in-app inbox row, its outbound deliveries, and each person's preferences.

A `Notification` is rendered once, at creation, in the recipient's language; it is both the inbox
entry and the outbox record from which the worker sends e-mail (and later SMS/WeChat) as `Delivery`
rows, one per channel.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", "简体中文"
    EN = "en", "English"


class NotificationPreference(models.Model):
    """How a person wants to be told: language of the messages, e-mail and text messages on or off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    language = models.CharField(max_length=10, choices=Language.choices, default=Language.ZH_HANS)
    email_enabled = models.BooleanField(default=True)
    # text messages to the mobile on file (the `sms` channel, where the gateway is configured)
    sms_enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user} ({self.language})"


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    template = models.CharField(max_length=100)
    language = models.CharField(max_length=10, choices=Language.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    # False when the caller asked for outbound channels only (channels without "inbox")
    in_inbox = models.BooleanField(default=True)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    target_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # the unread badge and the inbox list: one index range per person
            models.Index(fields=["recipient", "in_inbox", "read_at"], name="ntf_inbox_unread"),
            models.Index(fields=["target_type", "target_id"], name="ntf_target"),
        ]

    def __str__(self):
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notification on one outbound channel. The state column makes sending claim-then-send."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    address = models.CharField(max_length=254)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # pending: when to try (again); sending: when the claim lapses (the worker is presumed dead)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="ntf_delivery_one_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="ntf_delivery_due")]

    def __str__(self):
        return f"{self.channel} → {self.address} ({self.status})"
