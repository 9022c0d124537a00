"""Cultural-exchange events under /api/v1/followups/events (CARE-3)."""

from datetime import date, datetime

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.followups.actions import events as actions
from kefu.followups.queries import care
from kefu.followups.queries import events as queries

router = Router(tags=["followups"])


class CareEventOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    title: str
    place: str
    starts_on: date
    ends_on: date
    audience: dict
    state: str  # planned, held, cancelled
    owner_id: int
    created_at: datetime
    invited: int = 0
    coming: int = 0
    attended: int = 0


class EventInvitationOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(validation_alias="customer.name")
    rsvp: str  # "", yes, no
    rsvp_at: datetime | None
    rsvp_by_customer: bool
    attended: bool | None


class CareEventDetailOut(CareEventOut):
    invitations: list[EventInvitationOut]

    @staticmethod
    def resolve_invitations(event) -> list:
        return list(queries.invitations(event))


class CareEventIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary")
    title: str = Field(max_length=200)
    place: str = Field(max_length=200)
    starts_on: date = Field(description="usually a Saturday; the event lasts care.event_days days")
    audience: dict = Field(default_factory=dict, description="who is invited (audience rule)")


class EventInviteOut(Schema):
    invited: int
    texted: int


class EventInvitationIn(StrictSchema):
    rsvp: str | None = Field(None, pattern="^(yes|no)$")
    attended: bool | None = None


class EventGapOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    month: date
    flagged_at: datetime


@router.get(
    "", response=list[CareEventOut], summary="Cultural-exchange events of the subsidiaries I serve (CARE-3)"
)
@paginate(Pagination)
def list_events(request):
    return queries.events(actor(request))


@router.post(
    "", response={201: CareEventOut}, summary="Plan an event (two days, usually Saturday and Sunday)"
)
def plan_event(request, payload: CareEventIn):
    me = actor(request)
    unit = care.subsidiary(me, payload.unit_id)
    event = actions.plan(
        me,
        unit,
        title=payload.title,
        place=payload.place,
        starts_on=payload.starts_on,
        audience=payload.audience,
    )
    return Status(201, queries.event(me, event.pk))


@router.get("/gaps", response=list[EventGapOut], summary="Months flagged without an event (CARE-3)")
@paginate(Pagination)
def list_gaps(request):
    return queries.gaps(actor(request))


@router.get("/{event_id}", response=CareEventDetailOut, summary="One event with its invitations")
def get_event(request, event_id: int):
    return queries.event(actor(request), event_id)


@router.post(
    "/{event_id}/invite", response=EventInviteOut, summary="Invite the customers of the event's rule"
)
def invite(request, event_id: int):
    me = actor(request)
    return actions.invite(me, queries.event(me, event_id))


@router.post(
    "/invitations/{invitation_id}",
    response=EventInvitationOut,
    summary="Record an answer given by phone, or attendance",
)
def record(request, invitation_id: int, payload: EventInvitationIn):
    me = actor(request)
    invitation = queries.invitation(me, invitation_id)
    return actions.record(me, invitation, rsvp=payload.rsvp, attended=payload.attended)


@router.post("/{event_id}/cancel", response=CareEventOut, summary="Cancel the event")
def cancel(request, event_id: int):
    me = actor(request)
    actions.cancel(me, queries.event(me, event_id))
    return queries.event(me, event_id)
