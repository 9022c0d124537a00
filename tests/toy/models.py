"""A toy record type that exists only in the test suite: it drives every engine part through time."""

from django.db import models


class Ticket(models.Model):
    title = models.CharField(max_length=100, blank=True)
    answer = models.TextField(blank=True)
    state = models.CharField(max_length=20, default="draft")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    compensation = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    def __str__(self):
        return self.title or f"ticket {self.pk}"
