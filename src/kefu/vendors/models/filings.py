"""Vendor filings (VEN-1, seed 000 中通外包客服备案流程): an outsourced customer-service company files with the
subsidiary it serves ("外包公司或机构在进行客服业务外包前,需要向相关部门进行备案登记").

draft → submitted (every required material attached) → supplement (a reviewer asked for more, with a reason
and a deadline) → submitted again when answered, or returned when the deadline passes unanswered → approved
(a certificate with a unique number) or rejected. An approved filing reports periodically ("定期向…报送经营
情况、财务报表等") and is inspected ("定期进行检查"); a report missing past its deadline and grace lapses the
filing (its certificate 失效); a later report reinstates it only through review.

The contact person's name and phone are personal data: encrypted (SEC-1). Materials are stored sealed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from kefu.core.crypto import EncryptedTextField


class FilingStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    SUPPLEMENT = "supplement", "待补充材料"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已备案"
    REJECTED = "rejected", "未通过"
    LAPSED = "lapsed", "已失效"


EDITABLE = (FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.SUPPLEMENT)


class MaterialKind(models.TextChoices):
    """The materials the seed lists (三、备案要求 and 二、1. 提交备案申请)."""

    LICENCE = "licence", "营业执照"
    CAPITAL = "capital", "注册资本证明"
    APPLICANT_ID = "applicant_id", "申请人身份证明"
    CONTRACT = "contract", "服务合同"
    SECURITY = "security", "信息安全管理措施"
    CREDIT = "credit", "信用证明"


class Filing(models.Model):
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", help_text="the subsidiary served"
    )
    name = models.CharField(max_length=200)
    credit_code = models.CharField(max_length=18, help_text="统一社会信用代码")
    registered_capital = models.DecimalField(max_digits=16, decimal_places=2, help_text="元")
    contact_name = EncryptedTextField(blank=True)  # SEC-1
    contact_phone = EncryptedTextField(blank=True)  # SEC-1
    status = models.CharField(max_length=12, choices=FilingStatus.choices, default=FilingStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reject_reason = models.CharField(max_length=1000, blank=True)
    approved_on = models.DateField(null=True, blank=True, help_text="first day of the reporting periods")
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # one filing per vendor and subsidiary: a second one is a mistake, not a new vendor
            models.UniqueConstraint(fields=["unit", "credit_code"], name="vendors_filing_once"),
            models.CheckConstraint(condition=Q(registered_capital__gte=0), name="vendors_filing_capital"),
        ]
        indexes = [models.Index(fields=["unit", "status"], name="vendors_filing_unit")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"/vendors/{self.pk}/"


class Supplement(models.Model):
    """A reviewer's request for more (审核过程中…会要求补充或修改相应内容): a written reason, the materials
    wanted and a deadline; answered by the vendor's side, or expired — once — by the clock."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="supplements")
    reason = models.CharField(max_length=1000)
    kinds = models.JSONField(default=list, blank=True, help_text="material kinds wanted")
    due_at = models.DateTimeField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_note = models.CharField(max_length=1000, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filing"],
                condition=Q(answered_at__isnull=True, expired_at__isnull=True),
                name="vendors_supplement_open",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(answered_at__isnull=True, expired_at__isnull=True),
                name="vendors_supplement_due",
            )
        ]

    def __str__(self) -> str:
        return self.reason[:40]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.expired_at is None


class Material(models.Model):
    """One material file, stored sealed (SEC-1) under a random name; the type sniffed from its bytes."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(max_length=20, choices=MaterialKind.choices)
    file = models.FileField(upload_to="vendors/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    supplement = models.ForeignKey(
        Supplement, null=True, blank=True, on_delete=models.SET_NULL, related_name="materials"
    )

    class Meta:
        ordering = ["kind", "at", "pk"]

    def __str__(self) -> str:
        return self.name


class Certificate(models.Model):
    """The filing certificate (备案证书): numbered from its own key (no shared counter row is locked)."""

    filing = models.ForeignKey(Filing, on_delete=models.PROTECT, related_name="certificates")
    number = models.CharField(max_length=30)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lapsed_at = models.DateTimeField(null=True, blank=True)
    lapse_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="vendors_certificate_number"),
            models.UniqueConstraint(
                fields=["filing"], condition=Q(lapsed_at__isnull=True), name="vendors_certificate_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def valid(self) -> bool:
        return self.lapsed_at is None


class ReportDue(models.Model):
    """A reporting period of an approved filing and the day its report is due."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="dues")
    seq = models.PositiveIntegerField()
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    lapse_after = models.DateField(help_text="the last day of grace; the filing lapses the day after")
    submitted_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["filing", "seq"], name="vendors_reportdue_once")]
        indexes = [
            models.Index(
                fields=["lapse_after"],
                condition=Q(submitted_at__isnull=True, lapsed_at__isnull=True),
                name="vendors_reportdue_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


class ReportReview(models.TextChoices):
    ON_TIME = "on_time", "按期报送"
    PENDING = "pending", "逾期报送，待审核"
    REINSTATED = "reinstated", "审核通过，备案已恢复"
    REFUSED = "refused", "审核未通过，备案仍失效"


class Report(models.Model):
    """A periodic report (经营情况、财务报表): a written account of the period and its revenue in 元."""

    due = models.OneToOneField(ReportDue, on_delete=models.CASCADE, related_name="report")
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="reports")
    summary = models.TextField()
    revenue = models.DecimalField(max_digits=16, decimal_places=2, help_text="元")
    staff_count = models.PositiveIntegerField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    review = models.CharField(max_length=12, choices=ReportReview.choices, default=ReportReview.ON_TIME)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(revenue__gte=0), name="vendors_report_revenue")]

    def __str__(self) -> str:
        return f"{self.filing_id} · {self.due_id}"


class InspectionResult(models.TextChoices):
    PASSED = "passed", "合格"
    RECTIFY = "rectify", "限期整改"
    FAILED = "failed", "不合格"


class Inspection(models.Model):
    """A scheduled inspection of an approved filing (相关部门会对备案企业进行监管,并定期进行检查)."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="inspections")
    seq = models.PositiveIntegerField()
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(max_length=10, choices=InspectionResult.choices, blank=True)
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["filing", "seq"], name="vendors_inspection_once")]

    def __str__(self) -> str:
        return f"{self.filing_id} #{self.seq}"


class VendorReminder(models.Model):
    """One reminder sent by the daily job, by its key: the unique key sends it once, even with two workers."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.key
