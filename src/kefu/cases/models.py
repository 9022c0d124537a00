"""Service cases (CASE-1…CASE-8, SLA-1/2, ESC-1, ROUTE-1): one customer matter of any kind, handled
in a closed loop.

A `Case` belongs to a `CaseKind`, configurable per subsidiary; every kind behaves as one of the
built-in families (`Family`), which decides the rules that apply (a complaint needs a closure report,
CASE-4). Contact data given by the customer is encrypted at rest with a blind index (SEC-1), like the
customer archive. Handling facts live in their own tables: transfers (CASE-6), comments and
attachments, closure reports and compensation (CASE-4), cross-department 报备 (CASE-8).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kefu.core.crypto import EncryptedTextField


class Family(models.TextChoices):
    """The built-in case kinds (CASE-1); a subsidiary's own kinds each behave as one of these."""

    CONSULTATION = "consultation", _("Consultation (咨询)")
    COMPLAINT = "complaint", _("Complaint (投诉)")
    SUGGESTION = "suggestion", _("Suggestion (意见建议)")
    FEEDBACK = "feedback", _("Feedback (反馈)")
    HELP_REQUEST = "help_request", _("Help request (求助)")
    REPAIR = "repair", _("Repair (报修)")
    SERVICE_REQUEST = "service_request", _("Service request (业务受理)")
    RESCUE = "rescue", _("24h rescue (救援)")
    INTERNAL_REPORT = "internal_report", _("Internal problem report (咨询问题反馈表)")
    IMPORTANT_EVENT = "important_event", _("Important event (重要事件)")


class Channel(models.TextChoices):
    """CASE-2: how the matter reached us."""

    PHONE = "phone", _("Phone (电话)")
    EMAIL = "email", _("E-mail (邮件)")
    WEB = "web", _("Web form (网页表单)")
    CHAT = "chat", _("Online chat (在线客服)")
    LETTER = "letter", _("Letter (信函)")
    SMS = "sms", _("SMS (短信)")
    WALK_IN = "walk_in", _("Walk-in (来访)")
    API = "api", _("API")


class Priority(models.TextChoices):
    LOW = "low", _("Low (低)")
    NORMAL = "normal", _("Normal (普通)")
    HIGH = "high", _("High (高)")
    URGENT = "urgent", _("Urgent (紧急)")


class CaseKind(models.Model):
    """A kind of case offered by a unit (the group's kinds apply to every subsidiary)."""

    # None: a shipped kind offered everywhere; else the unit (subsidiary) that defines its own
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="case_kinds"
    )
    code = models.SlugField(max_length=50)
    family = models.CharField(max_length=20, choices=Family.choices)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    # extra fields of this kind: [{"name", "label", "type": text|number|date|choice, "required", "choices"}]
    fields = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    ordering = models.PositiveSmallIntegerField(default=100)

    class Meta:
        ordering = ["ordering", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="cases_kind_code_per_unit"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(unit__isnull=True), name="cases_kind_code_shipped"
            ),
        ]

    def __str__(self):
        return self.name


class CaseState(models.TextChoices):
    RECEIVED = "received", _("Received (已受理)")
    CLASSIFIED = "classified", _("Classified (已分类)")
    ROUTED = "routed", _("Routed (已分派)")
    INVESTIGATING = "investigating", _("Investigating (处理中)")
    WAITING = "waiting", _("Waiting for the customer (等待客户)")
    SOLUTION = "solution", _("Solution proposed (已出方案)")
    INFORMED = "informed", _("Customer informed (已答复客户)")
    REVISIT = "revisit", _("Revisit (回访中)")
    CLOSED = "closed", _("Closed (已结案)")
    ARCHIVED = "archived", _("Archived (已归档)")


OPEN_STATES = (
    CaseState.RECEIVED,
    CaseState.CLASSIFIED,
    CaseState.ROUTED,
    CaseState.INVESTIGATING,
    CaseState.WAITING,
    CaseState.SOLUTION,
)


class Office(models.TextChoices):
    """ROUTE-1: front office answers the customer; back office investigates and solves."""

    FRONT = "front", _("Front office (前台)")
    BACK = "back", _("Back office (后台)")


