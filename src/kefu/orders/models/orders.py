"""Orders (ORD-1, seed 001 · 线上客服 2.1–2.7): an order of a customer with its lines from the catalogue
(PRC-1, each at the price version in effect), the amount, the customer's confirmation, the finance gate
("经财务核实确定客户打款后"), the shipment with its carrier and the carrier's phone ("告知客户及配送公司的联系
方式(最好能确定快递师傅的电话)"), the arrival revisit, returns and exchanges. Amounts in 元, two places."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kefu.core.crypto import EncryptedTextField


class OrderState(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("Awaiting the customer's confirmation")
    AWAITING_FINANCE = "awaiting_finance", _("Awaiting finance")
    RELEASED = "released", _("Released for shipment")
    SHIPPED = "shipped", _("Shipped")
    RETURNED = "returned", _("Goods returned")
    CANCELLED = "cancelled", _("Cancelled")


class PaymentMethod(models.TextChoices):
    TRANSFER = "transfer", _("Bank transfer")
    CASH = "cash", _("Cash")
    CARD = "card", _("Card")
    ONLINE = "online", _("Online payment")


class ReturnKind(models.TextChoices):
    RETURN = "return", _("Return of goods")
    EXCHANGE = "exchange", _("Exchange")


class Order(models.Model):
    number = models.CharField(max_length=30)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        max_length=30, choices=OrderState.choices, default=OrderState.AWAITING_CONFIRMATION
    )
    total = models.DecimalField(max_digits=12, decimal_places=2)
    paid = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    note = models.CharField(max_length=500, blank=True)
    payment_method = models.CharField(max_length=20, choices=PaymentMethod.choices, blank=True)
    confirmation_note = models.CharField(max_length=500, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    shipped_at = models.DateTimeField(null=True, blank=True)
    shipped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    carrier = models.CharField(max_length=50, blank=True)
    carrier_phone = EncryptedTextField(blank=True)  # the courier's phone: personal data, sealed
    tracking = models.CharField(max_length=50, blank=True)
    notice = models.CharField(max_length=200, blank=True, help_text="how the customer was told")
    revisit = models.ForeignKey(
        "followups.RevisitTask", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["number"], name="orders_number_unique"),
            models.CheckConstraint(
                condition=models.Q(refunded__lte=models.F("paid")), name="orders_refund_not_above_paid"
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "created_at"], name="orders_of_customer"),
            models.Index(fields=["state", "created_at"], name="orders_by_state"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField()
    item = models.ForeignKey("catalogue.ServiceItem", on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey("catalogue.PriceVersion", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=100)
    measure = models.CharField(max_length=10)
    quantity = models.PositiveIntegerField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["order_id", "position"]

    def __str__(self) -> str:
        return f"{self.name} × {self.quantity}"


class OrderReturn(models.Model):
    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="returns")
    kind = models.CharField(max_length=10, choices=ReturnKind.choices)
    reason = models.CharField(max_length=500)
    refund = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order_id", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order} 退换"


class Stock(models.Model):
    """The goods on hand of a catalogue item; an item without a stock row is a service (not counted)."""

    item = models.OneToOneField("catalogue.ServiceItem", on_delete=models.PROTECT, related_name="+")
    on_hand = models.IntegerField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(on_hand__gte=0), name="orders_stock_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.on_hand}"
