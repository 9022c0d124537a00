"""API: who am I, and my personal API tokens (ORG-6: tokens are personal)."""

from datetime import datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import AwareDatetime, Field

from kefu.core import actions
from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.core.models import ApiToken

router = Router(tags=["tokens"])


class TokenIn(StrictSchema):
    name: str = Field(min_length=1, max_length=100)
    expires_at: AwareDatetime | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None = Field(
        None, description="Last use, refreshed at most once per KEFU_TOKEN_TOUCH_MINUTES (default 5)"
    )
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="The secret; shown only in this answer")


class MeOut(Schema):
    id: int
    username: str
    employee_id: int | None
    name: str
    acting_for: str | None


@router.get("/me", response=MeOut, tags=["me"], summary="The signed-in user")
def me(request):
    current = actor(request)
    employee = getattr(request.user, "employee", None)
    return {
        "id": request.user.pk,
        "username": request.user.get_username(),
        "employee_id": employee.pk if employee else None,
        "name": employee.name if employee else request.user.get_username(),
        "acting_for": current.on_behalf_of.get_username() if current.on_behalf_of else None,
    }


@router.get("/tokens", response=list[TokenOut], summary="My API tokens")
@paginate(Pagination)
def list_tokens(request):
    return ApiToken.objects.filter(user=request.user)


@router.post(
    "/tokens",
    response={201: TokenCreated},
    summary="Create an API token (the secret is shown once)",
    description="Needs the signed-in browser session: a request made with an API token is refused (403 "
    "`token_cannot_mint`). Without `expires_at` the token lives the longest lifetime the policy pack "
    "allows (`security.token_lifetime`); a later `expires_at` is refused (400 `token_expiry_too_far`).",
)
def create_token(request, payload: TokenIn):
    token, plaintext = actions.create_token(
        actor(request),
        user=request.user,
        name=payload.name,
        expires_at=payload.expires_at,
        via_token=getattr(request, "kefu_token", None),  # SEC-10: a token cannot mint tokens
    )
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "token": plaintext})


@router.delete("/tokens/{token_id}", response=TokenOut, summary="Revoke one of my API tokens")
def revoke_token(request, token_id: int):
    return actions.revoke_token(actor(request), token_id=token_id)
