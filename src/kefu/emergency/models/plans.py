"""Emergency plans (EMG-1, EMG-3, EMG-6): a plan per type and unit (a subsidiary or one of its sites),
kept as numbered versions. A version carries its effective date, its 密级, the confidential full text
(encrypted at rest, readable only by the roles the version names), the staff runbook card, the ordered
checklist steps that incidents copy, and the powers (which role slots may activate, set the level,
publish to customers/the public, lift). Each version is distributed to the staff of the unit, each
person acknowledging it; revision tasks have an owner and a due date."""

from django.conf import settings
from django.db import models

from kefu.core.crypto import EncryptedTextField


class PlanType(models.TextChoices):
    """EMG-6: the types shipped as templates (seeds 002 客服应急预案, 003 客户服务应急预案)."""

    SYSTEM_FAILURE = "system_failure", "网络故障/客服系统故障"
    DATA_LEAK = "data_leak", "客户信息泄露或被恶意攻击"
    COMPLAINT_SURGE = "complaint_surge", "客户投诉量激增"
    STAFF_ILLNESS = "staff_illness", "客服人员突发疾病或紧急事务"
    NATURAL_DISASTER = "natural_disaster", "自然灾害"
    PUBLIC_SECURITY = "public_security", "社会安全事件"
    EQUIPMENT_FAILURE = "equipment_failure", "设备故障"
    CASUALTIES = "casualties", "人员伤亡"
    FIRE = "fire", "火灾"
    OUTAGE = "outage", "水灾及停水停电停气"
    FOOD_POISONING = "food_poisoning", "食物中毒"
    CRIME = "crime", "发现正在实施的犯罪"
    SUSPICIOUS_OBJECT = "suspicious_object", "发现可疑、爆炸物品"
    LOST_PROPERTY = "lost_property", "发现项目客户遗留物品"
    INJURED_CUSTOMER = "injured_customer", "售楼中心客户受伤或生病"
    DELIVERY_VEHICLE = "delivery_vehicle", "送货车辆故障"
    SEVERE_WEATHER = "severe_weather", "阴恶性天气变化"
    QUALITY_PROBLEM = "quality_problem", "巨大服务质量问题"
    EMERGENCY_ORDER = "emergency_order", "客户突发性产品需求（应急订单）"


class Confidentiality(models.TextChoices):
    """密级 of the full text (the runbook card is for all staff of the unit)."""

    INTERNAL = "internal", "内部"
    SECRET = "secret", "秘密"
    CONFIDENTIAL = "confidential", "机密"


class Power(models.TextChoices):
    """EMG-3: what a role slot may do with an incident under this plan."""

    ACTIVATE = "activate", "启动应急响应"
    SET_LEVEL = "set_level", "确定响应级别"
    PUBLISH = "publish", "对客户/公众发布信息"
    LIFT = "lift", "解除应急状态"


class Plan(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    plan_type = models.CharField(max_length=30, choices=PlanType.choices)
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "plan_type", "title"], name="emergency_plan_once")
        ]
        indexes = [models.Index(fields=["unit", "plan_type"], name="emergency_plan_unit")]

    def __str__(self) -> str:
        return self.title


class PlanVersion(models.Model):
    """One version of a plan; never changed once made (a change is a new version)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    effective_on = models.DateField()
    confidentiality = models.CharField(max_length=20, choices=Confidentiality.choices)
    full_text = EncryptedTextField()
    reader_roles = models.JSONField(default=list)  # org role codes that may read the full text
    runbook = models.TextField()
    powers = models.JSONField(default=dict)  # power → [role slot keys] (EMG-3)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="emergency_planversion_once")]

    def __str__(self) -> str:
        return f"{self.plan} V{self.number}"


class PlanStep(models.Model):
    """A checklist step of a version (incidents copy them): the step, the role slot responsible and
    the time limit where the seed gives one."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    text = models.TextField()
    slot = models.CharField(max_length=60, blank=True)  # a role slot key, e.g. "command.director"
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=300, blank=True)  # the seed quoted, or empty: 本系统默认值

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="emergency_planstep_once")
        ]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:30]}"


class Distribution(models.Model):
    """A version sent to one person, and their acknowledgement (EMG-1)."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="distribution")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    reminders = models.PositiveIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "employee"], name="emergency_distribution_once")
        ]
        indexes = [models.Index(fields=["employee", "acknowledged_at"], name="emergency_distribution_emp")]

    def __str__(self) -> str:
        return f"{self.version} → {self.employee_id}"


class RevisionReason(models.TextChoices):
    ON_DEMAND = "on_demand", "按需修订"
    DRILL = "drill", "演练后修订"
    INCIDENT = "incident", "突发事件后修订"
    ANNUAL = "annual", "年度评审修订"


class RevisionTask(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="revisions")
    reason = models.CharField(max_length=20, choices=RevisionReason.choices, default=RevisionReason.ON_DEMAND)
    description = models.TextField()
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_version = models.ForeignKey(
        PlanVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["plan", "done_at"], name="emergency_revision_open")]

    def __str__(self) -> str:
        return self.description[:40]
