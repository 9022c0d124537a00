"""What the public pages and the public API read (CASE-2): the subsidiaries that offer the form and
the kinds they offer, the case behind a status link, and what its customer is shown — plain words
for each state and clock, our public replies and their messages, never internal notes or staff names.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from kefu.cases.models import Case, CaseKind, CaseState, Comment, Family
from kefu.cases.queries import intake
from kefu.core.crypto import blind_index, normalise_phone
from kefu.core.errors import DomainError, Invalid, NotFound
from kefu.org.models import Unit, UnitKind

FAMILIES = (Family.CONSULTATION, Family.COMPLAINT, Family.SUGGESTION)
SATISFIED_STATES = (CaseState.INFORMED, CaseState.REVISIT)
# compared against when no case matches, so a wrong number costs as long as a wrong secret
_NO_SECRET = hashlib.sha256(b"kefu: no such case").hexdigest()
NUMBER_MAX = 30


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
            offered.append(intake.kind_for(unit, family.value))
        except Invalid:
            continue
    return offered


def status_path(case: Case, secret: str) -> str:
    return f"{reverse('cases:public_status', args=[case.number])}?s={secret}"


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


class NoMatch(DomainError):
    """No case with this number and this phone — the same answer for an unknown number, a wrong
    phone and a case reported without a phone (nothing is revealed about which)."""

    status = 404

    def __init__(self):
        super().__init__(
            "public_lookup_no_match",
            "未找到相符的工单。请核对工单号和提交时留下的手机号；如仍查不到，请致电客服热线。",
            "No matching request. Please check the reference number and the mobile phone number you "
            "gave; if it still cannot be found, please call the service hotline.",
            status=404,
        )


def lookup_number(number) -> str:
    """The case number as typed, tidied (blanks, lower case): KF-20261204-000001."""
    return (number if isinstance(number, str) else "").strip().upper()[:NUMBER_MAX]


def find_by_phone(number: str, phone) -> Case:
    """The case with this number whose reporting phone is `phone` (its blind index, compared in
    constant time — a wrong number costs as long as a wrong phone); NoMatch otherwise."""
    number = lookup_number(number)
    phone = phone if isinstance(phone, str) else ""
    case = Case.objects.select_related("kind").filter(number=number).first() if number else None
    stored = case.contact_phone_index if case is not None and case.contact_phone_index else _NO_SECRET
    if not hmac.compare_digest(blind_index(phone), stored) or case is None or not normalise_phone(phone):
        raise NoMatch()
    return case


# what the customer reads for each state: plain words, no internal stages
_ASSIGNING = ("已受理，正在安排客服专员", "Received; a customer-service officer is being assigned")
_DONE = ("已办结", "Completed")
STATE_TEXT = {
    CaseState.RECEIVED: _ASSIGNING,
    CaseState.CLASSIFIED: _ASSIGNING,
    # routed: an owner was named (by the routing rules, often with nobody looking yet) — not "taken on"
    CaseState.ROUTED: (
        "已受理，已分派给客服专员，待其开始处理",
        "Received and assigned to a customer-service officer, who has not started on it yet",
    ),
    CaseState.INVESTIGATING: ("客服专员正在处理", "A customer-service officer is working on it"),
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
    "expected": ("预计处理时间", "Expected to be handled by"),
}
INTERNAL_CLOCKS = ("quality_notice",)  # SLA-1: an obligation inside the company, not told to the customer


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
    for timer in intake.running_clocks(case).exclude(name__in=INTERNAL_CLOCKS).order_by("due_at"):
        zh, en = CLOCK_TEXT.get(timer.name, ("预计时间", "Expected by"))
        found.append(Expected(timer.name, zh, en, timer.due_at, timer.state != "running"))
    return found


def messages(case: Case) -> list[Message]:
    """What passed between the customer and us: their messages and our public replies only."""
    rows = Comment.objects.filter(case=case, public=True).order_by("at", "pk")
    return [Message(row.at, row.from_customer, row.body) for row in rows]


def may_rate(case: Case) -> bool:
    return case.state in SATISFIED_STATES and case.satisfied is None
