"""QC groups (QC-1): a group with its leader, members and topic, working in PDCA stages; the topic
registered with 综合部; its activities; the flags the monthly check raises and the leader's
explanation that clears them."""

from django.conf import settings
from django.db import models


class Stage(models.TextChoices):
    PLAN = "plan", "计划"
    DO = "do", "实施"
    CHECK = "check", "检查"
    ACT = "act", "处理"


class Registration(models.TextChoices):
    NONE = "none", "未注册"
    REQUESTED = "requested", "待综合部登记"
    REGISTERED = "registered", "已注册登记"


class QcGroup(models.Model):
    name = models.CharField(max_length=100)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    leader = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    members = models.ManyToManyField("org.Employee", blank=True, related_name="qc_groups")
    topic = models.CharField(max_length=200)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    registration = models.CharField(max_length=20, choices=Registration.choices, default=Registration.NONE)
    registration_number = models.CharField(max_length=40, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["unit", "registration"], name="quality_qcgroup_unit")]

    def __str__(self) -> str:
        return self.name


class ActivityKind(models.TextChoices):
    MEETING = "meeting", "小组会议"
    ANALYSIS = "analysis", "现状调查与原因分析"
    MEASURE = "measure", "对策实施"
    REVIEW = "review", "效果检查与总结"


class QcActivity(models.Model):
    group = models.ForeignKey(QcGroup, on_delete=models.CASCADE, related_name="activities")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    stage = models.CharField(max_length=10, choices=Stage.choices)
    minutes = models.TextField()
    result = models.TextField(blank=True)
    attendees = models.ManyToManyField("org.Employee", blank=True, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["group", "day"], name="quality_qcactivity_day")]

    def __str__(self) -> str:
        return f"{self.group} {self.day:%Y-%m-%d}"


class FlagKind(models.TextChoices):
    MONTHLY = "monthly", "当月活动次数不足"
    INACTIVE = "inactive", "停止活动超过规定期限"


class QcFlag(models.Model):
    """Raised once per group, kind and period (a month "2026-10", or the day the inactivity began)."""

    group = models.ForeignKey(QcGroup, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    period = models.CharField(max_length=20)
    raised_at = models.DateTimeField()
    explanation = models.TextField(blank=True)
    explained_at = models.DateTimeField(null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "kind", "period"], name="quality_qcflag_once")
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.get_kind_display()} {self.period}"