class SkillGroup(models.Model):
    """ROUTE-1: a group of agents who take certain kinds (complaint group, Q&A group, revisit group …)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="skill_groups")
    code = models.SlugField(max_length=50)
    name = models.CharField(max_length=100)
    office = models.CharField(max_length=10, choices=Office.choices, default=Office.FRONT)
    families = models.JSONField(default=list, blank=True, help_text="the case families it takes")
    members = models.ManyToManyField("org.Employee", blank=True, related_name="skill_groups")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="cases_skill_group_code")]

    def __str__(self):
        return self.name

    def family_labels(self) -> list[str]:
        """The families it takes as the reader calls them (咨询, 投诉 …), in Family's order."""
        return [str(label) for code, label in Family.choices if code in self.families]


class Availability(models.Model):
    """ROUTE-1: a supervisor's manual override (with a reason in `note`) of whether an agent takes new
    cases; otherwise the rota and approved leave decide (LV-5, registered by the workforce app)."""

    employee = models.OneToOneField("org.Employee", on_delete=models.CASCADE, related_name="availability")
    available = models.BooleanField(default=True)
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.employee} · {'available' if self.available else 'unavailable'}"


class MemberLoad(models.Model):
    """ROUTE-1 "fewest open cases": how many open cases each member owns, kept by the case actions on
    every change of owner or of open/closed state (`cases.workload`), so routing reads one row per
    candidate instead of counting their cases (issue 11). A member without a row owns none."""

    employee = models.OneToOneField(
        "org.Employee", on_delete=models.CASCADE, primary_key=True, related_name="case_load"
    )
    open_cases = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.employee_id} · {self.open_cases}"


class SatisfactionSource(models.TextChoices):
    """CASE-3: where the customer's answer on satisfaction came from (issue 13: satisfaction is what
    the customer said, recorded with its source). `unreachable` records that nobody could ask them:
    it lets a case close and is never counted as satisfied."""

    STATUS_PAGE = "status_page", _("The customer on the status page")
    SURVEY = "survey", _("Satisfaction survey")
    REVISIT = "revisit", _("Revisit (recorded by staff)")
    UNREACHABLE = "unreachable", _("Revisit: customer unreachable (not counted as satisfied)")


class Case(models.Model):
    # unique through Meta.constraints: no second (LIKE) index on PostgreSQL, unused by the search (issue 11)
    number = models.CharField(max_length=30)
    kind = models.ForeignKey(CaseKind, on_delete=models.PROTECT, related_name="cases")
    family = models.CharField(max_length=20, choices=Family.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    state = models.CharField(max_length=20, choices=CaseState.choices, default=CaseState.RECEIVED)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    extra = models.JSONField(default=dict, blank=True, help_text="values of the kind's own fields")
    category = models.CharField(max_length=100, blank=True, help_text="problem category (CASE-7)")
    product = models.CharField(max_length=100, blank=True, help_text="product or service concerned (CASE-7)")

    # the foreign keys that lead a composite index below get no index of their own: every index is
    # written by each intake (issue 11)
    customer = models.ForeignKey(
        "customers.Customer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    contact_name = models.CharField(max_length=100, blank=True)
    contact_phone = EncryptedTextField(blank=True)
    contact_phone_index = models.CharField(max_length=64, blank=True)
    contact_email = EncryptedTextField(blank=True)
    contact_email_index = models.CharField(max_length=64, blank=True)
    identity_verified = models.BooleanField(default=False)  # CASE-2 "先核实客户身份"
    identity_verified_at = models.DateTimeField(null=True, blank=True)

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="cases", db_index=False)
    skill_group = models.ForeignKey(
        SkillGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases", db_index=False
    )
    owner = models.ForeignKey(
        "org.Employee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_cases",
        db_index=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calendar = models.CharField(max_length=50, default="office")

    received_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField()
    # earliest running deadline of the case (SLA-2): the queue's sort key and the "overdue" filter
    next_due_at = models.DateTimeField(null=True, blank=True)

    solution = models.TextField(blank=True)
    customer_reply = models.TextField(blank=True, help_text="what the customer was told")
    # what the customer said (None: not asked, or unreachable), where and when, who recorded it
    satisfied = models.BooleanField(null=True, blank=True)
    satisfaction_source = models.CharField(max_length=20, choices=SatisfactionSource.choices, blank=True)
    satisfaction_at = models.DateTimeField(null=True, blank=True)
    satisfaction_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer_count = models.PositiveIntegerField(default=0)
    bounce_count = models.PositiveIntegerField(default=0)
    reopen_count = models.PositiveIntegerField(default=0)
    major = models.BooleanField(default=False, help_text="major complaint / major problem (ESC-1)")

    # CASE-5 staff-caused complaint
    staff_caused = models.BooleanField(default=False)
    responsible = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="complaints_against"
    )
    staff_cause = models.CharField(max_length=20, blank=True)  # attitude / skill
    staff_verified = models.BooleanField(null=True, blank=True)  # 查实
    # CASE-7
    root_cause = models.TextField(blank=True)
    corrective_action = models.TextField(blank=True)
    recurrence_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="recurrences"
    )

    # public status page (CASE-2): only a hash of the secret is kept
    public_secret_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["-received_at", "-id"], name="cases_newest_first"),
            models.Index(fields=["unit", "state", "-received_at"]),
            models.Index(fields=["owner", "state"]),
            models.Index(fields=["skill_group", "state"]),
            models.Index(fields=["family", "state"]),
            models.Index(fields=["customer", "-received_at"]),
            models.Index(fields=["contact_phone_index"]),
            models.Index(fields=["next_due_at"], condition=Q(next_due_at__isnull=False), name="cases_due"),
            models.Index(fields=["category", "family", "-received_at"]),
            # the team page's overdue count per member: their overdue cases, not every case they own
            models.Index(
                fields=["owner", "next_due_at"],
                condition=Q(next_due_at__isnull=False),
                name="cases_owner_due",
            ),
            # the team page's most-bounced cases: the few that bounced, not every case in scope (issue 13)
            models.Index(
                fields=["-bounce_count", "-received_at"],
                condition=Q(bounce_count__gt=0),
                name="cases_bounced",
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["number"], name="cases_number_unique")]

    def __str__(self):
        return f"{self.number} · {self.title}"

    def get_absolute_url(self):
        return f"/cases/{self.pk}/"


