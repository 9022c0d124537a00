"""Fee quotes for plan-drafting services (FEE-1, 003 · 应急预案编制取费标准): a numbered quote with its
lines and payment schedule, amounts in 元 as decimals with two places."""

from django.conf import settings
from django.db import models


class Quote(models.Model):
    number = models.CharField(max_length=30, unique=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    client = models.CharField(max_length=100)
    headcount = models.PositiveIntegerField()
    table_version = models.CharField(max_length=20)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.number


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    order = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=30)
    label = models.CharField(max_length=100)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class QuotePayment(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="payments")
    order = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=50)
    percent = models.DecimalField(max_digits=5, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label
