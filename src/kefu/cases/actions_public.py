"""The public intake (CASE-2): customers submit a consultation, complaint or suggestion without an
account and follow it on a status page reached with the case number and a secret link.

No login means abuse is real: submissions are counted per client address and per contact phone or
e-mail in the database (so every web process sees the same counts), against the policy entries
`cases.public_submissions_per_ip` / `cases.public_submissions_per_contact` over
`cases.public_submission_window`. Addresses and contacts are kept only as keyed hashes.

The status page shows the customer what they were told (public replies and the answer) and when to
expect the next step; never internal notes or staff names. When the case is answered the customer
says whether they are satisfied; "not satisfied" reopens it (CASE-3 "直到客户满意为止").
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from kefu.cases import actions
from kefu.cases.models import Case, CaseKind, CaseState, Comment, Family, IdempotencyKey, PublicSubmission
from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import DomainError, Invalid, NotFound
from kefu.engine.policy import api as policy
from kefu.org.models import Unit, UnitKind

FAMILIES = (Family.CONSULTATION, Family.COMPLAINT, Family.SUGGESTION)
NAME_MAX = 100
PHONE_MAX = 30
EMAIL_MAX = 254
DESCRIPTION_MAX = 5000
SATISFIED_STATES = (CaseState.INFORMED, CaseState.REVISIT)
SYSTEM_WEB = "public web form"
SYSTEM_STATUS = "public status page"
# compared against when no case matches, so a wrong number costs as long as a wrong secret
_NO_SECRET = hashlib.sha256(b"kefu: no such case").hexdigest()


class RateLimited(DomainError):
    status = 429

    def __init__(self):
        super().__init__(
            "public_rate_limited",
            "提交过于频繁，请稍后再试；如有急事请致电客服热线。",
            "Too many submissions; please try again later, or call the service hotline if it is urgent.",
            status=429,
        )


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the address our own proxy appended to X-Forwarded-For
    (the last one, which a client cannot forge) when KEFU_BEHIND_PROXY is set."""
    if getattr(settings, "KEFU_BEHIND_PROXY", False):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def address_hash(ip: str) -> str:
    return blind_index(ip, kind="ip")


# ---- which subsidiary ------------------------------------------------------------------------


def subsidiaries():
    """The subsidiaries whose customers may use the public form."""
    return Unit.objects.filter(kind=UnitKind.SUBSIDIARY, is_active=True).order_by("path")


def subsidiary(code: str) -> Unit:
    """The subsidiary `code`; NotFound for anything else (a department, an inactive or unknown unit)."""
    found = subsidiaries().filter(code=code).first() if code else None
    if found is None:
        raise NotFound("服务单位", "service unit")
    return found


def default_subsidiary(code: str = "") -> Unit:
    """The API's unit: the code asked for, else KEFU_PUBLIC_DEFAULT_UNIT, else the only subsidiary."""
    code = (code or "").strip() or getattr(settings, "KEFU_PUBLIC_DEFAULT_UNIT", "")
    if code:
        try:
            return subsidiary(code)
        except NotFound:
            raise Invalid(
                "public_unit_unknown",
                f"服务单位「{code}」不存在",
                f"There is no service unit “{code}”",
                {"unit": "unknown"},
            ) from None
    units = list(subsidiaries()[:2])
    if len(units) == 1:
        return units[0]
    raise Invalid(
        "public_unit_required",
        "请用 unit 指明受理的子公司（服务单位代码），例如 "
        + ", ".join(subsidiaries().values_list("code", flat=True)),
        "Say which subsidiary should receive it with `unit` (its code), e.g. "
        + ", ".join(subsidiaries().values_list("code", flat=True)),
        {"unit": "required"},
    )


def kinds_offered(unit: Unit) -> list[CaseKind]:
    """The kinds the public may submit to `unit`: consultation, complaint, suggestion (the unit's own
    version of each when it has one)."""
    offered = []
    for family in FAMILIES:
        try:
            offered.append(actions.kind_for(unit, family.value))
        except Invalid:
            continue
    return offered


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


