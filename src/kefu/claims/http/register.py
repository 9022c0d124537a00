"""报备 API under /api/v1/claims (CLM-1…CLM-5): the pre-check, registration, the claims I may see,
deposits, ends and the customer's choice — parse, call a query or an action, serialise.

A registration refused because the customer is protected answers 409
`{"error": {"code": "claim_protected", "until": …}}` — never who holds the claim (CLM-1).
Operation ids are kept as they were published (`kefu_claims_http_…`).
"""

from datetime import datetime
from typing import Annotated, Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.claims import actions
from kefu.claims.queries import people
from kefu.claims.queries import register as queries
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.org.queries import employee_named

router = Router(tags=["claims"])

Text = Annotated[str, Field(max_length=2000)]


class CheckOut(Schema):
    """CLM-1: yes/no and until when. `owner` is present only for the registers' keepers (claim.manage in
    scope, 行政部) and for the owner themself."""

    protected: bool
    until: datetime | None
    owner: str | None = Field(
        None, description="present only for claim.manage holders in scope (行政部) and for the owner themself"
    )


class ClaimCustomerIn(StrictSchema):
    name: Annotated[str, Field(max_length=200)]
    phone: Annotated[str, Field(max_length=30)]
    address: Annotated[str, Field(max_length=500)]
    kind: Literal["person", "organisation"] = "person"
    company: Annotated[str, Field(max_length=200)] = ""
    needs: Text = ""
    source: Annotated[str, Field(max_length=100)] = ""


class RegisterIn(StrictSchema):
    customer: ClaimCustomerIn
    kind: Literal["walk_in", "deposit"] = "walk_in"
    note: Annotated[str, Field(max_length=500)] = ""


class ClaimOut(Schema):
    id: int
    customer_id: int | None = Field(
        description="the archive's customer; null when you may not see it (then the name is as registered)"
    )
    customer_name: str
    owner: str
    unit: str
    kind: str
    state: str
    registered_at: datetime
    protected_until: datetime
    deposit_at: datetime | None
    policy_version: int | None

    @staticmethod
    def resolve_customer_id(obj):
        return obj.shown_customer_id  # claims.queries.with_customer_shown (issue 10)

    @staticmethod
    def resolve_customer_name(obj):
        return obj.shown_customer_name

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.name

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.name


class ReasonIn(StrictSchema):
    reason: Annotated[str, Field(min_length=1, max_length=500)]
    release: bool = False


class ChoiceIn(StrictSchema):
    """CLM-5: the customer's own choice of salesperson, recorded by 行政部 with the evidence."""

    chosen_id: int
    evidence: Annotated[str, Field(min_length=1, max_length=2000)]


class ChoiceOut(Schema):
    id: int
    customer_id: int
    chosen_id: int
    chosen: str
    evidence: str
    recorded_at: datetime
    used_by_id: int | None = Field(None, description="the claim the choice was used for, once registered")

    @staticmethod
    def resolve_chosen(obj):
        return obj.chosen.name


@router.get(
    "/check",
    response=CheckOut,
    exclude_unset=True,
    summary="CLM-1 pre-check: is this phone protected, until when",
    description='Answers `{"protected": bool, "until": datetime | null}`. `owner` is added only for the '
    "registers' keepers — holders of claim.manage (行政部) whose scope covers the claim — and for the owner "
    "themself; for anyone else, supervisors holding claim.view_owner included, the key is absent (CLM-1).",
    operation_id="kefu_claims_http_check",
)
def check(request, phone: str):
    return queries.check(actor(request), phone)


@router.post(
    "",
    response={201: ClaimOut},
    summary="Register (报备) a customer — 409 claim_protected if taken",
    operation_id="kefu_claims_http_register",
)
def register(request, payload: RegisterIn):
    data = payload.model_dump()
    current = actor(request)
    claim = actions.register(current, customer=data["customer"], kind=data["kind"], note=data["note"])
    return Status(201, queries.registered(current, claim))


@router.get(
    "",
    response=list[ClaimOut],
    summary="Claims: mine, or all I may see",
    operation_id="kefu_claims_http_list_claims",
)
@paginate(Pagination)
def list_claims(request, mine: bool = False, state: str = ""):
    return queries.claims(actor(request), mine=mine, state=state)


@router.get(
    "/{int:claim_id}", response=ClaimOut, summary="One claim", operation_id="kefu_claims_http_get_claim"
)
def get_claim(request, claim_id: int):
    return queries.claim(actor(request), claim_id)


@router.post(
    "/{int:claim_id}/deposit",
    response=ClaimOut,
    summary="CLM-3 record a deposit (→ 90-day protection)",
    operation_id="kefu_claims_http_deposit",
)
def deposit(request, claim_id: int):
    current = actor(request)
    claim = actions.record_deposit(current, queries.claim(current, claim_id))
    return queries.claim(current, claim.pk)


@router.post(
    "/{int:claim_id}/expire",
    response=ClaimOut,
    summary="End a protection now or release (行政部)",
    operation_id="kefu_claims_http_expire",
)
def expire(request, claim_id: int, payload: ReasonIn):
    current = actor(request)
    claim = actions.end_now(
        current, queries.claim(current, claim_id), reason=payload.reason, release=payload.release
    )
    return queries.claim(current, claim.pk)


@router.get(
    "/{int:claim_id}/choices",
    response=list[ChoiceOut],
    summary="CLM-5 the customer's recorded choices",
    operation_id="kefu_claims_http_choices",
)
def choices(request, claim_id: int):
    _, rows = queries.choices_for_claim(actor(request), claim_id)
    return rows


@router.post(
    "/{int:claim_id}/choice",
    response={201: ChoiceOut},
    summary="CLM-5 record the customer's own choice of salesperson (行政部); others' registrations are refused",
    operation_id="kefu_claims_http_choice",
)
def choice(request, claim_id: int, payload: ChoiceIn):
    current = actor(request)
    claim = queries.claim(current, claim_id)
    chosen = employee_named(payload.chosen_id, "chosen_id", **people.NAMED)
    result = actions.record_choice(current, claim.customer, chosen=chosen, evidence=payload.evidence)
    return Status(201, result)
