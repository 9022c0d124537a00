"""The complaint-surge detector's records (EMG-5 "客户投诉量激增", seed 002): a `Surge` is an alert raised
when a subsidiary's complaints or 报修 in the pack's window reach the threshold and the factor over the
baseline. At most one surge per subsidiary and case family is ongoing (`ended_at` empty): a database
constraint, so two workers sweeping at once raise one alert. The cases counted are linked (drill-down).

The incident opened from a surge (EMG-4) is linked by the incidents module: it adds a nullable
`incident` foreign key to `Surge` in its own migration (nothing here depends on incidents)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

FAMILY_WORDS = {"complaint": "投诉", "repair": "报修"}


class Surge(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", help_text="the subsidiary"
    )
    family = models.CharField(max_length=20, help_text="the case family counted (complaint, repair)")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField(help_text="when it was detected: the window is [start, end]")
    window_minutes = models.PositiveIntegerField()
    count = models.PositiveIntegerField(help_text="cases in the window when detected")
    baseline = models.DecimalField(max_digits=10, decimal_places=2, help_text="average of the earlier days")
    baseline_days = models.PositiveIntegerField()
    factor = models.DecimalField(max_digits=6, decimal_places=2)
    threshold = models.PositiveIntegerField(help_text="the pack's minimum number of cases")
    threshold_case = models.ForeignKey("cases.Case", null=True, on_delete=models.SET_NULL, related_name="+")
    detected_at = models.DateTimeField()
    peak = models.PositiveIntegerField(help_text="the highest count seen while it went on")
    ended_at = models.DateTimeField(null=True, blank=True, help_text="when the window fell below the trigger")
    alerts = models.PositiveIntegerField(default=0)
    last_alert_at = models.DateTimeField(null=True, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True, help_text="empty once acknowledged")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cases = models.ManyToManyField("cases.Case", through="SurgeCase", related_name="+")
    # EMG-4: the draft incident the surge opened (one per surge: the surge row is made once)
    incident = models.OneToOneField(
        "emergency.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="surge"
    )

    class Meta:
        ordering = ["-detected_at", "-pk"]
        constraints = [
            # EMG-5: one ongoing surge per subsidiary and family — the database settles two workers
            models.UniqueConstraint(
                fields=["unit", "family"], condition=Q(ended_at__isnull=True), name="emergency_surge_ongoing"
            )
        ]
        indexes = [
            # the sweep's repeat: only the unacknowledged surges, never the history
            models.Index(
                fields=["next_alert_at"], condition=Q(next_alert_at__isnull=False), name="emergency_surge_due"
            ),
            models.Index(fields=["unit", "-detected_at"]),
        ]

    def __str__(self):
        # shown as the object's name (audit log): in words, not codes
        return f"{FAMILY_WORDS.get(self.family, self.family)}激增 #{self.pk}"

    def get_absolute_url(self):
        return f"/emergency/surges/{self.pk}/"


class SurgeCase(models.Model):
    """A case counted in the surge's window when it was detected (drill-down)."""

    surge = models.ForeignKey(Surge, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["surge", "case"], name="emergency_surge_case_once")]

    def __str__(self):
        return f"{self.surge_id}:{self.case_id}"
