"""Revisit campaigns (FUP-1): a named revisit drive of a subsidiary for a period. The customers are
chosen by an audience rule (`queries.audiences`); launching opens one revisit task each, assigned to
the 回访组 by load. 《回访总结报告》 counts the campaign's tasks (and, per month, every revisit). A campaign
may repeat every N months (CSAT-1's periodic samples): each period is a campaign of its own, linked to
the one before (one successor each, enforced by the database)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    LAUNCHING = "launching", _("Launching")
    LAUNCHED = "launched", _("Launched")


class RevisitCampaign(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="revisit_campaigns")
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()
    rule = models.JSONField(default=dict, blank=True, help_text="audience rule (queries.audiences)")
    state = models.CharField(max_length=20, choices=CampaignState.choices, default=CampaignState.PLANNED)
    checkpoint = models.BigIntegerField(
        default=0, help_text="the last customer key opened (a resumed launch)"
    )
    opened = models.PositiveIntegerField(default=0)
    every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="repeats every N months with a fresh sample (blank: once)"
    )
    previous = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="next_period"
    )
    launched_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="followups_campaign_name_per_unit"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="followups_campaign_period"
            ),
        ]

    def __str__(self) -> str:
        return self.name
