"""Improvement suggestions under /api/v1/documents/suggestions (DOC-1)."""

from datetime import datetime

from ninja import Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import StrictSchema, actor
from kefu.documents.actions import suggestions as actions
from kefu.documents.queries import suggestions as queries

router = Router(tags=["documents"])


class ImprovementSuggestionOut(Schema):
    id: int
    unit_id: int
    author_id: int
    author_name: str = Field(validation_alias="author.name")
    title: str
    body: str
    submitted_at: datetime
    status: str  # submitted, accepted, declined, implemented
    reason: str
    reviewed_at: datetime | None
    implemented_at: datetime | None
    implementation: str


class ImprovementSuggestionIn(StrictSchema):
    title: str = Field(max_length=200)
    body: str = Field(max_length=4000)


class SuggestionReviewIn(StrictSchema):
    accept: bool
    reason: str = Field("", max_length=1000)


class SuggestionImplementIn(StrictSchema):
    implementation: str = Field(max_length=1000)


@router.get(
    "", response=list[ImprovementSuggestionOut], summary="My suggestions and those of the units I oversee"
)
def list_suggestions(request):
    return list(queries.suggestions(actor(request))[:200])


@router.post(
    "", response={201: ImprovementSuggestionOut}, summary="Make a suggestion (any staff member) (DOC-1)"
)
def submit(request, payload: ImprovementSuggestionIn):
    return Status(201, actions.submit(actor(request), title=payload.title, body=payload.body))


@router.get("/{suggestion_id}", response=ImprovementSuggestionOut, summary="One suggestion")
def get_suggestion(request, suggestion_id: int):
    return queries.suggestion(actor(request), suggestion_id)


@router.post(
    "/{suggestion_id}/review",
    response=ImprovementSuggestionOut,
    summary="Accept, or decline with a reason (DOC-1)",
)
def review(request, suggestion_id: int, payload: SuggestionReviewIn):
    me = actor(request)
    return actions.review(
        me, queries.suggestion(me, suggestion_id), accept=payload.accept, reason=payload.reason
    )


@router.post(
    "/{suggestion_id}/implement",
    response=ImprovementSuggestionOut,
    summary="Close an accepted suggestion as implemented (DOC-1)",
)
def implement(request, suggestion_id: int, payload: SuggestionImplementIn):
    me = actor(request)
    return actions.implement(me, queries.suggestion(me, suggestion_id), implementation=payload.implementation)
