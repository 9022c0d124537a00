"""Service items and their price versions (PRC-1, seed 004: "不得擅自调整服务项目和服务价格").

An item belongs to one subsidiary. Every change — a new item with its first price, a new price, the
withdrawal of the item — is a numbered version proposed by one person and approved by another before its
effective day. Only approved versions ever take effect; the version in effect on a day is the approved one
with the latest effective day not after it (a withdrawal in effect means the item may not be charged).
Amounts are in 元, decimals with two places."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceItem(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=100)
    measure = models.CharField(max_length=10, help_text="计价单位: 次, 项, 件 …")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="catalogue_item_code_unique")]
        ordering = ["unit_id", "code"]

    def __str__(self) -> str:
        return self.name


class ChangeKind(models.TextChoices):
    NEW = "new", _("New service item")
    PRICE = "price", _("Price change")
    WITHDRAW = "withdraw", _("Withdrawal")


class VersionState(models.TextChoices):
    PROPOSED = "proposed", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class PriceVersion(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    effective_on = models.DateField()
    reason = models.TextField()
    state = models.CharField(max_length=10, choices=VersionState.choices, default=VersionState.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalogue_version_number_unique"),
            # two approved changes of one item may not take effect on the same day: one winner
            models.UniqueConstraint(
                fields=["item", "effective_on"],
                condition=models.Q(state="approved"),
                name="catalogue_one_approved_change_per_day",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="withdraw", price__isnull=True)
                | (~models.Q(kind="withdraw") & models.Q(price__gte=0)),
                name="catalogue_price_given_unless_withdrawal",
            ),
        ]
        indexes = [models.Index(fields=["item", "state", "effective_on"], name="catalogue_in_effect")]
        ordering = ["item_id", "-number"]

    def __str__(self) -> str:
        return f"{self.item} 第{self.number}版"
