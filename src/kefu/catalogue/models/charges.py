"""Charges on a case (PRC-1, seed 004: "不准乱收费"): each one names the catalogue item and the price
version in effect on the day it was charged; the amount is that version's price times the quantity."""

from django.conf import settings
from django.db import models


class CaseCharge(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey("catalogue.ServiceItem", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("catalogue.PriceVersion", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    charged_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["case_id", "created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="catalogue_charges_of_case")]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"
