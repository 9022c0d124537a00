"""Greeting campaigns under /api/v1/followups/greetings (CARE-1)."""

from datetime import date, datetime
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from kefu.core.http_support import Pagination, StrictSchema, actor
from kefu.followups.actions import greetings as actions
from kefu.followups.queries import care
from kefu.followups.queries import greetings as queries

router = Router(tags=["followups"])


class GreetingCampaignOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    occasion: str  # chunjie, yuanxiao, qingming, duanwu, zhongqiu, birthday
    year: int
    occasion_on: date | None  # the festival's day (none for birthdays)
    title: str
    channel: str  # email, sms, call, visit
    audience: dict
    state: str  # planned, running, done
    owner_id: int
    caller_id: int | None
    checkpoint: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class GreetingCounts(Schema):
    planned: int
    greeted: int
    sent: int
    delivered: int
    failed: int
    late: int  # late or missed (CARE-1: delivered 1–3 days before)
    to_call: int


class GreetingCampaignDetailOut(GreetingCampaignOut):
    counts: GreetingCounts

    @staticmethod
    def resolve_counts(campaign) -> dict:
        return queries.counts(campaign)


class GreetingCampaignIn(StrictSchema):
    unit_id: int = Field(description="the subsidiary")
    occasion: Literal["chunjie", "yuanxiao", "qingming", "duanwu", "zhongqiu", "birthday"]
    year: int = Field(ge=2000, le=2100)
    channel: Literal["email", "sms", "call", "visit"]
    message: str = Field(
        max_length=500, description="{客户姓名} (or {name}) is replaced by the customer's name"
    )
    subject: str = Field("", max_length=120, description="required for e-mail")
    audience: dict = Field(default_factory=dict, description="audience rule: tiers, audiences, kinds, …")
    caller_id: int | None = Field(None, description="the employee who calls or visits")
    title: str = Field("", max_length=200)


class GreetingDeliveryOut(Schema):
    id: int
    customer_id: int
    customer_name: str = Field(validation_alias="customer.name")
    occasion_on: date
    state: str  # queued, to_call, done, failed
    message_id: int | None
    message_status: str | None = None
    failure: str
    verdict: str  # "", on_time, late, missed
    created_at: datetime
    done_at: datetime | None

    @staticmethod
    def resolve_message_status(delivery) -> str | None:
        return delivery.message.status if delivery.message_id else None


@router.get(
    "", response=list[GreetingCampaignOut], summary="Greeting campaigns of the subsidiaries I serve (CARE-1)"
)
@paginate(Pagination)
def list_campaigns(request):
    return queries.campaigns(actor(request))


@router.post("", response={201: GreetingCampaignOut}, summary="Plan a greeting campaign (CARE-1)")
def plan_campaign(request, payload: GreetingCampaignIn):
    me = actor(request)
    unit = care.subsidiary(me, payload.unit_id)
    caller = care.employee_in(unit, payload.caller_id) if payload.caller_id is not None else None
    data = payload.model_dump(exclude={"unit_id", "caller_id"})
    return Status(201, actions.plan(me, unit, caller=caller, **data))


@router.get("/{campaign_id}", response=GreetingCampaignDetailOut, summary="One campaign with its counts")
def get_campaign(request, campaign_id: int):
    return queries.campaign(actor(request), campaign_id)


@router.post("/{campaign_id}/start", response=GreetingCampaignOut, summary="Start a planned campaign now")
def start_campaign(request, campaign_id: int):
    me = actor(request)
    return actions.start(me, queries.campaign(me, campaign_id))


@router.get(
    "/{campaign_id}/deliveries", response=list[GreetingDeliveryOut], summary="The campaign's greetings"
)
@paginate(Pagination)
def list_deliveries(request, campaign_id: int, only: Literal["", "late", "failed", "to_call"] = ""):
    return queries.deliveries(queries.campaign(actor(request), campaign_id), only=only)


@router.post(
    "/deliveries/{delivery_id}/done",
    response=GreetingDeliveryOut,
    summary="The greeting call or visit was made",
)
def mark_done(request, delivery_id: int):
    me = actor(request)
    return actions.mark_done(me, queries.delivery(me, delivery_id))
