"""Messages to customers (FUP-2): one outbox for e-mail and text messages, and the customers' opt-outs.

SEC-1: the address or number and the text are stored AES-GCM encrypted; `recipient_index` is the
blind index of the number (or the fingerprint of the address), so that a receipt or a 退订 keyword
can be matched without the number in clear. `__str__` (the audit rows' object_repr) names the key only.
"""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.crypto import EncryptedTextField


class Channel(models.TextChoices):
    EMAIL = "email", pgettext_lazy("outbound channel", "E-mail")
    SMS = "sms", pgettext_lazy("outbound channel", "Text message")


class MessageState(models.TextChoices):
    PENDING = "pending", _("Pending")  # also: waiting for the customer's contact window
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")  # handed to the mail outbox / accepted by the SMS gateway
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", pgettext_lazy("outbound message", "Cancelled")  # opted out before it left


class Receipt(models.TextChoices):
    NONE = "", pgettext_lazy("delivery receipt", "No receipt yet")
    DELIVERED = "delivered", pgettext_lazy("delivery receipt", "Delivered")
    UNDELIVERED = "undelivered", pgettext_lazy("delivery receipt", "Not delivered")


class OutboundMessage(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # idempotency key at the gateway
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    contact = models.ForeignKey(
        "customers.Contact", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    purpose = models.CharField(max_length=50)  # revisit, survey, greeting, … (the caller's word)
    recipient = EncryptedTextField()  # the number or address (SEC-1)
    recipient_index = models.CharField(max_length=64, db_index=True)
    subject = EncryptedTextField(blank=True)
    body = EncryptedTextField()
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    day = models.DateField()  # the local day it counts against the customer's daily cap
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # pending: when to try (the window's start for a message that waits); sending: when the claim lapses
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)  # numbers and addresses in it are fingerprinted
    mail = models.ForeignKey("mail.OutboundMail", null=True, blank=True, on_delete=models.SET_NULL)
    provider_id = models.CharField(max_length=100, blank=True)  # the SMS gateway's id of the message
    receipt = models.CharField(max_length=12, choices=Receipt.choices, blank=True, default=Receipt.NONE)
    receipt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbound_due"),
            models.Index(fields=["customer", "day"], name="outbound_customer_day"),
        ]

    def __str__(self):
        return f"客户消息 #{self.pk}"  # shown on the audit page (Chinese only, issue 18)


class OptOut(models.Model):
    """退订: the customer asked for no more messages (by link, by keyword, or through staff)."""

    customer = models.OneToOneField("customers.Customer", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20)  # link | keyword | staff
    at = models.DateTimeField()

    def __str__(self):
        return f"opt-out of customer {self.customer_id}"
