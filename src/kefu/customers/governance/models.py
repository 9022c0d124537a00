"""Care of the archive as a company secret (SEC-4…SEC-9, CUS-6, CUS-8).

Borrowing cards, access requests, import jobs, destruction requests and their permanent log,
the security incident register and merge requests. No workflow logic here: see actions.py.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kefu.core.crypto import EncryptedTextField
from kefu.core.sealed import EncryptedBinaryField


class RequestState(models.TextChoices):
    PENDING = "pending", _("In approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    DONE = "done", _("Carried out")


class Borrowing(models.Model):
    """借阅卡 (SEC-4): who borrowed which full dossier, why, from when, until when, returned when."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    borrower = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=500)
    borrowed_at = models.DateTimeField()
    due_at = models.DateTimeField()
    returned_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-borrowed_at", "-id"]
        indexes = [models.Index(fields=["returned_at", "due_at"])]

    def __str__(self):
        return f"{self.borrower} · {self.customer_id}"


class AccessKind(models.TextChoices):
    STATISTICS = "statistics", _("Statistics (统计资料)")
    ARCHIVE = "archive", _("Archive (档案资料)")


class AccessRequest(models.Model):
    """SEC-4: a request to consult statistics or the archive, signed off by the department manager."""

    requester = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    purpose = models.CharField(max_length=500)
    customer = models.ForeignKey(
        "customers.Customer", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, choices=RequestState.choices, default=RequestState.PENDING)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.requester}"

    @property
    def owner(self):
        return self.requester


class ImportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("import status", "Queued")
    RUNNING = "running", pgettext_lazy("import status", "Checking")
    COMMITTING = "committing", pgettext_lazy("import status", "Importing")
    FAILED = "failed", _("Refused (nothing imported)")
    STOPPED = "stopped", _("Stopped (partly imported)")
    DONE = "done", pgettext_lazy("import status", "Done")


class ImportExisting(models.TextChoices):
    """What an import does with a row that is already in the archive (by 编号, phone or ID; CUS-6)."""

    SKIP = "skip", _("Skip it (keep the archive as it is)")
    UPDATE = "update", _("Update it with the filled cells of the row")


class ImportJob(models.Model):
    """CUS-8: one uploaded workbook, checked whole by the worker, then committed in bounded batches.

    Issue 11: every rule of every row is checked before anything is written (a refused file changes
    nothing); the rows are then committed in batches of `KEFU_BULK_BATCH_ROWS`, each transaction also
    moving the high-water mark `created_rows` (rows of the file, in order, committed so far), so that a
    runner killed mid-way resumes after the last committed batch without duplicating a row. One runner
    at a time: it holds a lease (`lease_token` until `lease_until`, renewed every batch).

    SEC-1: the workbook and the error report hold phones and ID numbers, so they are stored sealed
    (AES-GCM), as is the message (it may quote a cell). The workbook is emptied when the job finishes;
    the daily `customer_governance.import_purge` removes the error report once
    `customers.import_copy_retention` has passed (`purged_at`).
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    content = EncryptedBinaryField()
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.IntegerField(default=0)
    processed_rows = models.IntegerField(default=0)
    error_rows = models.IntegerField(default=0)
    duplicate_rows = models.IntegerField(default=0)
    created_rows = models.IntegerField(default=0)
    existing = models.CharField(max_length=10, choices=ImportExisting.choices, default=ImportExisting.SKIP)
    updated_rows = models.IntegerField(default=0)  # rows already in the archive, updated (issue 13)
    skipped_rows = models.IntegerField(default=0)  # rows already in the archive, left as they are
    error_report = EncryptedBinaryField(null=True, blank=True)
    message = EncryptedTextField(blank=True)
    ignored_columns = models.JSONField(default=list, blank=True, help_text="header cells naming no column")
    language = models.CharField(max_length=10, default="zh-hans")  # of the page that started it (issue 13)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)  # workbook and error report removed (SEC-1)
    lease_token = models.CharField(max_length=32, blank=True)  # the runner holding the job (issue 11)
    lease_until = models.DateTimeField(null=True, blank=True)
    batch_started_at = models.DateTimeField(null=True, blank=True)  # a batch is being committed since

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.filename

    @property
    def committing(self) -> bool:
        return self.status == ImportStatus.COMMITTING

    @property
    def committed_percent(self) -> int:
        return int(self.created_rows * 100 / self.total_rows) if self.total_rows else 0

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0

    @property
    def new_rows(self) -> int:
        return self.created_rows - self.updated_rows - self.skipped_rows

    @property
    def step(self) -> tuple[int, int] | None:
        """The rows done of the rows there are in the current phase (检查中 n/N, 导入中 n/N)."""
        if self.status == ImportStatus.RUNNING:
            return self.processed_rows, self.total_rows
        if self.status == ImportStatus.COMMITTING:
            return self.created_rows, self.total_rows
        return None

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.FAILED, ImportStatus.STOPPED, ImportStatus.DONE)


class DestructionRequest(models.Model):
    """SEC-8: destroy a customer's personal data after 客户信息主管 → 客服部经理 → 总经理."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    state = models.CharField(max_length=20, choices=RequestState.choices, default=RequestState.PENDING)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"销毁申请 #{self.pk} · 客户 #{self.customer_id}"


class DestructionLog(models.Model):
    """The permanent destruction log (SEC-8): who approved, when, what — never any personal data."""

    request = models.OneToOneField(DestructionRequest, on_delete=models.PROTECT, related_name="log")
    customer_ref = models.CharField(max_length=50)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    fields = models.JSONField(default=list)
    approvals = models.JSONField(default=list)
    requested_by = models.CharField(max_length=150)
    destroyed_at = models.DateTimeField()
    policy_version = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-destroyed_at", "-id"]

    def __str__(self):
        return f"{self.customer_ref} · {self.destroyed_at:%Y-%m-%d}"


class IncidentKind(models.TextChoices):
    LEAK = "leak", _("Leak (泄密)")
    LOSS = "loss", _("Loss (丢失)")
    VIOLATION = "violation", _("Violation (违规)")


class SecurityIncident(models.Model):
    """SEC-9: the person responsible and, automatically, the direct superiors (领导责任)."""

    kind = models.CharField(max_length=20, choices=IncidentKind.choices)
    occurred_at = models.DateTimeField()
    description = models.TextField()
    person = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    superiors = models.ManyToManyField("org.Employee", blank=True, related_name="+")
    customers = models.ManyToManyField("customers.Customer", blank=True, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.person}"


class MergeRequest(models.Model):
    """CUS-6: merge `duplicate` into `survivor`, only by approval; ownership and claims are kept."""

    survivor = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    duplicate = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    state = models.CharField(max_length=20, choices=RequestState.choices, default=RequestState.PENDING)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(survivor=models.F("duplicate")), name="merge_not_with_itself"
            ),
        ]

    def __str__(self):
        return f"#{self.duplicate_id} → #{self.survivor_id}"
