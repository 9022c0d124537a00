"""KPIs under /api/v1/insights/kpis (KPI-1): the definitions, the values for a scope and period, and
the records behind a value — all by the one definition of each KPI (insights.queries.kpis)."""

from datetime import date
from typing import Literal

from ninja import Query, Router, Schema

from kefu.core.errors import NotFound
from kefu.core.http_support import actor
from kefu.insights.queries import kpis as queries
from kefu.org import access

router = Router(tags=["insights"])
Period = Literal["day", "week", "month", "quarter"]


class BaseOut(Schema):
    code: str
    name: str


class KpiOut(Schema):
    code: str
    name: str
    numerator: str
    unit: str
    better: str
    target_key: str
    bases: list[BaseOut]
    sourced: bool


class Filters(Schema):
    period: Period = "month"
    day: date | None = None
    unit: int | None = None
    agent: int | None = None


class ValuesFilters(Filters):
    # the denominators chosen, e.g. "complaint_rate:external,revisit_rate:planned" (default: settings)
    bases: str = ""


class ValueOut(Schema):
    code: str
    name: str
    unit: str
    base: str | None
    numerator: float
    denominator: int
    value: float | None
    available: bool
    target: float | None
    target_default: bool  # 本系统默认值: the number is not from the seed policies
    missed: bool


class ValuesOut(Schema):
    period: str
    start: date
    end: date  # the day after the last
    scope: str
    values: list[ValueOut]


class DrillFilters(Filters):
    base: str | None = None
    after: int = 0


class DrillRowOut(Schema):
    case_id: int
    number: str
    title: str
    unit: str
    owner: str
    day: date
    numerator: float  # a QA score may have a decimal
    denominator: int
    url: str = ""  # the record's page when it is not the case's (an inspection)


class DrillOut(Schema):
    code: str
    numerator: float
    denominator: int
    rows: list[DrillRowOut]
    next_after: int | None


def _value(v: queries.Value) -> dict:
    return {
        "code": v.kpi.code,
        "name": str(v.kpi.name),
        "unit": v.kpi.unit,
        "base": v.base.code if v.base else None,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "value": v.value,
        "available": v.available,
        "target": float(v.target.value) if v.target is not None else None,
        "target_default": bool(v.target and v.target.default_not_from_seeds),
        "missed": v.missed,
    }


@router.get("", response=list[KpiOut], summary="The KPI definitions (numerator, denominators, target key)")
def definitions(request):
    access.require(actor(request), queries.VIEW)
    return [
        {
            "code": k.code,
            "name": str(k.name),
            "numerator": str(k.numerator_doc),
            "unit": k.unit,
            "better": k.better,
            "target_key": k.target_key,
            "bases": [{"code": b.code, "name": str(b.name)} for b in k.bases],
            "sourced": k.sourced,
        }
        for k in queries.KPIS
    ]


@router.get("/values", response=ValuesOut, summary="Every KPI for a scope (unit or agent) and a period")
def values(request, filters: Query[ValuesFilters]):
    me = actor(request)
    access.require(me, queries.VIEW)
    scope = queries.scope_of(me, unit=filters.unit, agent=filters.agent)
    p = queries.period_of(filters.period, filters.day)
    return {
        "period": p.kind,
        "start": p.start,
        "end": p.end,
        "scope": scope.label,
        "values": [_value(v) for v in queries.values(me, scope, p, bases=queries.parse_bases(filters.bases))],
    }


@router.get("/{code}/records", response=DrillOut, summary="The records behind one KPI value (key-set paged)")
def records(request, code: str, filters: Query[DrillFilters]):
    me = actor(request)
    access.require(me, queries.VIEW)
    if code not in {k.code for k in queries.KPIS}:
        raise NotFound("指标", "KPI")
    scope = queries.scope_of(me, unit=filters.unit, agent=filters.agent)
    p = queries.period_of(filters.period, filters.day)
    found = queries.drill(me, code, scope, p, base=filters.base, after=filters.after)
    return {
        "code": code,
        "numerator": found.numerator,
        "denominator": found.denominator,
        "rows": [r.__dict__ for r in found.rows],
        "next_after": found.after,
    }
