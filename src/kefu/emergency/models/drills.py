"""Emergency drills (DRL-1, seed 003 "每年至少进行一次应急演练", "每次应急演练后，要对应急预案的执行情况进行
评估"): a drill of a plan — the version drilled, the unit, when and where, the scenario and the organiser — goes
scheduled → held → evaluated (or is cancelled with a reason before it is held). When held, the version's
steps are copied with their timings and results and the participants are recorded (attended or not);
every held drill is evaluated (score, grade, text); corrective actions have an owner and a due date and
are tracked to closure (an action may also open a plan revision task). The reminders of the daily job are
sent once each (`DrillReminder`: one row per reminder key, unique)."""

from django.conf import settings
from django.db import models


class DrillStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已计划"
    HELD = "held", "待评估"
    EVALUATED = "evaluated", "已评估"
    CANCELLED = "cancelled", "已取消"


class DrillGrade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class StepResult(models.TextChoices):
    OK = "ok", "顺利完成"
    PROBLEM = "problem", "发现问题"


class Drill(models.Model):
    plan = models.ForeignKey("emergency.Plan", on_delete=models.PROTECT, related_name="drills")
    version = models.ForeignKey("emergency.PlanVersion", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    scheduled_for = models.DateTimeField()
    scenario = models.CharField(max_length=300)
    place = models.CharField(max_length=200)
    organiser = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=DrillStatus.choices, default=DrillStatus.SCHEDULED)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)  # 0–100
    grade = models.CharField(max_length=12, choices=DrillGrade.choices, blank=True)
    evaluation = models.TextField(blank=True)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    evaluated_by = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["plan", "status"], name="emergency_drill_plan"),
            models.Index(fields=["status", "scheduled_for"], name="emergency_drill_due"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} 演练 {self.scheduled_for:%Y-%m-%d}"


class DrillParticipant(models.Model):
    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="participants")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    attended = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["drill", "employee"], name="emergency_drillparticipant_once")
        ]

    def __str__(self) -> str:
        return f"{self.drill_id} {self.employee_id}"


class DrillStep(models.Model):
    """A step of the drilled version, copied when the drill is held, with its timing and result."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    text = models.TextField()
    slot = models.CharField(max_length=60, blank=True)
    time_limit_minutes = models.PositiveIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    result = models.CharField(max_length=10, choices=StepResult.choices, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["drill", "position"], name="emergency_drillstep_once")]
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.drill_id}.{self.position}"


class DrillAction(models.Model):
    """A corrective action found by a drill: tracked to closure; open past its due date it is overdue."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    revision = models.ForeignKey(
        "emergency.RevisionTask", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closing_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["closed_at", "due_on"], name="emergency_drillaction_open")]

    def __str__(self) -> str:
        return self.text[:40]


class DrillReminder(models.Model):
    """One reminder sent by the daily job, by its key (e.g. "upcoming:12:2026-03-05T02:00"): the unique
    key makes each reminder go out once, even with two workers at the same moment."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