class IdempotencyKey(models.Model):
    """`Idempotency-Key` of a create request: the same key from the same caller never makes two cases."""

    scope = models.CharField(max_length=100, help_text="who sent it: user id, or 'public:<ip>'")
    key = models.CharField(max_length=200)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="cases_idempotency_once")]

    def __str__(self):
        return self.key


class Transfer(models.Model):
    """CASE-6: every move of a case to another owner or group, with its reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_owner = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_owner = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_group = models.ForeignKey(
        SkillGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_group = models.ForeignKey(
        SkillGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    bounce = models.BooleanField(default=False, help_text="back to a unit or person that had it before")
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["from_unit", "bounce", "at"])]

    def __str__(self):
        return f"{self.case} → {self.to_unit}"


class Comment(models.Model):
    """A note on the case: internal, or a reply to the customer (sent by e-mail when there is an address)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_customer = models.BooleanField(default=False)
    public = models.BooleanField(default=False, help_text="a reply the customer sees")
    body = models.TextField()
    at = models.DateTimeField()
    message_id = models.CharField(max_length=300, blank=True, help_text="e-mail it came in or went out as")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.case} · {self.at:%Y-%m-%d %H:%M}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
    )
    file = models.FileField(upload_to="cases/%Y/%m/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.name


class SolutionType(models.TextChoices):
    """CASE-4 complaint solutions."""

    REPLACE = "replace", _("Replace the product (更换产品)")
    COMPENSATE = "compensate", _("Compensation (赔偿)")
    IMPROVE = "improve", _("Improve the process (改进流程)")
    APOLOGISE = "apologise", _("Apology (道歉)")
    EXPLAIN = "explain", _("Explanation (解释说明)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied (满意)")
    BASIC = "basic", _("Basically satisfied (基本满意)")
    UNSATISFIED = "unsatisfied", _("Not satisfied (不满意)")


class ClosureReport(models.Model):
    """CASE-4 结案报告: solution, time and resources spent, preventive measures, satisfaction."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="closure_report")
    solution_type = models.CharField(max_length=20, choices=SolutionType.choices)
    solution = models.TextField()
    time_spent_minutes = models.PositiveIntegerField()
    resources = models.TextField(blank=True)
    preventive_measures = models.TextField()
    # what the customer said of the solution; blank: not asked yet (never pre-selected, issue 13)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()

    def __str__(self):
        return f"结案报告 · {self.case}"


class CompensationState(models.TextChoices):
    PENDING = "pending", _("Awaiting approval (待审批)")
    APPROVED = "approved", _("Approved (已批准)")
    REJECTED = "rejected", _("Rejected (已驳回)")
    RETURNED = "returned", _("Returned (已退回)")


class Compensation(models.Model):
    """CASE-4: compensation to the customer, paid only once approved (WF-4)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="compensations")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("org.Employee", null=True, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    description = models.CharField(max_length=500)
    state = models.CharField(
        max_length=20, choices=CompensationState.choices, default=CompensationState.PENDING
    )
    requested_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self):
        return f"赔偿 {self.amount} · {self.case}"

    def get_absolute_url(self):
        return f"/cases/{self.case_id}/"


