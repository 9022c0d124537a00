"""The public intake API (no login): POST /api/v1/public/cases, status by reference and secret.

Every operation is `auth=None`. Submissions are rate-limited per client address and per contact
(429 with the error envelope); an `Idempotency-Key` header is honoured per client address. A wrong
number and a wrong secret answer the same 404.
"""

from django.utils import translation
from ninja import Header, Router, Status

from kefu.cases import actions_public
from kefu.cases.schemas_public import (
    PublicCaseCreated,
    PublicCaseIn,
    PublicCaseStatus,
    PublicMessageIn,
    PublicRatingIn,
)

router = Router(tags=["public"])


def _english() -> bool:
    return (translation.get_language() or "").lower().startswith("en")


def _status(case) -> dict:
    en = _english()
    zh_state, en_state = actions_public.STATE_TEXT[case.state]
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
            for e in actions_public.expected_times(case)
        ],
        "answer": case.customer_reply,
        "messages": [
            {
                "at": m.at,
                "author": "您" if m.from_customer else "客服专员",
                "from_customer": m.from_customer,
                "body": m.body,
            }
            for m in actions_public.messages(case)
        ],
        "satisfied": case.satisfied,
        "may_rate": actions_public.may_rate(case),
    }


@router.post("/cases", auth=None, response={200: PublicCaseCreated, 201: PublicCaseCreated})
def submit(request, payload: PublicCaseIn, idempotency_key: str = Header("", alias="Idempotency-Key")):
    """Submit a consultation, complaint or suggestion (CASE-2). Answers the reference number and
    the status link with its secret — once: keep them. A repeated Idempotency-Key answers the same
    case (200) with a new secret."""
    done = actions_public.submit(
        unit=actions_public.default_subsidiary(payload.unit),
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        contact=payload.contact.model_dump(),
        ip=actions_public.client_address(request),
        channel="api",
        idempotency_key=idempotency_key,
    )
    body = {
        "number": done.case.number,
        "status_url": request.build_absolute_uri(actions_public.status_path(done.case, done.secret)),
        "secret": done.secret,
    }
    return Status(201 if done.created else 200, body)


@router.get("/cases/{number}", auth=None, response=PublicCaseStatus)
def status(request, number: str, secret: str = ""):
    """The case as its customer sees it: state, our answer and replies, the expected times."""
    return _status(actions_public.find(number, secret))


@router.post("/cases/{number}/messages", auth=None, response={201: PublicCaseStatus})
def message(request, number: str, payload: PublicMessageIn):
    """The customer adds a message to their case."""
    case = actions_public.find(number, payload.secret)
    actions_public.customer_message(case, payload.body)
    return Status(201, _status(actions_public.find(number, payload.secret)))


@router.post("/cases/{number}/satisfaction", auth=None, response=PublicCaseStatus)
def satisfaction(request, number: str, payload: PublicRatingIn):
    """Once answered: satisfied, or not (with a reason) — which reopens the case (CASE-3)."""
    case = actions_public.find(number, payload.secret)
    actions_public.rate(case, satisfied=payload.satisfied, reason=payload.reason)
    return _status(actions_public.find(number, payload.secret))