def check_rate(who: Submitter, *, unit: Unit | None = None) -> None:
    """Raise RateLimited when the address or the contact already sent their share in the window."""
    now = clock.now()
    since = now - policy.lookup("cases.public_submission_window", at=now, unit=unit).duration()
    recent = PublicSubmission.objects.filter(at__gt=since)
    if (
        recent.filter(ip_hash=who.ip_hash).count()
        >= policy.lookup("cases.public_submissions_per_ip", at=now, unit=unit).value
    ):
        raise RateLimited()
    same_contact = Q(pk__in=[])
    if who.phone_hash:
        same_contact |= Q(phone_hash=who.phone_hash)
    if who.email_hash:
        same_contact |= Q(email_hash=who.email_hash)
    if (who.phone_hash or who.email_hash) and recent.filter(same_contact).count() >= policy.lookup(
        "cases.public_submissions_per_contact", at=now, unit=unit
    ).value:
        raise RateLimited()


# ---- submit ----------------------------------------------------------------------------------


def _check(unit: Unit, kind: str, title, description, contact: dict) -> dict:
    if kind not in {k.code for k in kinds_offered(unit)}:
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


def status_path(case: Case, secret: str) -> str:
    return f"{reverse('cases:public_status', args=[case.number])}?s={secret}"


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
            return Submitted(earlier.case, actions.new_public_secret(earlier.case), False)
    contact = _check(unit, kind, title, description, contact if isinstance(contact, dict) else {})
    check_rate(who, unit=unit)
    actor = Actor.system(SYSTEM_WEB if channel == "web" else "public api")
    extra = {}
    if any(f.get("name") == "proposer" for f in actions.kind_for(unit, kind).fields or []):
        extra["proposer"] = contact["name"]  # CASE-1: a suggestion records who proposed it
    with transaction.atomic():
        case, created = actions.create_case(
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
        secret = actions.new_public_secret(case)
        if created:
            PublicSubmission.objects.create(
                ip_hash=who.ip_hash, phone_hash=who.phone_hash, email_hash=who.email_hash, at=clock.now()
            )
            confirm(actor, case, secret)
    return Submitted(case, secret, created)


def confirm(actor: Actor, case: Case, secret: str, *, in_reply_to: str = "") -> None:
    """A confirmation with the status link, when the customer left an e-mail address (threaded to
    their message when the case came in by e-mail)."""
    if not case.contact_email:
        return
    from kefu.engine.mail.api import reference_token, send_external

    link = f"{settings.KEFU_SITE_URL}{status_path(case, secret)}"
    body = (
        f"{case.contact_name or '您好'}：\n\n"
        f"我们已收到您的{case.kind.name}「{case.title}」，受理编号 {case.number}。"
        "客服专员会尽快与您联系。\n"
        f"查看处理进度（请妥善保管此链接，勿转发他人）：\n{link}\n\n"
        "如需补充说明，可直接回复本邮件。\n\n"
        f"We have received your request “{case.title}” (reference {case.number}). "
        f"Follow it here (keep this link private): {link}\n"
    )
    send_external(
        actor,
        to=case.contact_email,
        subject=f"{reference_token('KF', case.number)} 已受理 / Received: {case.title}",
        body=body,
        obj=case,
        in_reply_to=in_reply_to,
    )


# ---- the status page -------------------------------------------------------------------------


def find(number: str, secret: str) -> Case:
    """The case with this number whose status secret is `secret`; NotFound otherwise, the same for
    a wrong number and a wrong secret (no existence leak). Compared in constant time."""
    number, secret = (number or "").strip()[:30], (secret or "").strip()[:200]
    case = Case.objects.select_related("kind").filter(number=number).first() if number else None
    stored = case.public_secret_hash if case is not None and case.public_secret_hash else _NO_SECRET
    given = hashlib.sha256(secret.encode()).hexdigest()
    if not hmac.compare_digest(given, stored) or case is None or not secret:
        raise NotFound("工单", "case")
    return case


# what the customer reads for each state: plain words, no internal stages
_ASSIGNING = ("已受理，正在安排客服专员", "Received; a customer-service officer is being assigned")
_DONE = ("已办结", "Completed")
STATE_TEXT = {
    CaseState.RECEIVED: _ASSIGNING,
    CaseState.CLASSIFIED: _ASSIGNING,
    CaseState.ROUTED: ("客服专员已接手", "A customer-service officer has taken it on"),
    CaseState.INVESTIGATING: ("正在处理中", "Being looked into"),
    CaseState.WAITING: ("等待您补充信息", "Waiting for more information from you"),
    CaseState.SOLUTION: ("已有处理方案，即将答复您", "A solution is ready; we will tell you shortly"),
    CaseState.INFORMED: (
        "已答复，请告诉我们您是否满意",
        "Answered; please tell us whether you are satisfied",
    ),
    CaseState.REVISIT: ("回访中", "We are following up with you"),
    CaseState.CLOSED: _DONE,
    CaseState.ARCHIVED: _DONE,
}

CLOCK_TEXT = {
    "first_response": ("预计首次回复时间", "First reply expected by"),
    "next_update": ("预计下次进展告知时间", "Next update expected by"),
    "resolution": ("预计办结时间", "Expected to be resolved by"),
    "onsite": ("预计上门处理时间", "Someone on site by"),
}


@dataclass(frozen=True)
class Message:
    at: object
    from_customer: bool
    body: str


@dataclass(frozen=True)
class Expected:
    name: str
    label_zh: str
    label_en: str
    due_at: object
    paused: bool


def expected_times(case: Case) -> list[Expected]:
    """The running deadlines, phrased for the customer (a paused clock waits for them)."""
    found = []
    for timer in actions.running_clocks(case).order_by("due_at"):
        zh, en = CLOCK_TEXT.get(timer.name, ("预计时间", "Expected by"))
        found.append(Expected(timer.name, zh, en, timer.due_at, timer.state != "running"))
    return found


def messages(case: Case) -> list[Message]:
    """What passed between the customer and us: their messages and our public replies only."""
    rows = Comment.objects.filter(case=case, public=True).order_by("at", "pk")
    return [Message(row.at, row.from_customer, row.body) for row in rows]


def may_rate(case: Case) -> bool:
    return case.state in SATISFIED_STATES and case.satisfied is None


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
    return actions.customer_wrote(case, body, actor=Actor.system(SYSTEM_STATUS))


def rate(case: Case, *, satisfied: bool, reason="") -> Case:
    """The customer's verdict on the answer: satisfied is recorded; not satisfied reopens the case
    with their reason (CASE-3 "直到客户满意为止")."""
    if not may_rate(case):
        raise Invalid(
            "public_rating_not_open",
            "目前无需评价：工单尚未答复或已评价",
            "Nothing to rate now: the case is not answered yet or already rated",
        )
    actor = Actor.system(SYSTEM_STATUS)
    reason = reason.strip() if isinstance(reason, str) else ""
    if satisfied:
        with transaction.atomic():
            Case.objects.filter(pk=case.pk).update(satisfied=True, updated_at=clock.now())
            audit.record(
                actor, "cases.customer_satisfied", case, before={"satisfied": None}, after={"satisfied": True}
            )
        case.satisfied = True
        return case
    if not reason:
        raise Invalid(
            "public_reason_required",
            "请告诉我们哪里不满意，我们会继续处理",
            "Please tell us what is not right, and we will keep working on it",
            {"reason": "required"},
        )
    with transaction.atomic():
        actions.customer_wrote(case, f"不满意：{reason}", actor=actor)
        audit.record(actor, "cases.customer_unsatisfied", case, after={"satisfied": False})
        return actions.act(
            actor, case, "reopen", reason=f"客户不满意 / customer not satisfied：{reason}"[:500]
        )
