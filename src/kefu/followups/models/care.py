"""Customer care (CARE-1…CARE-3): festival and birthday greetings, holiday gift lists, cultural events.

A greeting campaign greets the customers a rule picks (`queries.audiences`) for one occasion of one
subsidiary: a festival of a year, or the birthdays of a year. It runs in the worker in key-set batches
with a checkpoint; each greeting is one `GreetingDelivery` (UNIQUE campaign + customer) written with its
outbound message in the batch's transaction, so a killed batch leaves nothing half-done. A gift list
holds the gifts for one holiday, each within `care.gift_max`, approved before the holiday. An event is a
cultural exchange (two days, usually Saturday and Sunday) with its invitations, answers and attendance.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Occasion(models.TextChoices):
    CHUNJIE = "chunjie", _("Spring Festival")
    YUANXIAO = "yuanxiao", _("Lantern Festival")
    QINGMING = "qingming", _("Qingming Festival")
    DUANWU = "duanwu", _("Dragon Boat Festival")
    ZHONGQIU = "zhongqiu", _("Mid-Autumn Festival")
    BIRTHDAY = "birthday", _("Birthdays")


class GreetingChannel(models.TextChoices):
    EMAIL = "email", _("By e-mail")
    SMS = "sms", _("Text message")
    CALL = "call", _("Phone call by an employee")
    VISIT = "visit", _("Visit by an employee")


class GreetingState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Done")


class GreetingCampaign(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    year = models.PositiveSmallIntegerField()
    occasion_on = models.DateField(null=True, blank=True, help_text="the festival's day (none for birthdays)")
    title = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=GreetingChannel.choices)
    audience = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=120, blank=True)
    message = models.TextField(help_text="{客户姓名} (or {name}) is replaced by the customer's name")
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    caller = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=GreetingState.choices, default=GreetingState.PLANNED)
    checkpoint = models.BigIntegerField(default=0, help_text="the last customer key the batch finished")
    seed = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "occasion", "year"], name="followups_one_greeting_campaign"
            )
        ]
        indexes = [models.Index(fields=["state", "occasion_on"], name="followups_campaign_due")]

    def __str__(self) -> str:
        return self.title


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("Message queued")
    TO_CALL = "to_call", _("To call or visit")
    DONE = "done", _("Called or visited")
    FAILED = "failed", _("Could not be sent")


class Verdict(models.TextChoices):
    PENDING = "", _("Not yet due")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSED = "missed", _("Missed")


class GreetingDelivery(models.Model):
    campaign = models.ForeignKey(GreetingCampaign, on_delete=models.PROTECT, related_name="deliveries")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    occasion_on = models.DateField()
    state = models.CharField(max_length=10, choices=DeliveryState.choices)
    message = models.ForeignKey(
        "outbound.OutboundMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    failure = models.CharField(max_length=50, blank=True, help_text="the refusal's code")
    verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True, default="")
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "customer"], name="followups_one_greeting_each")
        ]
        indexes = [models.Index(fields=["campaign", "verdict", "occasion_on"], name="followups_greeting_due")]

    def __str__(self) -> str:
        return f"慰问 {self.pk}"


class GiftListState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned for changes")


class GiftList(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    year = models.PositiveSmallIntegerField()
    occasion_on = models.DateField()
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=GiftListState.choices, default=GiftListState.DRAFT)
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "occasion", "year"], name="followups_one_gift_list")
        ]

    def __str__(self) -> str:
        return self.title


class GiftReceipt(models.TextChoices):
    NONE = "", _("Not confirmed")
    RECEIVED = "received", _("Gift received")
    RETURNED = "returned", _("Gift returned")


class GiftItem(models.Model):
    gift_list = models.ForeignKey(GiftList, on_delete=models.CASCADE, related_name="items")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    gift = models.CharField(max_length=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    receipt = models.CharField(max_length=10, choices=GiftReceipt.choices, blank=True, default="")
    receipt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["gift_list", "customer"], name="followups_one_gift_each"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="followups_gift_price_positive"),
        ]

    def __str__(self) -> str:
        return self.gift


class EventState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class CareEvent(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    place = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    audience = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=EventState.choices, default=EventState.PLANNED)
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["unit", "starts_on"], name="followups_event_month")]

    def __str__(self) -> str:
        return self.title


class Rsvp(models.TextChoices):
    NONE = "", _("No answer yet")
    YES = "yes", _("Will attend")
    NO = "no", _("Will not attend")


class Invitation(models.Model):
    event = models.ForeignKey(CareEvent, on_delete=models.CASCADE, related_name="invitations")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="+")
    rsvp = models.CharField(max_length=5, choices=Rsvp.choices, blank=True, default="")
    rsvp_at = models.DateTimeField(null=True, blank=True)
    rsvp_by_customer = models.BooleanField(default=False)
    attended = models.BooleanField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "customer"], name="followups_one_invitation_each")
        ]

    def __str__(self) -> str:
        return f"邀请 {self.pk}"


class EventGap(models.Model):
    """CARE-3: a month in which a subsidiary held no cultural-exchange event (flagged once)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="the first day of the month")
    flagged_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="followups_one_gap_per_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} 无文化交流活动"
