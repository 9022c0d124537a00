"""The 本月 dashboard under /api/v1/insights/month (issue 16, KPI-1): the page's numbers, by the same
query (`insights.queries.month`) — every KPI against its target, the trends by day, each subsidiary's
key KPIs, the top complaint categories and the escalations."""

from datetime import date
from typing import Literal

from ninja import Query, Router, Schema

from kefu.core.http_support import actor
from kefu.insights.http.kpis import ValueOut, _value
from kefu.insights.queries import kpis
from kefu.insights.queries import month as queries
from kefu.org import access

router = Router(tags=["insights"])


class MonthDashboardFilters(Schema):
    period: Literal["month", "quarter"] = "month"
    day: date | None = None
    unit: int | None = None


class MonthDayOut(Schema):
    day: date
    received: int
    closed: int
    escalations: int
    rates: dict[str, float | None]  # KPI code → its value that day (None: nothing to count)


class MonthSubsidiaryOut(Schema):
    unit_id: int | None  # None: the group's own departments (under no subsidiary)
    name: str
    received: int
    closed: int
    escalations: int
    values: list[ValueOut]


class MonthCategoryOut(Schema):
    category: str  # as stored ("" = uncategorised)
    label: str
    complaints: int


class MonthDashboardOut(Schema):
    period: str
    start: date
    end: date  # the day after the last
    scope: str
    values: list[ValueOut]
    days: list[MonthDayOut]
    subsidiaries: list[MonthSubsidiaryOut]
    categories: list[MonthCategoryOut]
    escalations: int


@router.get(
    "/month",
    response=MonthDashboardOut,
    summary="本月: KPIs against targets, trends, subsidiaries, categories",
)
def month(request, filters: Query[MonthDashboardFilters]):
    me = actor(request)
    access.require(me, kpis.VIEW)
    scope = kpis.scope_of(me, unit=filters.unit)
    period = kpis.period_of(filters.period, filters.day)
    data = queries.month(me, scope, period)
    days = [
        {
            "day": day,
            "received": data.trend["received"][i],
            "closed": data.trend["closed"][i],
            "escalations": data.trend["escalations"][i],
            "rates": {code: data.trend[code][i].value for code in queries.TREND_KPIS},
        }
        for i, day in enumerate(data.days)
    ]
    return {
        "period": period.kind,
        "start": period.start,
        "end": period.end,
        "scope": scope.label,
        "values": [_value(v) for v in data.values],
        "days": days,
        "subsidiaries": [
            {
                "unit_id": row.unit.pk if row.unit else None,
                "name": row.name,
                "received": row.received,
                "closed": row.closed,
                "escalations": row.escalations,
                "values": [_value(v) for v in row.values.values()],
            }
            for row in data.units
        ],
        "categories": [{"category": v, "label": label, "complaints": n} for label, n, v in data.categories],
        "escalations": data.escalations,
    }
