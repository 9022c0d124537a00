"""E-mail in and out with people outside kefu (CASE-2): received messages and the external outbox.

`InboundMail` is stored the moment a message arrives (idempotent on its Message-ID) and dispatched to
the handler an app registered (the cases app turns it into a case or a reply on one); its attachments
are files under KEFU_DATA_DIR/media. `OutboundMail` is the outbox of mail to external addresses
(customers), written in the caller's transaction and sent by the worker.

SEC-1: what a customer wrote or is written — addresses, names, subjects, texts, headers — is stored
AES-GCM encrypted (not filterable), and `actions_retention` empties it (`purged_at`) once the message
was sent or handled and `mail.copy_retention` has passed. Message-IDs stay in clear: they thread
replies and hold no address. `__str__` (the audit rows' object_repr) names the Message-ID only.
"""

from email.utils import getaddresses

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.crypto import EncryptedJSONField, EncryptedTextField


class InboundState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("inbound mail", "Received")
    HANDLED = "handled", pgettext_lazy("inbound mail", "Handled")
    FAILED = "failed", pgettext_lazy("inbound mail", "Failed")
    IGNORED = "ignored", pgettext_lazy("inbound mail", "Ignored")


class InboundMail(models.Model):
    message_id = models.CharField(max_length=500, unique=True)  # <…> as sent, or <sha256-…@kefu.invalid>
    envelope_from = EncryptedTextField(blank=True)
    envelope_to = models.JSONField(default=list)  # the service addresses it was delivered to (ours)
    from_address = EncryptedTextField(blank=True)  # bare address of From:
    from_name = EncryptedTextField(blank=True)
    to_addresses = EncryptedJSONField(default=list)  # To: and Cc: addresses
    subject = EncryptedTextField(blank=True)
    text = EncryptedTextField(blank=True)  # text/plain, or the text of text/html
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)  # space-separated Message-IDs
    headers = EncryptedJSONField(default=dict)  # a few headers kept for handlers: Date, Reply-To, …
    raw = models.FileField(upload_to="mail/raw/%Y/%m/", max_length=300, blank=True)
    raw_size = models.PositiveIntegerField(default=0)
    received_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=InboundState.choices, default=InboundState.RECEIVED)
    handler = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)  # received: when to dispatch
    handled_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)  # last failure, or why it was ignored
    result_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    result_id = models.CharField(max_length=64, blank=True)
    result = GenericForeignKey("result_type", "result_id")
    purged_at = models.DateTimeField(null=True, blank=True)  # content and raw file removed (SEC-1)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="mail_inbound_due"),
            models.Index(fields=["result_type", "result_id"], name="mail_inbound_result"),
        ]

    def __str__(self):
        return self.message_id[:300]

    @property
    def reference_ids(self) -> list[str]:
        return self.references.split()

    @property
    def reply_address(self) -> str:
        """Where an answer goes: the Reply-To address when the sender set one, else From."""
        reply_to = [address for _, address in getaddresses([self.headers.get("Reply-To", "")]) if address]
        return (reply_to[0] if reply_to else self.from_address).lower()

    @property
    def thread_headers(self) -> dict:
        """In-Reply-To and References, as `find_reference(headers=…)` takes them."""
        return {"In-Reply-To": self.in_reply_to, "References": self.references}


class InboundAttachment(models.Model):
    mail = models.ForeignKey(InboundMail, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="mail/attachments/%Y/%m/", max_length=300, blank=True)
    skipped = models.CharField(max_length=200, blank=True)  # why the file was not kept (size, type, count)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class OutboundState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundMail(models.Model):
    """One message to external addresses; the state column makes sending claim-then-send."""

    to = EncryptedJSONField(default=list)
    cc = EncryptedJSONField(default=list)
    subject = EncryptedTextField(blank=True)
    body = EncryptedTextField(blank=True)  # may hold a status-link secret (CASE-2)
    html = EncryptedTextField(blank=True)  # optional HTML alternative of the body
    message_id = models.CharField(max_length=500, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=500, blank=True)
    references = models.TextField(blank=True)
    related_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    related_id = models.CharField(max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    created_by = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=OutboundState.choices, default=OutboundState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # pending: when to try (again); sending: when the claim lapses (the worker is presumed dead)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)  # addresses in it are fingerprinted
    purged_at = models.DateTimeField(null=True, blank=True)  # content removed after delivery (SEC-1)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_outbound_due"),
            models.Index(fields=["related_type", "related_id"], name="mail_outbound_related"),
        ]

    def __str__(self):
        return self.message_id[:300] or f"outbound mail {self.pk}"
