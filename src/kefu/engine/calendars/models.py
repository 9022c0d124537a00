"""Work calendars (CAL-1) and the official holiday schedules imported per year (CAL-3).

No logic here: the arithmetic lives in `engine.py`, reads in `api.py`/`queries.py`, writes in
`actions.py`.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# What a page shows for a calendar's time zone (the IANA name stays in the data and the API).
TIME_ZONE_LABELS = {"Asia/Shanghai": _("China Standard Time (Asia/Shanghai)")}


def new_revision() -> str:
    """A fresh random revision: cached calendar definitions are valid while it is unchanged."""
    return uuid.uuid4().hex


class Weekday(models.IntegerChoices):
    MON = 0, _("Monday")
    TUE = 1, _("Tuesday")
    WED = 2, _("Wednesday")
    THU = 3, _("Thursday")
    FRI = 4, _("Friday")
    SAT = 5, _("Saturday")
    SUN = 6, _("Sunday")


class Calendar(models.Model):
    """A named work calendar: weekly windows, optional statutory holidays and 调休, overrides."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    time_zone = models.CharField(max_length=64, default="Asia/Shanghai")
    follows_statutory_holidays = models.BooleanField(default=False)
    revision = models.CharField(max_length=32, default=new_revision, editable=False)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def time_zone_label(self) -> str:
        return str(TIME_ZONE_LABELS.get(self.time_zone, self.time_zone))


class CalendarWindow(models.Model):
    """One working window of a weekday, in the calendar's local time. `end` 00:00 means 24:00."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="windows")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start = models.TimeField()
    end = models.TimeField()

    class Meta:
        ordering = ["calendar", "weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weekday__lte=6), name="calendar_window_weekday_0_6"),
        ]

    def __str__(self):
        end = "24:00" if self.end.hour == 0 and self.end.minute == 0 else self.end.strftime("%H:%M")
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{end}"


class OverrideKind(models.TextChoices):
    CLOSED = "closed", _("Closed")
    WORKDAY = "workday", _("Extra workday")


class CalendarOverride(models.Model):
    """A date of one calendar that differs from its rules: company closure or extra workday.

    An extra workday uses that weekday's windows, or Monday's when the weekday has none.
    """

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="overrides")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=OverrideKind.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="one_override_per_day")]

    def __str__(self):
        return f"{self.calendar.code} {self.date} {self.get_kind_display()}"


class HolidayYear(models.Model):
    """The official holiday and 调休 schedule of one year, imported by an administrator (CAL-3)."""

    year = models.PositiveSmallIntegerField(unique=True)
    source = models.CharField(max_length=50, default="import")
    note = models.CharField(max_length=200, blank=True)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=32, default=new_revision, editable=False)

    class Meta:
        ordering = ["year"]

    def __str__(self):
        return f"{self.year} ({self.source})"


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up workday")


class HolidayDay(models.Model):
    holiday_year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days")
    date = models.DateField(unique=True)
    kind = models.CharField(max_length=20, choices=DayKind.choices)
    name = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.kind} {self.name}"
