"""Policy documents (制度, DOC-1): a policy of an issuing unit kept as numbered versions — each with its
effective date and body text, never edited (a change is a new version, which supersedes the one before).
Each version is distributed to the staff of the issuing unit and below, one `Reading` per person, who
acknowledges having read it; a `Reminder` row per person and day is the claim that makes the daily
reminder go out once, whichever worker sends it."""

from django.conf import settings
from django.db import models


class Policy(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")  # 发文单位
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "title"], name="documents_policy_once")]

    def __str__(self) -> str:
        return self.title


class PolicyVersion(models.Model):
    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    effective_on = models.DateField()
    body = models.TextField()
    note = models.CharField(max_length=300, blank=True)  # what changed
    source = models.CharField(max_length=200, blank=True)  # the imported file, if any
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="documents_version_once")]

    def __str__(self) -> str:
        return f"{self.policy} V{self.number}"


class Reading(models.Model):
    """A version distributed to one person, and their acknowledgement."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="readings")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "employee"], name="documents_reading_once")]
        indexes = [models.Index(fields=["employee", "acknowledged_at"], name="documents_reading_emp")]

    def __str__(self) -> str:
        return f"{self.version} → {self.employee_id}"


class Reminder(models.Model):
    """One reminder to one person on one day (the unique pair is the claim: once a day at most)."""

    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()
    pending = models.PositiveIntegerField()  # how many versions were still to acknowledge

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "day"], name="documents_reminder_once")]

    def __str__(self) -> str:
        return f"{self.employee_id} {self.day}"
