"""The daily weather bulletin (WX-1, "每日查询本地区三日内天气预报", 003 · LHJ002 4.2.3): forecasts per
unit and locality and day, and one bulletin per unit and day that the duty person checks and publishes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Forecast(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    locality = models.CharField(max_length=50)
    day = models.DateField()
    weather = models.CharField(max_length=50)
    temp_low = models.SmallIntegerField()
    temp_high = models.SmallIntegerField()
    wind = models.CharField(max_length=50, blank=True)
    warning = models.CharField(max_length=100, blank=True)
    severe = models.BooleanField(default=False)
    source = models.CharField(max_length=30)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "locality", "day"], name="emergency_forecast_once")
        ]

    def __str__(self) -> str:
        return f"{self.locality} {self.day} {self.weather}"


class BulletinState(models.TextChoices):
    OPEN = "open", _("To check")
    PUBLISHED = "published", _("Published")


class Bulletin(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    state = models.CharField(max_length=10, choices=BulletinState.choices, default=BulletinState.OPEN)
    opened_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    severe = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="emergency_bulletin_once")]

    def __str__(self) -> str:
        return f"{self.unit} {self.day}"
