"""Handover (HO-1): for rest, opened half an hour before the end of a published shift ("下班前半小时");
a temporary handover 10–30 minutes ahead, opened by hand. The leaver's open cases, open revisit tasks
and running clocks are listed as its items; both parties confirm; a post left uncovered flags both;
liability is recorded per person (omission → the one handing over, mistake in taking over → the
receiver)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HandoverKind(models.TextChoices):
    REST = "rest", _("Handover for rest")
    TEMPORARY = "temporary", _("Temporary handover")


class HandoverState(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Handed over")
    UNCOVERED = "uncovered", _("Post left uncovered")


class Handover(models.Model):
    kind = models.CharField(max_length=20, choices=HandoverKind.choices)
    state = models.CharField(max_length=20, choices=HandoverState.choices, default=HandoverState.OPEN)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    leaver = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="handovers_given")
    receiver = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="handovers_taken"
    )
    shift = models.OneToOneField(
        "workforce.RotaShift", on_delete=models.CASCADE, null=True, blank=True, related_name="handover"
    )
    leaves_at = models.DateTimeField(help_text="when the leaver leaves the post")
    opened_at = models.DateTimeField()
    leaver_confirmed_at = models.DateTimeField(null=True, blank=True)
    receiver_confirmed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "leaves_at"], name="workforce_handover_due")]

    def __str__(self) -> str:
        return f"{self.leaver} {self.leaves_at:%Y-%m-%d %H:%M}"


class ItemKind(models.TextChoices):
    CASE = "case", _("Case")
    REVISIT = "revisit", _("Revisit task")
    CLOCK = "clock", _("Running clock")


class HandoverItem(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=ItemKind.choices)
    object_id = models.BigIntegerField()
    label = models.CharField(max_length=200)
    due_at = models.DateTimeField(null=True, blank=True)
    carried = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["handover", "kind", "object_id"], name="workforce_item_once")
        ]

    def __str__(self) -> str:
        return self.label


class LiabilityKind(models.TextChoices):
    OMISSION = "omission", _("Omission in handing over")
    TAKEOVER = "takeover", _("Mistake in taking over")
    UNCOVERED = "uncovered", _("Post left uncovered")


class HandoverLiability(models.Model):
    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="liabilities")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=LiabilityKind.choices)
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"{self.employee} {self.kind}"
