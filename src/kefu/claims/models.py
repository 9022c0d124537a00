"""报备 (CLM-1…CLM-12): claims on customers, disputes, customer choices, deals, process reports and
the group's daily registration submissions.

CLM-4 is enforced by the database: a partial unique index allows at most one *live* claim (state
live or disputed) per customer, and another per phone blind index, so two registrations of the same
new phone that each create a customer still produce exactly one claim.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.crypto import EncryptedTextField


class ClaimKind(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in prospect (到店咨询意向客户)")
    DEPOSIT = "deposit", _("Deposit paid (已缴纳定金)")


class ClaimState(models.TextChoices):
    LIVE = "live", _("Protected (保护中)")
    EXPIRED = "expired", _("Expired (已过期)")
    RELEASED = "released", _("Released (已释放)")
    SIGNED = "signed", _("Signed (已签单)")
    INVALID = "invalid", _("Invalid (无效)")
    DISPUTED = "disputed", _("Disputed (撞单争议中)")


LIVE_STATES = (ClaimState.LIVE, ClaimState.DISPUTED)


class Claim(models.Model):
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="claims")
    # the customer's name as the registrant gave it (CLM-2): what a reader who may not see the archive
    # record is shown instead of it (issue 10: a phone never reveals the archive's customer)
    registered_name = models.CharField(max_length=200, blank=True)
    phone_index = models.CharField(max_length=64, blank=True)
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="claims")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(max_length=20, choices=ClaimKind.choices, default=ClaimKind.WALK_IN)
    state = models.CharField(max_length=20, choices=ClaimState.choices, default=ClaimState.LIVE)
    registered_at = models.DateTimeField()
    protected_until = models.DateTimeField()
    deposit_at = models.DateTimeField(null=True, blank=True)
    policy_version = models.IntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    # CLM-10: when the owner is reminded of the coming expiry; cleared once the reminder is sent
    remind_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-registered_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(state__in=["live", "disputed"]),
                name="claims_one_live_per_customer",
            ),
            models.UniqueConstraint(
                fields=["phone_index"],
                condition=Q(state__in=["live", "disputed"]) & ~Q(phone_index=""),
                name="claims_one_live_per_phone",
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["customer", "state"]),
            models.Index(
                fields=["remind_at"], condition=Q(remind_at__isnull=False), name="claims_remind_due"
            ),
        ]

    def __str__(self):
        return f"报备 #{self.pk} · {self.registered_name or self.customer}"

    def get_absolute_url(self):
        return f"/claims/{self.pk}/"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES


class CustomerChoice(models.Model):
    """CLM-5: after a claim expired while its former owner still follows up, the customer chooses."""

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="claim_choices")
    chosen = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    evidence = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    used_by = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(used_by__isnull=True), name="claims_one_open_choice"
            )
        ]

    def __str__(self):
        return f"客户选择 #{self.pk}"


class DisputeOutcome(models.TextChoices):
    OWNER_UPHELD = "owner_upheld", _("Registered owner keeps the customer (报备人胜)")
    CLAIMANT_WINS = "claimant_wins", _("Claim released to the other party (报备无效)")
    FALSE_REGISTRATION = "false_registration", _("False registration (虚假报备)")


class Dispute(models.Model):
    """CLM-6 撞单: a clash over a claimed customer, with evidence from both sides, ruled by 行政部."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="disputes")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    claimant = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    claimant_registered = models.BooleanField(default=False)
    reason = models.TextField()
    raised_at = models.DateTimeField()
    open = models.BooleanField(default=True)
    outcome = models.CharField(max_length=30, choices=DisputeOutcome.choices, blank=True)
    ruling = models.TextField(blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ruled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim"], condition=Q(open=True), name="claims_one_open_dispute")
        ]

    def __str__(self):
        return f"撞单 #{self.pk}"

    def get_absolute_url(self):
        return f"/claims/disputes/{self.pk}/"


class Evidence(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="evidence")
    party = models.CharField(max_length=20, choices=[("owner", _("Owner")), ("claimant", _("Claimant"))])
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"证据 #{self.pk}"


class Deal(models.Model):
    """CLM-9: a signed deal on a claim; the claim is the basis of the commission split."""

    claim = models.OneToOneField(Claim, on_delete=models.PROTECT, related_name="deal")
    signed_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    agreed_by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=500, blank=True)

    def __str__(self):
        return f"签单 #{self.pk}"


class DealShare(models.Model):
    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="shares")
    employee = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    percent = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["-percent", "pk"]
        constraints = [models.UniqueConstraint(fields=["deal", "employee"], name="claims_one_share_each")]

    def __str__(self):
        return f"{self.employee_id}: {self.percent}%"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted (已提交)")
    VERIFIED = "verified", _("Verified (已审核)")
    ASSIGNED = "assigned", _("Assigned (已分派)")
    FOLLOWING = "following", _("Following up (跟进中)")
    ARCHIVED = "archived", _("Archived (已归档)")
    REJECTED = "rejected", _("Not genuine (审核不通过)")


class ProcessReport(models.Model):
    """CLM-11 客户流程报备表: submit → supervisor verifies → assigns → contact/feedback → archive."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    customer_name = models.CharField(max_length=200)
    contact = EncryptedTextField()
    needs = models.TextField()
    state = models.CharField(max_length=20, choices=ReportState.choices, default=ReportState.SUBMITTED)
    assignee = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    feedback = models.TextField(blank=True)
    review_note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"客户流程报备 #{self.pk} · {self.customer_name}"

    def get_absolute_url(self):
        return f"/claims/reports/{self.pk}/"


class DailySubmission(models.Model):
    """CLM-12 《客户信息登录申请审批表》: one per unit and working day; `none_today` is explicit."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    none_today = models.BooleanField(default=False)
    customers = models.JSONField(default=list, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="claims_one_submission_per_day")]

    def __str__(self):
        return f"{self.unit_id} {self.day}"


class MissingSubmission(models.Model):
    """CLM-12: a unit that submitted nothing for a working day (不得出现瞒报、漏报、谎报)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    flagged_at = models.DateTimeField()

    class Meta:
        ordering = ["-day", "unit"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="claims_one_gap_per_day")]

    def __str__(self):
        return f"{self.unit_id} {self.day} 未报"


class PlanState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval (审批中)")
    APPROVED = "approved", _("Approved (已批准)")
    REJECTED = "rejected", _("Rejected (已驳回)")
    RETURNED = "returned", _("Returned for changes (已退回)")
    SUPERSEDED = "superseded", _("Replaced by a revision (已被修订)")


class SalesPlan(models.Model):
    """CLM-11 销售方案 of a customer-process report ("完成销售方案后,销售或市场部门应将销售方案报备给上级
    领导或相关部门审批,并将报备结果反馈给客户"): each revision is a new version that goes through its own
    approval; only the latest version, once approved, may be told to the customer."""

    report = models.ForeignKey(ProcessReport, on_delete=models.PROTECT, related_name="plans")
    version = models.PositiveSmallIntegerField()
    text = models.TextField()
    author = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=20, choices=PlanState.choices, default=PlanState.PENDING)
    submitted_at = models.DateTimeField()
    told_at = models.DateTimeField(null=True, blank=True)  # the approved plan's result told to the customer

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="claims_one_plan_version"),
            models.UniqueConstraint(
                fields=["report"], condition=Q(state="pending"), name="claims_one_pending_plan"
            ),
        ]

    def __str__(self):
        return f"销售方案 第{self.version}版 · {self.report}"

    def get_absolute_url(self):
        return f"/claims/reports/{self.report_id}/#plans"
