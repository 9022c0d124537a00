"""The 今日 dashboard under /api/v1/insights/today (issue 16, KPI-1): the page's numbers, by the same
queries — the reader's own (an agent) or per member of their team (a supervisor)."""

from datetime import date, datetime

from ninja import Router, Schema

from kefu.core.errors import PermissionDenied
from kefu.core.http_support import actor
from kefu.insights.queries import dashboards as queries

router = Router(tags=["insights"])


class TodayCounts(Schema):
    open: int
    due_soon: int
    breached: int
    received: int
    handled: int
    closed: int
    revisits: int


class TodayTotals(TodayCounts):
    queued: int


class TodayPersonOut(Schema):
    id: int
    name: str
    counts: TodayCounts


class TodayOut(Schema):
    mode: str  # "mine" (the reader's own numbers) or "team" (per member of the reader's team)
    day: date
    at: datetime
    due_soon_hours: float
    due_soon_default_not_from_seeds: bool
    totals: TodayTotals
    people: list[TodayPersonOut]


@router.get("/today", response=TodayOut, summary="Today: queue, due soon, breached and today's numbers")
def today(request):
    me = actor(request)
    mode = queries.mode_of(me)
    if mode is None:
        raise PermissionDenied("您没有“查看工单”权限", "You lack the permission “view cases”")
    data = queries.today(me, mode)
    return {
        "mode": data.mode,
        "day": data.day,
        "at": data.now,
        "due_soon_hours": float(data.due_soon.value),
        "due_soon_default_not_from_seeds": data.due_soon.default_not_from_seeds,
        "totals": data.totals,
        "people": [{"id": p.pk, "name": p.name, "counts": p.counts} for p in data.people],
    }
