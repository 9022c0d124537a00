"""The public intake API (no login): POST /api/v1/public/cases, status by reference and secret.

Every operation is `auth=None`. Submissions are rate-limited per client address and per contact
(429 with the error envelope); an `Idempotency-Key` header is honoured per client address. A wrong
number and a wrong secret answer the same 404. A lost link is found again with the number and the
phone given (POST /api/v1/public/cases/lookup), rate-limited the same way.
"""

from django.conf import settings
from django.utils import translation
from ninja import Header, Router, Status

from kefu.cases.actions import public as actions_public
from kefu.cases.http.schemas.public import (
    PublicCaseCreated,
    PublicCaseIn,
    PublicCaseStatus,
    PublicLookupIn,
    PublicMessageIn,
    PublicRatingIn,
)
from kefu.cases.queries import public as public_queries

router = Router(tags=["public"])


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the address our own proxy appended to X-Forwarded-For
    (the last one, which a client cannot forge) when KEFU_BEHIND_PROXY is set."""
    if getattr(settings, "KEFU_BEHIND_PROXY", False):
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _english() -> bool:
    return (translation.get_language() or "").lower().startswith("en")


def _status(case) -> dict:
    en = _english()
    zh_state, en_state = public_queries.STATE_TEXT[case.state]
    return {
        "number": case.number,
        "kind": case.kind.code,
        "title": case.title,
        "state": case.state,
        "state_label": en_state if en else zh_state,
        "received_at": case.received_at,
        "expected": [
            {
                "name": e.name,
                "label": e.label_en if en else e.label_zh,
                "due_at": e.due_at,
                "paused": e.paused,
            }
            for e in public_queries.expected_times(case)
        ],
        "answer": case.customer_reply,
        "messages": [
            {
                "at": m.at,
                "author": "您" if m.from_customer else "客服专员",
                "from_customer": m.from_customer,
                "body": m.body,
            }
            for m in public_queries.messages(case)
        ],
        # only an answer the customer gave (a value without a source was never asked, issue 13)
        "satisfied": case.satisfied if case.satisfaction_source else None,
        "may_rate": public_queries.may_rate(case),
    }


def _link(request, case, secret: str) -> dict:
    """The case's number and its status link with the secret — shown once."""
    return {
        "number": case.number,
        "status_url": request.build_absolute_uri(public_queries.status_path(case, secret)),
        "secret": secret,
    }


@router.post("/cases", auth=None, response={200: PublicCaseCreated, 201: PublicCaseCreated})
def submit(request, payload: PublicCaseIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Submit a consultation, complaint or suggestion (CASE-2). Answers the reference number and
    the status link with its secret — once: keep them. A repeated Idempotency-Key answers the same
    case (200) with a new secret."""
    done = actions_public.submit(
        unit=public_queries.default_subsidiary(payload.unit),
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        contact=payload.contact.model_dump(),
        ip=client_address(request),
        channel="api",
        idempotency_key=idempotency_key,
    )
    return Status(201 if done.created else 200, _link(request, done.case, done.secret))


@router.post("/cases/lookup", auth=None, response=PublicCaseCreated)
def lookup(request, payload: PublicLookupIn):
    """Lost the status link? The case number and the mobile phone given when reporting answer a new
    link (the earlier one stops working). A wrong phone and an unknown number answer the same 404
    (`public_lookup_no_match`); too many attempts from one address or for one number 429."""
    found = actions_public.lookup(number=payload.number, phone=payload.phone, ip=client_address(request))
    return _link(request, found.case, found.secret)


@router.get("/cases/{number}", auth=None, response=PublicCaseStatus)
def status(request, number: str, secret: str = ""):
    """The case as its customer sees it: state, our answer and replies, the expected times."""
    return _status(public_queries.find(number, secret))


@router.post("/cases/{number}/messages", auth=None, response={201: PublicCaseStatus})
def message(request, number: str, payload: PublicMessageIn):
    """The customer adds a message to their case."""
    case = public_queries.find(number, payload.secret)
    actions_public.customer_message(case, payload.body)
    return Status(201, _status(public_queries.find(number, payload.secret)))


@router.post("/cases/{number}/satisfaction", auth=None, response=PublicCaseStatus)
def satisfaction(request, number: str, payload: PublicRatingIn):
    """Once answered: satisfied, or not (with a reason) — which reopens the case (CASE-3)."""
    case = public_queries.find(number, payload.secret)
    actions_public.rate(case, satisfied=payload.satisfied, reason=payload.reason)
    return _status(public_queries.find(number, payload.secret))
