"""Revisit campaigns and 《回访总结报告》 under /api/v1/followups (FUP-1)."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from kefu.core.http_support import actor
from kefu.followups.actions import campaigns as actions
from kefu.followups.http.schemas import (
    RevisitCampaignIn,
    RevisitCampaignOut,
    RevisitLaunchOut,
    RevisitReportOut,
)
from kefu.followups.queries import campaigns as queries
from kefu.org import access

router = Router(tags=["followups"])


class MonthFilters(Schema):
    unit_id: int
    year: int = Field(ge=2000, le=2100)
    month: int = Field(ge=1, le=12)


@router.get(
    "/campaigns", response=list[RevisitCampaignOut], summary="Revisit campaigns in my scope, newest first"
)
def list_campaigns(request):
    me = actor(request)
    access.require(me, "revisit.view")
    return list(queries.campaigns(me)[:500])


@router.post("/campaigns", response={201: RevisitCampaignOut}, summary="Plan a revisit campaign (FUP-1)")
def create_campaign(request, payload: RevisitCampaignIn):
    me = actor(request)
    unit = queries.unit(me, payload.unit_id)
    return Status(
        201,
        actions.create_campaign(
            me,
            unit,
            name=payload.name,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            rule=payload.rule,
            every_months=payload.every_months,
        ),
    )


@router.post(
    "/campaigns/{campaign_id}/launch",
    response=RevisitLaunchOut,
    summary="Launch a campaign: one revisit per selected customer, assigned by load (FUP-1)",
)
def launch_campaign(request, campaign_id: int):
    me = actor(request)
    return {"opened": actions.launch(me, queries.campaign(me, campaign_id))}


@router.get(
    "/campaigns/{campaign_id}/report",
    response=RevisitReportOut,
    summary="《回访总结报告》 of a campaign (FUP-1)",
)
def campaign_report(request, campaign_id: int):
    me = actor(request)
    return queries.campaign_report(me, queries.campaign(me, campaign_id))


@router.get(
    "/reports/month", response=RevisitReportOut, summary="《回访总结报告》 of a subsidiary's month (FUP-1)"
)
def month_report(request, filters: Query[MonthFilters]):
    me = actor(request)
    access.require(me, "revisit.view")
    return queries.month_report(me, queries.unit(me, filters.unit_id), filters.year, filters.month)
