"""The customer archive (CUS-1, CUS-2, SEC-1…SEC-3): customers and their key persons.

Phones, ID / credit codes, addresses, emergency contacts and key persons' e-mail addresses are
encrypted at rest; the `*_index` columns hold a keyed hash of the normalised value for exact lookup
(duplicates, 报备 pre-check).
Every classification dimension of CUS-2 is its own field — they are never merged into one "type".
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.crypto import EncryptedTextField


class CustomerKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class Tier(models.TextChoices):
    """CUS-2 tier with its owner rule: 战略→集团高层, 重点→子公司负责人/相关部门, 普通→销售/客户经理."""

    STRATEGIC = "strategic", _("Strategic (战略)")
    KEY = "key", _("Key (重点)")
    NORMAL = "normal", _("Normal (普通)")


class AudienceCategory(models.TextChoices):
    A = "A", _("A · company customer (公司客户)")
    B = "B", _("B · partner (合作单位)")
    C = "C", _("C · supervisory / industry authority (社会监督及行业管理部门)")
    D = "D", _("D · employee family (员工家属)")


class Novelty(models.TextChoices):
    NEW = "new", _("New customer (新客户)")
    IMPORTANT = "important", _("Important customer (重要客户)")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


class LifecycleStage(models.TextChoices):
    EXPANSION = "expansion", _("Expansion (拓展)")
    MAINTENANCE = "maintenance", _("Maintenance (维护)")
    RECOVERY = "recovery", _("Recovery (挽回)")
    VALUE = "value", _("Value management (价值管理)")


class Confidentiality(models.TextChoices):
    """SEC-3 密级; NONE after declassification."""

    NONE = "none", _("Not classified")
    SECRET = "secret", _("Secret (秘密)")
    CONFIDENTIAL = "confidential", _("Confidential (机密)")
    TOP_SECRET = "top_secret", _("Top secret (绝密)")


class AssignmentState(models.TextChoices):
    """CUS-7: unassigned → assigned (first-contact timer running) → contacted."""

    UNASSIGNED = "unassigned", _("Unassigned")
    ASSIGNED = "assigned", _("Assigned, awaiting first contact")
    CONTACTED = "contacted", _("Contacted")


class Customer(models.Model):
    kind = models.CharField(max_length=20, choices=CustomerKind.choices, default=CustomerKind.PERSON)
    name = models.CharField(max_length=200, db_index=True)
    # personal data, encrypted (SEC-1), with blind indexes for exact lookup
    phone = EncryptedTextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    id_number = EncryptedTextField(blank=True, help_text="身份证号 or 统一社会信用代码")
    id_index = models.CharField(max_length=64, blank=True, db_index=True)
    address = EncryptedTextField(blank=True)
    emergency_contact = EncryptedTextField(blank=True)
    # CUS-1 field groups
    gender = models.CharField(max_length=10, blank=True)
    birthday = models.DateField(null=True, blank=True)
    position = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True, db_index=True)
    region = models.CharField(max_length=100, blank=True)
    industry = models.CharField(max_length=100, blank=True)
    size = models.CharField(max_length=50, blank=True)
    assets = models.CharField(max_length=100, blank=True)
    founded_on = models.DateField(null=True, blank=True)
    first_trade_on = models.DateField(null=True, blank=True)
    qualifications = models.TextField(blank=True)
    needs = models.TextField(blank=True, help_text="products / services needed")
    source = models.CharField(max_length=100, blank=True)
    contact_window = models.CharField(max_length=50, blank=True, help_text="e.g. 12:00–14:00")
    no_third_party_contact = models.BooleanField(default=False)
    consent_external = models.BooleanField(
        default=False, help_text="may be shared outside the company (SEC-5)"
    )
    consent_marketing = models.BooleanField(default=False)
    # where it sits and who looks after it (data scope, ORG-3)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="customers")
    owner = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="customers"
    )
    # CUS-2 classification, each dimension separate
    tier = models.CharField(max_length=20, choices=Tier.choices, default=Tier.NORMAL)
    audience = models.CharField(max_length=1, choices=AudienceCategory.choices, default=AudienceCategory.A)
    family_of = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="family_customers",
        help_text="category D: the 转正 employee",
    )
    novelty = models.CharField(max_length=20, choices=Novelty.choices, default=Novelty.NEW)
    credit_class = models.PositiveSmallIntegerField(null=True, blank=True)
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    stage = models.CharField(max_length=20, choices=LifecycleStage.choices, default=LifecycleStage.EXPANSION)
    at_risk = models.BooleanField(default=False)
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.SECRET
    )
    confidential_until = models.DateField(null=True, blank=True)
    # CUS-2 grade input: the yearly business amount graded by the configured GradeStandard
    annual_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    # CUS-3: the basic archive was declared complete (refused while fields are missing)
    archived_complete_at = models.DateTimeField(null=True, blank=True)
    # CUS-7: the assigned specialist and the first-contact workflow state
    specialist = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_customers",
    )
    assignment_state = models.CharField(
        max_length=20, choices=AssignmentState.choices, default=AssignmentState.UNASSIGNED
    )
    last_contact_at = models.DateTimeField(null=True, blank=True)
    # bookkeeping
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    policy_version = models.IntegerField(null=True, blank=True)
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # CUS-6: set when this (retired) duplicate was merged into another customer; its claims stay here
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_customers"
    )

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "owner"]),
            models.Index(fields=["specialist"]),
            # the list of live customers, newest-changed first (issue 13): a page without sorting the
            # archive for a reader who sees every unit; the units of a narrower scope, or one's own customers
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(destroyed_at__isnull=True),
                name="customers_live_recent",
            ),
            models.Index(fields=["unit", "destroyed_at", "-updated_at", "-id"], name="customers_unit_recent"),
            models.Index(
                fields=["owner", "destroyed_at", "-updated_at", "-id"], name="customers_owner_recent"
            ),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A key person (关键人物) at an organisation customer, or another contact of a person (CUS-1)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=100)
    position = models.CharField(max_length=100, blank=True)
    phone = EncryptedTextField(blank=True)
    phone_index = models.CharField(max_length=64, blank=True, db_index=True)
    email = EncryptedTextField(blank=True)  # SEC-1; never searched, so no blind index
    birthday = models.DateField(null=True, blank=True)
    is_key_person = models.BooleanField(default=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["customer", "-is_key_person", "name"]

    def __str__(self):
        return self.name


class GradeStandard(models.Model):
    """CUS-2 客户分类管理标准: a customer whose annual amount reaches `min_annual_amount` gets `grade`.

    The highest threshold reached wins; below every threshold the lowest grade applies. Configured by
    administrators in the admin; the defaults (A ≥ 1 000 000 元, B ≥ 100 000 元, C below) come from
    migration 0004 and are not taken from the seeds.
    """

    grade = models.CharField(max_length=1, choices=Grade.choices, unique=True)
    min_annual_amount = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-min_annual_amount"]

    def __str__(self):
        return f"{self.grade} ≥ {self.min_annual_amount}"


class CustomerChange(models.Model):
    """Field-level history (CUS-4). Encrypted fields are stored as keyed fingerprints, never in clear."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=50)
    old = models.TextField(blank=True)
    new = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    request = models.ForeignKey(
        "ChangeRequest", null=True, blank=True, on_delete=models.SET_NULL, related_name="applied"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["customer", "changed_at"])]

    def __str__(self):
        return f"{self.customer_id} · {self.field}"


