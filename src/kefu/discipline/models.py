"""The discipline ledger (DIS-1): penalty proposals that HR confirms or rejects.

The offence catalogue (kinds, ladders, measures) is declared in `catalogue.py`; a proposal stores the
offence code, its occurrence number on the ladder, the measure and amount that followed from the
policy pack at the time, and the rule and clause that justify it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Measure(models.TextChoices):
    FINE = "fine", _("Fine (罚款)")
    WARNING = "warning", _("Warning (警告)")
    DEMERIT = "demerit", _("Demerit (记过)")
    TRANSFER = "transfer", _("Transfer (调岗)")
    DISMISSAL = "dismissal", _("Dismissal (辞退/除名)")
    BONUS_DEDUCTION = "bonus_deduction", _("Bonus deduction (扣除当月奖金)")
    LIABILITY = "liability", _("Liability record (承担相应责任)")
    COMMENDATION = "commendation", _("Commendation and reward (表彰奖励)")


class ProposalKind(models.TextChoices):
    """A proposal is a penalty, or (APR-1) a reward for the outstanding; HR confirms either alike."""

    PENALTY = "penalty", _("Penalty (处罚)")
    REWARD = "reward", _("Reward (奖励)")


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting HR (待人力确认)")
    CONFIRMED = "confirmed", _("Confirmed (已确认)")
    REJECTED = "rejected", _("Rejected (已驳回)")


class PenaltyProposal(models.Model):
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="penalties")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=ProposalKind.choices, default=ProposalKind.PENALTY)
    offence = models.CharField(max_length=40)
    occurrence = models.PositiveIntegerField(default=1)
    quantity = models.PositiveIntegerField(default=1, help_text="customers concerned (per-customer fines)")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    evidence = models.TextField()
    rule = models.CharField(max_length=20)
    clause = models.TextField(blank=True)
    policy_version = models.IntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    source_type = models.CharField(max_length=100, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        indexes = [
            models.Index(fields=["employee", "offence", "status"]),
            models.Index(fields=["status", "unit"]),
        ]

    def __str__(self):
        return f"{self.employee} · {self.offence} #{self.occurrence}"
