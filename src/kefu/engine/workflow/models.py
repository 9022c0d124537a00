"""Workflow state that must survive restarts: state history, timers, escalations, approvals (WF-1…WF-6).

Every row points at the record it serves through (content_type, object_id), so any app's record type
can use the engine without engine tables knowing about it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Target(models.Model):
    """The record a workflow row belongs to."""

    # every subclass indexes (content_type, object_id, …): no second index on content_type alone
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)

    class Meta:
        abstract = True


class StateChange(Target):
    """One transition of a record (WF-1); the history from which paused time is derived (WF-3)."""

    transition = models.CharField(max_length=60)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


class TimerState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Met")  # stopped before its deadline (the work was done in time)
    BREACHED = "breached", _("Breached")  # the deadline passed and the breach action ran
    CANCELLED = "cancelled", _("Cancelled")


class Timer(Target):
    """A durable deadline (WF-2): computed on a calendar from a typed policy duration.

    The sweep reads only rows whose `next_check_at` has come (partial index on running timers), so
    its cost grows with the due timers, not with all pending ones.
    """

    name = models.CharField(max_length=80)
    policy_key = models.CharField(max_length=100)
    policy_version = models.IntegerField(null=True, blank=True)
    rule = models.CharField(max_length=20, blank=True)
    calendar = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField()
    due_at = models.DateTimeField()
    warn_at = models.DateTimeField(null=True, blank=True)
    warned_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=20, choices=TimerState.choices, default=TimerState.RUNNING)
    paused_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_check_at"], name="timer_due_running", condition=models.Q(state="running")
            ),
            models.Index(fields=["content_type", "object_id", "name"]),
        ]
        constraints = [
            # one live timer of a name per record: starting it twice must not double the deadlines
            models.UniqueConstraint(
                fields=["content_type", "object_id", "name"],
                name="one_live_timer_per_name",
                condition=models.Q(state__in=["running", "paused"]),
            ),
        ]

    def __str__(self):
        return f"{self.name} due {self.due_at:%Y-%m-%d %H:%M}"


class Escalation(Target):
    """A record raised to a level of an escalation chain (WF-6); skipped levels are listed and notified."""

    chain = models.CharField(max_length=60)
    level = models.IntegerField()
    level_name = models.CharField(max_length=60)
    skipped = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    automatic = models.BooleanField(default=False)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.chain} → {self.level_name}"


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ApprovalRequest(Target):
    """One run of a declared approval chain for a record (WF-4)."""

    chain = models.CharField(max_length=60)
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    inputs = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                name="one_pending_approval_per_record",
                condition=models.Q(status="pending"),
            ),
        ]

    def __str__(self):
        return f"{self.chain} ({self.status})"


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Not reached yet")  # a later step, not yet reached
    PENDING = "pending", _("Pending approval")  # the approvers' turn
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalStep(models.Model):
    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    index = models.IntegerField()
    name = models.CharField(max_length=60)
    label_zh = models.CharField(max_length=100)
    label_en = models.CharField(max_length=100)
    approvers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")  # resolved when chosen
    deadline_key = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=20, choices=StepStatus.choices, default=StepStatus.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["request", "index"]
        constraints = [models.UniqueConstraint(fields=["request", "index"], name="one_step_per_index")]

    def __str__(self):
        return f"{self.request.chain} #{self.index} {self.name}"
