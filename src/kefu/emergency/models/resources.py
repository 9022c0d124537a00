"""Emergency resources (RES-1): the register of phones, first-aid kits, extinguishers, lighting, spare
equipment and emergency stock — where each is, how many, who keeps it, when it is next inspected and
when it expires — with its inspections and stock movements."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ResourceKind(models.TextChoices):
    PHONE = "phone", _("Emergency phone")
    FIRST_AID = "first_aid", _("First-aid kit")
    EXTINGUISHER = "extinguisher", _("Fire extinguisher")
    LIGHTING = "lighting", _("Emergency lighting")
    SPARE = "spare", _("Spare equipment")
    STOCK = "stock", _("Emergency stock")


class Resource(models.Model):
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    name = models.CharField(max_length=100)
    location = models.CharField(max_length=200)
    quantity = models.PositiveIntegerField(default=0)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    site = models.ForeignKey("org.Site", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    custodian = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    inspect_every_days = models.PositiveSmallIntegerField()
    next_inspection = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    # once-only flags of the sweep: a reminder / an overdue or expired flag is sent once per due date
    inspection_reminded_for = models.DateField(null=True, blank=True)
    inspection_overdue_for = models.DateField(null=True, blank=True)
    expiry_reminded_for = models.DateField(null=True, blank=True)
    expired_flagged_for = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(quantity__gte=0), name="emergency_res_qty")]
        indexes = [
            models.Index(fields=["next_inspection"], name="emergency_res_due"),
            models.Index(fields=["expires_on"], name="emergency_res_expiry"),
        ]

    def __str__(self) -> str:
        return self.name


class InspectionResult(models.TextChoices):
    OK = "ok", _("In good order")
    FIXED = "fixed", _("Fixed on the spot")
    FAULTY = "faulty", _("Faulty, to be replaced")


class ResourceInspection(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="inspections")
    inspected_by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    inspected_on = models.DateField()
    result = models.CharField(max_length=10, choices=InspectionResult.choices)
    note = models.CharField(max_length=500, blank=True)
    next_due = models.DateField()
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.resource} {self.inspected_on}"


class Movement(models.Model):
    class Kind(models.TextChoices):
        ISSUE = "issue", _("Issue")
        RESTOCK = "restock", _("Restock")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = models.PositiveIntegerField()
    balance = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.resource} {self.kind} {self.amount}"