class HandoffState(models.TextChoices):
    SENT = "sent", _("Sent (已报备)")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged (已确认收到)")
    CLARIFYING = "clarifying", _("Clarification asked (待澄清)")
    DEFERRED = "deferred", _("Reason and expected time given (已说明原因与预计时间)")
    SOLVED = "solved", _("Solution given (已给出方案)")
    CLOSED = "closed", _("Closed with report (已结案)")


class Handoff(models.Model):
    """CASE-8 cross-department 报备: the receiving department acknowledges, may ask for clarification,
    gives a solution or the reason and an expected time (the customer is told), and closes with a
    closure report."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="handoffs")
    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="case_handoffs")
    owner = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=20, choices=HandoffState.choices, default=HandoffState.SENT)
    request = models.TextField()
    question = models.TextField(blank=True)
    clarification = models.TextField(blank=True)
    solution = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    expected_at = models.DateTimeField(null=True, blank=True)
    report = models.TextField(blank=True)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["sent_at", "pk"]
        indexes = [models.Index(fields=["unit", "state"])]

    def __str__(self):
        return f"报备 {self.from_unit} → {self.unit} · {self.case}"

    def get_absolute_url(self):
        return f"/cases/{self.case_id}/"


class PublicSubmission(models.Model):
    """One case sent through the public form or API (CASE-2), counted for rate limiting across every
    web process. The client address and the contact are kept only as keyed hashes."""

    ip_hash = models.CharField(max_length=64)
    phone_hash = models.CharField(max_length=64, blank=True)
    email_hash = models.CharField(max_length=64, blank=True)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["ip_hash", "at"]),
            models.Index(fields=["phone_hash", "at"]),
            models.Index(fields=["email_hash", "at"]),
        ]

    def __str__(self):
        return f"{self.ip_hash[:8]} · {self.at:%Y-%m-%d %H:%M}"


class PublicLookup(models.Model):
    """One attempt to find a case by its number and the phone given when reporting (CASE-2, issue 13),
    counted for rate limiting across every web process like `PublicSubmission`. The client address
    and the number typed are kept only as keyed hashes."""

    ip_hash = models.CharField(max_length=64)
    number_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["ip_hash", "at"]),
            models.Index(fields=["number_hash", "at"]),
        ]

    def __str__(self):
        return f"{self.ip_hash[:8]} · {self.at:%Y-%m-%d %H:%M}"


class CallSource(models.TextChoices):
    """SLA-1: where a call's ring count comes from — the telephony log, else the agent's own record."""

    LOG = "log", _("Telephony log (话务系统记录)")
    AGENT = "agent", _("Recorded by the agent (坐席记录)")


class CallRecord(models.Model):
    """One incoming call of a phone case and how soon it was answered (SLA-1 "一通电话三环内接听"):
    imported from the telephony system's call log, or — where there is none — recorded by the agent
    at the first response. `within` is the verdict against `sla.phone_rings` at `policy_version`;
    the caller's number is not kept (the case holds the contact, encrypted)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="calls")
    source = models.CharField(max_length=10, choices=CallSource.choices)
    call_id = models.CharField(max_length=100, blank=True)  # the telephony system's id of the call
    rang_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    rings = models.PositiveSmallIntegerField()
    agent = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    within = models.BooleanField()
    policy_version = models.PositiveIntegerField()
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rang_at", "pk"]
        constraints = [
            # a call of the log is imported once; the agent records one call per case
            models.UniqueConstraint(
                fields=["call_id"], condition=Q(source="log"), name="cases_call_log_once"
            ),
            models.UniqueConstraint(
                fields=["case"], condition=Q(source="agent"), name="cases_call_agent_once"
            ),
        ]
        indexes = [models.Index(fields=["rang_at"], name="cases_call_rang_at")]

    def __str__(self):
        return f"{self.case} · {self.rings}"


