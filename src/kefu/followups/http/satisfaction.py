"""The satisfaction rate under /api/v1/followups/satisfaction (CSAT-1): the page's figures, by the one
definition (`queries.satisfaction.rate`)."""

from typing import Literal

from ninja import Query, Router, Schema

from kefu.core.http_support import actor
from kefu.followups.queries import satisfaction as queries
from kefu.org import access

router = Router(tags=["followups"])


class SatisfactionFilters(Schema):
    by: Literal["agent", "team", "kind", "subsidiary", "month"] = "agent"
    months: Literal[1, 3, 6, 12] = 3


class SatisfactionRowOut(Schema):
    key: str
    label: str
    answered: int
    satisfied: int
    percent: float | None
    missed: bool


class SatisfactionOut(Schema):
    by: str
    target_percent: float
    answered: int
    satisfied: int
    percent: float | None
    unreached: int  # not counted: revisits ended 未回访
    unanswered: int  # not counted: survey links never answered
    rows: list[SatisfactionRowOut]


@router.get("", response=SatisfactionOut, summary="Satisfaction rate per agent/team/kind/subsidiary/month")
def figures(request, filters: Query[SatisfactionFilters]):
    me = actor(request)
    access.require(me, "case.view")
    p = queries.period(filters.months)
    target = float(queries.target().value)
    total = queries.rate(queries.answers(me, p))
    apart = queries.apart(me, p)

    def missed(percent):
        return percent is not None and percent < target

    return {
        "by": filters.by,
        "target_percent": target,
        "answered": total.answered,
        "satisfied": total.satisfied,
        "percent": total.percent,
        "unreached": apart.unreached,
        "unanswered": apart.unanswered,
        "rows": [
            {
                "key": r.key,
                "label": r.label,
                "answered": r.rate.answered,
                "satisfied": r.rate.satisfied,
                "percent": r.rate.percent,
                "missed": missed(r.rate.percent),
            }
            for r in queries.by(me, filters.by, p)
        ],
    }
