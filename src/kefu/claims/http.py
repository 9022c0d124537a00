"""报备 API under /api/v1/claims (CLM-1…CLM-9; CLM-11 and CLM-12 in `http_reports.py`): parse, call
a query or an action, serialise.

A registration refused because the customer is protected answers 409
`{"error": {"code": "claim_protected", "until": …}}` — never who holds the claim (CLM-1).
"""

from ninja import Router, Status
from ninja.pagination import paginate

from kefu.claims import actions, actions_more, queries, queries_more
from kefu.claims.http_reports import daily_router, reports_router
from kefu.claims.schemas import (
    CheckOut,
    ChoiceIn,
    ChoiceOut,
    ClaimOut,
    DealIn,
    DealOut,
    DisputeByPhoneIn,
    DisputeDetail,
    DisputeIn,
    DisputeOut,
    ReasonIn,
    RegisterIn,
    RulingIn,
)
from kefu.core.crypto import blind_index
from kefu.core.errors import Invalid, NotFound
from kefu.core.http_support import Pagination, actor
from kefu.org.models import Employee

router = Router(tags=["claims"])
router.add_router("/process-reports", reports_router)  # CLM-11
router.add_router("/daily", daily_router)  # CLM-12


@router.get(
    "/check",
    response=CheckOut,
    exclude_unset=True,
    summary="CLM-1 pre-check: is this phone protected, until when",
    description='Answers `{"protected": bool, "until": datetime | null}`. `owner` is added only for holders '
    "of claim.view_owner whose scope covers the claim; for anyone else the key is absent (CLM-1).",
)
def check(request, phone: str):
    return queries.check(actor(request), phone)


@router.post(
    "", response={201: ClaimOut}, summary="Register (报备) a customer — 409 claim_protected if taken"
)
def register(request, payload: RegisterIn):
    data = payload.model_dump()
    current = actor(request)
    claim = actions.register(current, customer=data["customer"], kind=data["kind"], note=data["note"])
    return Status(201, queries.registered(current, claim))


@router.get("", response=list[ClaimOut], summary="Claims: mine, or all I may see")
@paginate(Pagination)
def list_claims(request, mine: bool = False, state: str = ""):
    return queries.claims(actor(request), mine=mine, state=state)


@router.post("/disputes", response={201: DisputeOut}, summary="CLM-6 a clash raised by the unregistered side")
def dispute_by_phone(request, payload: DisputeByPhoneIn):
    current = actor(request)
    claim = queries.live_claim_by_index(blind_index(payload.phone))
    if claim is None:
        raise NotFound("报备", "claim")
    result = actions_more.raise_dispute(
        current, claim, claimant=None, reason=payload.reason, evidence=payload.evidence
    )
    return Status(201, result)


@router.get(
    "/disputes/{int:dispute_id}",
    response=DisputeDetail,
    summary="CLM-6 one dispute: state and ruling; the owner only to the owner, 行政部 and managers — to the "
    "challenger once ruled",
)
def get_dispute(request, dispute_id: int):
    current = actor(request)
    return queries.dispute_shown(current, queries.dispute(current, dispute_id))


@router.post("/disputes/{int:dispute_id}/rule", response=DisputeOut, summary="CLM-6 ruling by 行政部")
def rule(request, dispute_id: int, payload: RulingIn):
    current = actor(request)
    return actions_more.rule_dispute(
        current, queries.dispute(current, dispute_id), outcome=payload.outcome, ruling=payload.ruling
    )


@router.get("/{int:claim_id}", response=ClaimOut, summary="One claim")
def get_claim(request, claim_id: int):
    return queries.claim(actor(request), claim_id)


@router.post(
    "/{int:claim_id}/deposit", response=ClaimOut, summary="CLM-3 record a deposit (→ 90-day protection)"
)
def deposit(request, claim_id: int):
    current = actor(request)
    claim = actions.record_deposit(current, queries.claim(current, claim_id))
    return queries.claim(current, claim.pk)


@router.post("/{int:claim_id}/expire", response=ClaimOut, summary="End a protection now or release (行政部)")
def expire(request, claim_id: int, payload: ReasonIn):
    current = actor(request)
    claim = actions.end_now(
        current, queries.claim(current, claim_id), reason=payload.reason, release=payload.release
    )
    return queries.claim(current, claim.pk)


def _employee(pk: int | None, field: str) -> Employee:
    return queries_more.employee(pk, field)


@router.post(
    "/{int:claim_id}/dispute", response={201: DisputeOut}, summary="CLM-6 open a 撞单 dispute on a claim"
)
def dispute(request, claim_id: int, payload: DisputeIn):
    current = actor(request)
    claim = queries.claim(current, claim_id)
    claimant = _employee(payload.claimant_id, "claimant_id") if payload.claimant_id else None
    if claimant is None:
        raise Invalid(
            "claim_claimant",
            "请指明撞单的同事",
            "Name the colleague in the clash",
            {"claimant_id": "required"},
        )
    result = actions_more.raise_dispute(
        current, claim, claimant=claimant, reason=payload.reason, evidence=payload.evidence
    )
    return Status(201, result)


@router.post(
    "/{int:claim_id}/deal", response={201: DealOut}, summary="CLM-9 record the signed deal and its split"
)
def deal(request, claim_id: int, payload: DealIn):
    current = actor(request)
    claim = queries.claim(current, claim_id)
    shares = [(_employee(s.employee_id, "shares"), s.percent) for s in payload.shares]
    result = actions_more.record_deal(
        current,
        claim,
        amount=payload.amount,
        agreed_by=_employee(payload.agreed_by_id, "agreed_by_id"),
        shares=shares,
        note=payload.note,
    )
    return Status(201, result)


@router.get(
    "/{int:claim_id}/choices", response=list[ChoiceOut], summary="CLM-5 the customer's recorded choices"
)
def choices(request, claim_id: int):
    _, rows = queries_more.choices_for_claim(actor(request), claim_id)
    return rows


@router.post(
    "/{int:claim_id}/choice",
    response={201: ChoiceOut},
    summary="CLM-5 record the customer's own choice of salesperson (行政部); others' registrations are refused",
)
def choice(request, claim_id: int, payload: ChoiceIn):
    current = actor(request)
    claim = queries.claim(current, claim_id)
    result = actions.record_choice(
        current, claim.customer, chosen=_employee(payload.chosen_id, "chosen_id"), evidence=payload.evidence
    )
    return Status(201, result)
