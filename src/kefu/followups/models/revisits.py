"""Revisits (FUP-1, FUP-2): plans per subsidiary, the revisit task a plan creates, and its attempts.

A plan says when a subsidiary revisits: after the resolution of chosen case kinds, after every
complaint, or periodically by customer tier (the pack's `followups.revisit_<tier>_every`). A task is
one revisit owed to a customer, assigned to a 回访专员 of the subsidiary by load, with a due timer on
the office calendar. Each call is an attempt (the fields of 《回访记录表》): when, whom, the outcome
and the customer's words. A task ends 已回访 (satisfied or not) or 未回访 after the last unreachable
try (`followups.unreachable_retries`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    RESOLUTION = "resolution", _("After resolution")
    COMPLAINT = "complaint", _("After every complaint")
    PERIODIC = "periodic", _("Periodic by customer tier")
    ARRIVAL = "arrival", _("Arrival follow-up after shipment")


class RevisitPlan(models.Model):
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="revisit_plans")
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    kinds = models.JSONField(default=list, blank=True, help_text="case kind codes (after resolution)")
    tier = models.CharField(max_length=20, blank=True, help_text="customer tier (periodic)")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey("auth.User", on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "trigger", "tier"], name="followups_one_plan_per_trigger")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_trigger_display()}"


class TaskState(models.TextChoices):
    OPEN = "open", _("To revisit")
    DONE = "done", _("Revisited")
    UNREACHED = "unreached", _("Not revisited (unreachable)")


class Outcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")
    UNREACHABLE = "unreachable", _("Unreachable")


class RevisitTask(models.Model):
    plan = models.ForeignKey(
        RevisitPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )  # None for a campaign's task
    campaign = models.ForeignKey(
        "followups.RevisitCampaign", on_delete=models.PROTECT, null=True, blank=True, related_name="tasks"
    )
    slot = models.DateField(null=True, blank=True, help_text="the periodic run's day (one task per customer)")
    reference = models.CharField(max_length=100, blank=True, help_text="shipment reference (arrival)")
    shipped_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    assignee = models.ForeignKey(
        "org.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="revisit_tasks"
    )
    state = models.CharField(max_length=20, choices=TaskState.choices, default=TaskState.OPEN)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    due_at = models.DateTimeField()
    unreachable_count = models.PositiveSmallIntegerField(default=0)
    next_try_at = models.DateTimeField(null=True, blank=True)
    follow_up_case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # one open revisit per case: a case resolved twice (reopened) gets a new one only after
            # the first ended
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(state="open"),
                name="followups_one_open_task_per_case",
            ),
            # a periodic run re-run (or run twice at once) opens nothing twice: the database refuses
            models.UniqueConstraint(
                fields=["plan", "customer", "slot"],
                condition=models.Q(slot__isnull=False),
                name="followups_one_periodic_task_per_run_day",
            ),
            # a campaign revisits each customer once
            models.UniqueConstraint(
                fields=["campaign", "customer"],
                condition=models.Q(campaign__isnull=False),
                name="followups_one_task_per_campaign_customer",
            ),
            # an ERP that sends a shipment twice opens one arrival revisit
            models.UniqueConstraint(
                fields=["plan", "customer", "reference"],
                condition=~models.Q(reference=""),
                name="followups_one_arrival_task_per_shipment",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "state", "due_at"], name="followups_queue"),
            models.Index(fields=["unit", "created_at"], name="followups_task_month"),
        ]

    def __str__(self) -> str:
        return f"回访 {self.pk}"


class RevisitAttempt(models.Model):
    """One line of 《回访记录表》: 回访时间, 回访对象, 回访方式, 回访结果, 客户意见, 回访人."""

    class Method(models.TextChoices):
        PHONE = "phone", _("By phone")
        EMAIL = "email", _("By e-mail")
        TEXT = "text", _("Text message")
        VISIT = "visit", _("Visit")

    task = models.ForeignKey(RevisitTask, on_delete=models.PROTECT, related_name="attempts")
    at = models.DateTimeField()
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.PHONE)
    third_party = models.BooleanField(default=False, help_text="spoke with somebody other than the customer")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    words = models.TextField(blank=True, help_text="the customer's words (客户意见)")
    by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"回访记录 {self.pk}"