class ChangeRequestState(models.TextChoices):
    PENDING = "pending", _("Pending verification")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ChangeRequest(models.Model):
    """CUS-4: a change proposed by sales/marketing, verified by the info officer.

    The proposed values may hold personal data, so they are kept encrypted (JSON inside an
    EncryptedTextField); `fields` lists only the names, for display and search.
    """

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="change_requests")
    fields = models.JSONField(default=list)
    payload = EncryptedTextField()
    reason = models.TextField(blank=True)
    state = models.CharField(
        max_length=20, choices=ChangeRequestState.choices, default=ChangeRequestState.PENDING
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self):
        return f"{self.customer} · {', '.join(self.fields)}"


class ContactRecord(models.Model):
    """A recorded contact with the customer (CUS-7 备案; shown on the timeline, CUS-9)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contact_records")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.customer_id} · {self.at:%Y-%m-%d}"


class SpecialistSkill(models.Model):
    """CUS-7 业务能力: an industry (所属行业) a specialist knows; assignment prefers, among the people with
    the customer's industry, the one with the fewest customers ("负责客户数量均衡、兼顾业务能力")."""

    employee = models.ForeignKey("org.Employee", on_delete=models.CASCADE, related_name="customer_skills")
    industry = models.CharField(max_length=100)
    added_at = models.DateTimeField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["employee", "industry"]
        constraints = [
            models.UniqueConstraint(fields=["employee", "industry"], name="customers_one_skill_each")
        ]
        indexes = [models.Index(fields=["industry"])]

    def __str__(self):
        return f"{self.employee_id} · {self.industry}"
