"""Shifts and the rota (WFM-1): shift templates per team (早/中/晚 and custom, a shift may cross
midnight), the rota of a team for a period, and each person's shifts in it.

A rota goes draft → feedback (staff comment) → final → published; only a published rota says who is
on shift. `RotaShift` holds the concrete instants (aware datetimes), so a night shift from 22:00 to
06:00 is one row, and "who is on shift at t" is one indexed range query.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ShiftTemplate(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="shift_templates")
    code = models.CharField(max_length=20, help_text="early / middle / night or a custom code")
    name = models.CharField(max_length=50)
    starts = models.TimeField()
    ends = models.TimeField(help_text="at or before `starts`: the shift ends the next day")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="workforce_template_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def crosses_midnight(self) -> bool:
        return self.ends <= self.starts


class RotaState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FEEDBACK = "feedback", _("Staff feedback")
    FINAL = "final", _("Final")
    PUBLISHED = "published", _("Published")


class Rota(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="rotas")
    starts_on = models.DateField()
    ends_on = models.DateField()
    state = models.CharField(max_length=20, choices=RotaState.choices, default=RotaState.DRAFT)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    gaps = models.JSONField(default=list, blank=True, help_text="the draft's uncovered needs")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="workforce_rota_period"
            ),
        ]
        indexes = [models.Index(fields=["unit", "state", "starts_on"], name="workforce_rota_unit")]

    def __str__(self) -> str:
        return f"{self.unit} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"


class RotaShift(models.Model):
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="shifts")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="rota_shifts")
    template = models.ForeignKey(
        ShiftTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    called_in = models.BooleanField(default=False, help_text="emergency call-in")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="workforce_shift_span"
            ),
            models.UniqueConstraint(
                fields=["rota", "employee", "starts_at"], name="workforce_one_shift_start"
            ),
        ]
        indexes = [models.Index(fields=["employee", "starts_at"], name="workforce_shift_employee")]

    def __str__(self) -> str:
        return f"{self.employee} {self.starts_at:%Y-%m-%d %H:%M}"
