from django.db import models


class RunStatus(models.TextChoices):
    RUNNING = "running", "running"
    DONE = "done", "done"
    FAILED = "failed", "failed"
    MISSED = "missed", "missed"  # due while no worker ran; a later period caught up instead


class ScheduleRun(models.Model):
    """One period of one schedule: inserted exactly once (unique constraint), by the worker that runs it."""

    schedule = models.CharField(max_length=100)
    period_key = models.CharField(max_length=20)
    due_at = models.DateTimeField()
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["schedule", "due_at"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "period_key"], name="one_run_per_schedule_period")
        ]
        indexes = [models.Index(fields=["schedule", "-due_at"], name="schedules_run_latest")]

    def __str__(self):
        return f"{self.schedule} {self.period_key} {self.status}"
