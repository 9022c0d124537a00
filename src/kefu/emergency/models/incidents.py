"""Incidents (EMG-4, EMG-5 triggers): an emergency at a subsidiary or one of its sites, timed from its
occurrence — reported → triaged → activated → responding → recovered → lifted → reviewed → archived.

The response must be activated within the pack's `emergency.activate_within` after the occurrence
("应急管理人员应在紧急事件发生后30分钟内启动应急响应", seed 003): `activate_by` is fixed when reported; a
late activation or the sweep finding none by then records the breach once (`breached_at`, a guarded
update). Activation copies the plan version's checklist into `IncidentTask`s (unique per position: a
second activation cannot copy twice). The timeline (`IncidentEvent`) is what the command-centre page
reads. Resources used (RES-1), staffing and channel changes and customer notices hang off the incident.
An incident comes from a manual report, a complaint surge (the surge links it: `Surge.incident`) or a
case ("升级为突发事件"; one incident per case). The description is plain text: no customer personal data
is copied into it (the case stays the place for that)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kefu.emergency.models.plans import PlanType


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", "已报告"
    TRIAGED = "triaged", "已研判"
    ACTIVATED = "activated", "已启动响应"
    RESPONDING = "responding", "处置中"
    RECOVERED = "recovered", "已恢复"
    LIFTED = "lifted", "已解除"
    REVIEWED = "reviewed", "已复盘"
    ARCHIVED = "archived", "已归档"


OPEN_STATUSES = (
    IncidentStatus.REPORTED,
    IncidentStatus.TRIAGED,
    IncidentStatus.ACTIVATED,
    IncidentStatus.RESPONDING,
    IncidentStatus.RECOVERED,
)


class IncidentSource(models.TextChoices):
    MANUAL = "manual", "人工报告"
    SURGE = "surge", "投诉激增检测"
    CASE = "case", "工单升级"


class Incident(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    plan_type = models.CharField(max_length=30, choices=PlanType.choices)
    plan = models.ForeignKey(
        "emergency.Plan", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    plan_version = models.ForeignKey(
        "emergency.PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200, blank=True)
    scope = models.CharField(max_length=300, blank=True, help_text="who and what is affected")
    description = models.TextField(blank=True)
    occurred_at = models.DateTimeField()
    detected_at = models.DateTimeField()
    reported_at = models.DateTimeField()
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=10, choices=IncidentSource.choices, default=IncidentSource.MANUAL)
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.CharField(max_length=10, blank=True, help_text="a level code of the unit's subsidiary")
    level_name = models.CharField(max_length=50, blank=True)
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED)
    # EMG-4: the activation clock, from the occurrence
    activate_by = models.DateTimeField()
    activate_clause = models.CharField(max_length=300, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_late = models.BooleanField(default=False)
    breached_at = models.DateTimeField(null=True, blank=True, help_text="when the breach was recorded")
    # recovery, lifting, review, archive
    recovered_at = models.DateTimeField(null=True, blank=True)
    recovery_report = models.TextField(blank=True)
    impact = models.TextField(blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cause = models.TextField(blank=True)
    prevention = models.TextField(blank=True)
    lessons = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # the command centre's alert, repeated until acknowledged (like the surge alert)
    alert_kind = models.CharField(max_length=20, blank=True)
    alerts = models.PositiveIntegerField(default=0)
    last_alert_at = models.DateTimeField(null=True, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True, help_text="empty once acknowledged")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            # EMG-5: a case is raised to one incident (two clicks, two tabs: one incident)
            models.UniqueConstraint(
                fields=["case"], condition=Q(case__isnull=False), name="emergency_incident_case"
            ),
            models.CheckConstraint(
                condition=Q(occurred_at__lte=models.F("detected_at"))
                & Q(detected_at__lte=models.F("reported_at")),
                name="emergency_incident_times",
            ),
        ]
        indexes = [
            # the breach sweep: only incidents not activated and not yet recorded as breached
            models.Index(
                fields=["activate_by"],
                condition=Q(activated_at__isnull=True, breached_at__isnull=True),
                name="emergency_incident_clock",
            ),
            # the alert repeat: only the unacknowledged
            models.Index(
                fields=["next_alert_at"],
                condition=Q(next_alert_at__isnull=False),
                name="emergency_incident_due",
            ),
            models.Index(fields=["unit", "status"], name="emergency_incident_unit"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/emergency/incidents/{self.pk}/"


class IncidentTask(models.Model):
    """A checklist item copied from the plan version's steps at activation."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    position = models.PositiveIntegerField()
    text = models.TextField()
    slot = models.CharField(max_length=60, blank=True)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)
    assignee = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "position"], name="emergency_incidenttask_once")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:30]}"


class IncidentEvent(models.Model):
    """The incident's timeline: every step, who, when, what."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=30)
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["incident", "-at"], name="emergency_incidentevent_at")]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%H:%M}"


class IncidentResource(models.Model):
    """An emergency resource (RES-1) used in the response, with the quantity."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="resources_used")
    resource = models.ForeignKey("emergency.Resource", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="emergency_incidentres_qty")]

    def __str__(self) -> str:
        return f"{self.resource_id} × {self.quantity}"


class ChangeKind(models.TextChoices):
    STAFFING = "staffing", "人员调配"
    CHANNEL = "channel", "渠道调整（热线语音提示等）"


class IncidentChange(models.Model):
    """A staffing change (extra seats) or a channel change (an IVR or hotline notice) while responding."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    text = models.CharField(max_length=500)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.text[:40]


class NoticeAudience(models.TextChoices):
    CUSTOMERS = "customers", "客户"
    PUBLIC = "public", "公众"


class IncidentNotice(models.Model):
    """A notice to customers or the public — published only by a role slot with the plan's `publish`."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="notices")
    audience = models.CharField(max_length=10, choices=NoticeAudience.choices)
    text = models.TextField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return self.text[:40]


class IncidentPhoto(models.Model):
    """A photo of the scene (EMG-4: "reported from a phone … photos"), stored sealed (SEC-1)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to="emergency/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name
