"""Attendance (ATT-1): one row per person and day with the clock-in and clock-out (web tap or a
time-clock import), and the flags the check against the published rota raises: late, absent, record
missing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    WEB = "web", _("Web clock-in")
    IMPORT = "import", _("Time-clock import")


class AttendanceRecord(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="attendance")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    clock_in = models.DateTimeField(null=True, blank=True)
    clock_out = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["employee", "day"], name="workforce_attendance_day")]
        indexes = [models.Index(fields=["unit", "day"], name="workforce_attendance_unit")]

    def __str__(self) -> str:
        return f"{self.employee} {self.day:%Y-%m-%d}"


class FlagKind(models.TextChoices):
    LATE = "late", _("Late")
    ABSENT = "absent", _("Absent")
    MISSING = "missing", _("Record missing")


class AttendanceFlag(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    shift = models.ForeignKey("workforce.RotaShift", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=FlagKind.choices)
    minutes = models.IntegerField(default=0)
    raised_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["shift", "kind"], name="workforce_attendance_flag_once")
        ]
        indexes = [models.Index(fields=["unit", "day"], name="workforce_flag_unit")]

    def __str__(self) -> str:
        return f"{self.employee} {self.day:%Y-%m-%d} {self.kind}"


class DailyMeeting(models.Model):
    """ATT-1 每日例会 ("准时开会。时间:8:00-8:30。内容:解决前一天的问题,制定新一天的工作…"): one per team
    and day, with when it started and ended and what it covered; minutes late or over the window (pack
    attendance.daily_meeting_start / _end) are kept and explained by a decision record."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    topics = models.TextField()
    late_minutes = models.PositiveIntegerField(default=0)
    over_minutes = models.PositiveIntegerField(default=0)
    recorded_by = models.ForeignKey("auth.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="workforce_one_meeting_a_day")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day:%Y-%m-%d} 例会"

    @property
    def on_time(self) -> bool:
        return not (self.late_minutes or self.over_minutes)