class QualityNotice(models.Model):
    """SLA-1: the office supervisor was told of the case's major quality problem — once per case (the
    unique key settles two people pressing at once); `late` when after `sla.major_quality_notice`."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="quality_notice")
    notified_at = models.DateTimeField()
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    late = models.BooleanField()
    note = models.TextField(blank=True)

    def __str__(self):
        return f"{self.case} · {self.notified_at:%Y-%m-%d %H:%M}"


# ── HRD-1 逾期报备 (hardship / pre-overdue report) ─────────────────────────────────────────────────
# A case of kind `hardship` (family 业务受理) carries one HardshipReport: the seed's 报备 call
# (【000 · 超期未处理报备话术】): the agent's 工号, the date, the customer's hardship, willingness to pay,
# the window they take calls in, a changed emergency contact (encrypted), the recorded call.


class Willingness(models.TextChoices):
    """HRD-1 "跟客户表达你有还款意愿,只是目前没有还款能力"."""

    WILLING_UNABLE = "willing_unable", _("Willing to pay, unable for now (有还款意愿，暂无还款能力)")
    PARTIAL = "partial", _("Can pay part now (可先部分还款)")
    PLAN = "plan", _("Asks for a repayment plan (希望协商还款计划)")
    UNWILLING = "unwilling", _("Not willing to pay (无还款意愿)")


class HardshipReport(models.Model):
    """HRD-1: the 逾期报备 of a case: who took it, when, why, and how the customer may be reached."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="hardship")
    agent = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")  # 工号
    reported_on = models.DateField()
    overdue_on = models.DateField()
    hardship = models.TextField()
    willingness = models.CharField(max_length=20, choices=Willingness.choices)
    window_start = models.TimeField()
    window_end = models.TimeField()
    emergency_name = EncryptedTextField(blank=True)
    emergency_phone = EncryptedTextField(blank=True)
    emergency_phone_index = models.CharField(max_length=64, blank=True)
    recording = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(window_start__lt=models.F("window_end")), name="cases_hardship_window_order"
            )
        ]

    def __str__(self):
        return f"逾期报备 · {self.case_id}"

    def get_absolute_url(self):
        return f"/cases/{self.case_id}/hardship/"


class CallTarget(models.TextChoices):
    """HRD-1: whom an outbound call of the report reaches; anyone else (the address book) is refused."""

    CUSTOMER = "customer", _("The customer (本人)")
    EMERGENCY = "emergency", _("The declared emergency contact (紧急联系人)")
    OTHER = "other", _("Someone else: relatives, colleagues, address book (其他人/通讯录)")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached (已接通)")
    UNREACHABLE = "unreachable", _("Unreachable (未接通)")


class HardshipCall(models.Model):
    """HRD-1: one outbound call made on a report, inside the customer's window, to an allowed number."""

    report = models.ForeignKey(HardshipReport, on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField()
    target = models.CharField(max_length=20, choices=CallTarget.choices)
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices)
    note = models.TextField(blank=True)
    recording = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey("org.Employee", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.report} · {self.at:%Y-%m-%d %H:%M}"


class ReminderKind(models.TextChoices):
    BEFORE_OVERDUE = "before_overdue", _("Before the overdue date (逾期前提醒)")
    MONTHLY = "monthly", _("Monthly call (每月跟进)")


class HardshipReminder(models.Model):
    """HRD-1: a reminder to the assigned agent to call the customer; sent once (`sent_at` is claimed by
    one conditional UPDATE; the unique key stops a second row for the same moment)."""

    report = models.ForeignKey(HardshipReport, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.ForeignKey(
        "org.Employee", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "kind", "due_at"], name="cases_hardship_reminder_once")
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(sent_at__isnull=True), name="cases_hardship_due")
        ]

    def __str__(self):
        return f"{self.report} · {self.due_at:%Y-%m-%d %H:%M}"
