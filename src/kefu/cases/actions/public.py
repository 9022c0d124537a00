"""The public intake (CASE-2): customers submit a consultation, complaint or suggestion without an
account and follow it on a status page reached with the case number and a secret link
(`queries.public` reads it; `mail_out.confirm` sends the link).

No login means abuse is real: submissions are counted per client address and per contact phone or
e-mail in the database (so every web process sees the same counts), against the policy entries
`cases.public_submissions_per_ip` / `cases.public_submissions_per_contact` over
`cases.public_submission_window`. Addresses and contacts are kept only as keyed hashes.

A customer who lost the one-time status link finds the case again with its number and the phone
given when reporting (`lookup`, issue 13): counted per address and per number like submissions
(`cases.public_lookups_per_ip` / `cases.public_lookups_per_case` over `cases.public_lookup_window`),
a match audited as a sensitive read and answered with a new link.

When the case is answered the customer says whether they are satisfied; "not satisfied" reopens it
(CASE-3 "直到客户满意为止").
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from kefu.cases.actions import blocks, intake, mail_out
from kefu.cases.models import (
    Case,
    CaseState,
    Comment,
    IdempotencyKey,
    PublicLookup,
    PublicSubmission,
    SatisfactionSource,
)
from kefu.cases.queries import intake as case_queries
from kefu.cases.queries import public as public_queries
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import DomainError, Invalid
from kefu.engine.policy import api as policy
from kefu.org.models import Unit

NAME_MAX = 100
PHONE_MAX = 30
EMAIL_MAX = 254
DESCRIPTION_MAX = 5000
SYSTEM_WEB = "public web form"
SYSTEM_STATUS = "public status page"
SYSTEM_LOOKUP = "public case lookup"


class RateLimited(DomainError):
    status = 429

    def __init__(
        self,
        zh: str = "提交过于频繁，请稍后再试；如有急事请致电客服热线。",
        en: str = "Too many submissions; please try again later, or call the service hotline if it is urgent.",
    ):
        super().__init__("public_rate_limited", zh, en, status=429)


def address_hash(ip: str) -> str:
    return blind_index(ip, kind="ip")


# ---- rate limits -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitter:
    ip_hash: str
    phone_hash: str
    email_hash: str


def submitter(ip: str, contact: dict) -> Submitter:
    phone, email = (contact.get("phone") or "").strip(), (contact.get("email") or "").strip().lower()
    return Submitter(
        ip_hash=address_hash(ip),
        phone_hash=blind_index(phone) if phone else "",
        email_hash=blind_index(email, kind="email") if email else "",
    )


def reached(model, window: str, limits: list[tuple[Q, str]], *, unit: Unit | None = None) -> bool:
    """Has any of `limits` — (the rows that count, the policy entry of their limit) — been reached
    by the rows of `model` within the policy entry `window`?"""
    now = clock.now()
    recent = model.objects.filter(at__gt=now - policy.lookup(window, at=now, unit=unit).duration())
    return any(
        recent.filter(rows).count() >= policy.lookup(entry, at=now, unit=unit).value for rows, entry in limits
    )


def check_rate(who: Submitter, *, unit: Unit | None = None) -> None:
    """Raise RateLimited when the address or the contact already sent their share in the window."""
    limits = [(Q(ip_hash=who.ip_hash), "cases.public_submissions_per_ip")]
    same_contact = Q(pk__in=[])
    if who.phone_hash:
        same_contact |= Q(phone_hash=who.phone_hash)
    if who.email_hash:
        same_contact |= Q(email_hash=who.email_hash)
    if who.phone_hash or who.email_hash:
        limits.append((same_contact, "cases.public_submissions_per_contact"))
    if reached(PublicSubmission, "cases.public_submission_window", limits, unit=unit):
        raise RateLimited()


# ---- submit ----------------------------------------------------------------------------------


def _check(unit: Unit, kind: str, title, description, contact: dict) -> dict:
    if kind not in {k.code for k in public_queries.kinds_offered(unit)}:
        raise Invalid(
            "public_kind_invalid",
            "请选择咨询、投诉或意见建议",
            "Choose a consultation, a complaint or a suggestion",
            {"kind": "invalid"},
        )
    contact = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(contact or {}).items()}
    if not contact.get("name"):
        raise Invalid("public_name_required", "请填写您的称呼", "Please give your name", {"name": "required"})
    if not contact.get("phone") and not contact.get("email"):
        raise Invalid(
            "public_contact_required",
            "请至少留下手机号或邮箱，方便我们回复您",
            "Please leave a phone number or an e-mail address so that we can answer you",
            {"phone": "required", "email": "required"},
        )
    for field, limit in (("name", NAME_MAX), ("phone", PHONE_MAX), ("email", EMAIL_MAX)):
        if len(contact.get(field) or "") > limit:
            raise Invalid(
                "case_field_too_long",
                f"{field} 不能超过 {limit} 个字符",
                f"{field} may have at most {limit} characters",
                {field: "too_long"},
            )
    if isinstance(description, str) and len(description.strip()) > DESCRIPTION_MAX:
        raise Invalid(
            "case_field_too_long",
            f"详细说明不能超过 {DESCRIPTION_MAX} 个字符",
            f"The description may have at most {DESCRIPTION_MAX} characters",
            {"description": "too_long"},
        )
    return {
        "name": contact.get("name", ""),
        "phone": contact.get("phone", ""),
        "email": contact.get("email", ""),
    }


@dataclass(frozen=True)
class Submitted:
    case: Case
    secret: str
    created: bool


def submit(
    *,
    unit: Unit,
    kind: str,
    title,
    description,
    contact: dict,
    ip: str,
    channel: str = "web",
    idempotency_key: str = "",
) -> Submitted:
    """Receive one public submission: checked, rate-limited, created as a case routed within `unit`,
    with a fresh secret for its status link (shown once) and a confirmation e-mail when there is an
    address. A repeated Idempotency-Key from the same address returns the same case with a new
    secret (the client lost the first answer; the earlier link stops working)."""
    who = submitter(ip, contact if isinstance(contact, dict) else {})
    scope = f"public:{who.ip_hash}"
    key = (idempotency_key or "").strip()[:200]
    if key:
        earlier = IdempotencyKey.objects.filter(scope=scope, key=key).select_related("case").first()
        if earlier is not None:
            return Submitted(earlier.case, intake.new_public_secret(earlier.case), False)
    contact = _check(unit, kind, title, description, contact if isinstance(contact, dict) else {})
    check_rate(who, unit=unit)
    actor = Actor.system(SYSTEM_WEB if channel == "web" else "public api")
    extra = {}
    if any(f.get("name") == "proposer" for f in case_queries.kind_for(unit, kind).fields or []):
        extra["proposer"] = contact["name"]  # CASE-1: a suggestion records who proposed it
    with transaction.atomic():
        case, created = intake.create_case(
            actor,
            unit=unit,
            kind=kind,
            channel=channel,
            title=title,
            description=description,
            contact=contact,
            extra=extra,
            public=True,
            idempotency_key=key,
            idempotency_scope=scope,
        )
        secret = intake.new_public_secret(case)
        if created:
            PublicSubmission.objects.create(
                ip_hash=who.ip_hash, phone_hash=who.phone_hash, email_hash=who.email_hash, at=clock.now()
            )
            mail_out.confirm(actor, case, secret)
    return Submitted(case, secret, created)


# ---- the lost link: number + phone -----------------------------------------------------------


@dataclass(frozen=True)
class Found:
    case: Case
    secret: str


def lookup(*, number, phone, ip: str) -> Found:
    """The case with this number whose reporting phone is `phone` (issue 13: the one-time link is
    lost), with a new secret for its status link — the earlier link stops working. Every attempt is
    counted per client address and per number typed (keyed hashes); over either limit RateLimited,
    and a wrong phone or an unknown number the same `public_queries.NoMatch`. A match is audited as
    a sensitive read (SEC-5)."""
    number = public_queries.lookup_number(number)
    ip_hash, number_hash = address_hash(ip), blind_index(number, kind="case_number")
    limits = [
        (Q(ip_hash=ip_hash), "cases.public_lookups_per_ip"),
        (Q(number_hash=number_hash), "cases.public_lookups_per_case"),
    ]
    if reached(PublicLookup, "cases.public_lookup_window", limits):
        raise RateLimited(
            "查询过于频繁，请稍后再试；如有急事请致电客服热线。",
            "Too many look-ups; please try again later, or call the service hotline if it is urgent.",
        )
    # counted whatever the outcome, in its own statement: a miss must count too
    PublicLookup.objects.create(ip_hash=ip_hash, number_hash=number_hash, at=clock.now())
    case = public_queries.find_by_phone(number, phone)
    with transaction.atomic():
        secret = intake.new_public_secret(case)
        audit.record_read(
            Actor.system(SYSTEM_LOOKUP),
            case,
            fields=["contact_phone"],
            purpose="客户凭工单号和手机号查询工单，发放新的状态链接 / case looked up by number and phone, new status link",
        )
    return Found(case, secret)


# ---- the status page -------------------------------------------------------------------------


def customer_message(case: Case, body) -> Comment:
    """The customer adds to their case from the status page (CASE-3: a waiting case resumes)."""
    if case.state in (CaseState.CLOSED, CaseState.ARCHIVED):
        raise Invalid(
            "public_case_closed",
            "此工单已办结，如有新问题请重新提交",
            "This case is completed; please submit a new one for a new matter",
        )
    if isinstance(body, str) and len(body.strip()) > DESCRIPTION_MAX:
        raise Invalid(
            "case_field_too_long",
            f"留言不能超过 {DESCRIPTION_MAX} 个字符",
            f"A message may have at most {DESCRIPTION_MAX} characters",
            {"body": "too_long"},
        )
    return blocks.customer_wrote(case, body, actor=Actor.system(SYSTEM_STATUS))


def rate(case: Case, *, satisfied: bool, reason="") -> Case:
    """The customer's verdict on the answer: satisfied is recorded; not satisfied reopens the case
    with their reason (CASE-3 "直到客户满意为止")."""
    if not public_queries.may_rate(case):
        raise Invalid(
            "public_rating_not_open",
            "目前无需评价：工单尚未答复或已评价",
            "Nothing to rate now: the case is not answered yet or already rated",
        )
    actor = Actor.system(SYSTEM_STATUS)
    reason = reason.strip() if isinstance(reason, str) else ""
    if satisfied:
        with transaction.atomic():
            now = clock.now()
            Case.objects.filter(pk=case.pk).update(
                satisfied=True,
                satisfaction_source=SatisfactionSource.STATUS_PAGE,
                satisfaction_at=now,
                satisfaction_by=None,
                updated_at=now,
            )
            audit.record(
                actor, "cases.customer_satisfied", case, before={"satisfied": None}, after={"satisfied": True}
            )
        case.satisfied, case.satisfaction_source = True, SatisfactionSource.STATUS_PAGE
        return case
    if not reason:
        raise Invalid(
            "public_reason_required",
            "请告诉我们哪里不满意，我们会继续处理",
            "Please tell us what is not right, and we will keep working on it",
            {"reason": "required"},
        )
    with transaction.atomic():
        blocks.customer_wrote(case, f"不满意：{reason}", actor=actor)
        audit.record(actor, "cases.customer_unsatisfied", case, after={"satisfied": False})
        return intake.act(
            actor, case, "reopen", reason=f"客户不满意 / customer not satisfied：{reason}"[:500]
        )
