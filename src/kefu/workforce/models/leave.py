"""Rest and leave (LV-1…LV-6): a person's request with its period, reason, work arrangement and
substitute; the paid-rest quota row that serialises one person's requests; the supervisor's manual
availability override stays in cases (`Availability`), read together with rota and leave.

A request covers [starts_at, ends_at) (aware instants); `days` is its length in days (half days
allowed), the number LV-3 chooses the approver by. `paid_days` is what it takes from the LV-4 quota
(working days of a paid rest). `handed_over_at` is set once its deadline-bearing work has moved (LV-5).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LeaveKind(models.TextChoices):
    REST = "rest", _("Paid rest")
    LEAVE = "leave", _("Leave")


class LeaveState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


class LeaveRequest(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="leave_requests")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=LeaveKind.choices, default=LeaveKind.REST)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    days = models.DecimalField(max_digits=5, decimal_places=1)
    paid_days = models.DecimalField(max_digits=5, decimal_places=1, default=0)
    reason = models.CharField(max_length=500)
    arrangement = models.CharField(max_length=500, help_text="how the work is covered (LV-1)")
    substitute = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="substitutions"
    )
    state = models.CharField(max_length=20, choices=LeaveState.choices, default=LeaveState.PENDING)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "auth.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handed_over_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="workforce_leave_span"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "starts_at", "ends_at"], name="workforce_leave_period"),
            models.Index(fields=["employee", "starts_at"], name="workforce_leave_employee"),
            # availability at t (LV-5): the person's approved leave not yet over, a handful of rows,
            # read from the index alone (starts_at in it: no table row per leave, issue 15 bench)
            models.Index(
                fields=["employee", "ends_at", "starts_at"],
                condition=models.Q(state="approved"),
                name="workforce_leave_covers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.starts_at:%Y-%m-%d}"


class LeaveQuota(models.Model):
    """One row per person and year: locked (select_for_update) while a request is checked against the
    LV-4 quota, so two parallel requests of one person never both take the last day; nobody else waits."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "year"], name="workforce_quota_year")]

    def __str__(self) -> str:
        return f"{self.employee} {self.year}"
