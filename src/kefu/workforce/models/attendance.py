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
