"""本月 dashboard pages (issue 16, KPI-1): /insights/month/ and the cases behind a category or an
escalation count; the 本月 block of a manager's or an executive's home page.

The numbers come from `queries.month`; every tile links to its KPI's records (`/insights/kpis/<code>/`),
every chart carries its table and its 导出 Excel link (`kefu.web.charts`), recomputed here for the
reader — never data sent by the browser.
"""

from datetime import date, timedelta

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kefu.core import clock, plans
from kefu.core.actor import Actor
from kefu.insights.queries import dashboards as today_queries
from kefu.insights.queries import kpis
from kefu.insights.queries import month as queries
from kefu.org import access
from kefu.org.models import Unit, UnitKind
from kefu.web.charts import DANGER, WARN, Chart, Series, exported
from kefu.web.support import actor, denied, record_id, web_view

KINDS = (("month", _l("Month")), ("quarter", _l("Quarter")))
RECORDS_SHOWN = 200  # a list of records shows this many rows (the count says how many there are)
UNITS_LISTED = 200  # the unit filter lists this many units of the reader's scope
SCOPE_KINDS = (UnitKind.SUBSIDIARY, UnitKind.DEPARTMENT, UnitKind.TEAM)
HOME_CHARTS = ("rates", "units")  # the charts of the home block


def home_shown(me: Actor) -> bool:
    """Whose home page shows the 本月 block: managers and executives — the readers the 今日 home
    leaves out (`dashboards.home_mode` is None) who read the KPIs at subsidiary or group scope."""
    if today_queries.home_mode(me) is not None:
        return False
    return any(g.scope in today_queries.WIDE_SCOPES for g in access.grants(me, kpis.VIEW))


# ---- what the request asks for -------------------------------------------------------------------


def _asked(request, me: Actor):
    kind = request.GET.get("period", "month")
    kind = kind if kind in dict(KINDS) else "month"
    try:
        day = date.fromisoformat(request.GET.get("day", "")[:10])
    except ValueError:
        day = None
    scope = kpis.scope_of(me, unit=record_id(request.GET.get("unit")))
    return scope, kpis.period_of(kind, day)


def _query(scope: kpis.Scope, period: kpis.Period, **more) -> str:
    params = {"period": period.kind, "day": period.start.isoformat()}
    if scope.unit is not None:
        params["unit"] = scope.unit.pk
    params.update({k: v for k, v in more.items() if v is not None})
    return urlencode(params)


def kpi_url(code: str, scope: kpis.Scope, period: kpis.Period, *, day: date | None = None, unit=None) -> str:
    """The records behind a KPI value: the KPI page's drill-down for the period (or one day)."""
    params = {"period": "day", "day": day.isoformat()} if day else {"period": period.kind}
    params.setdefault("day", period.start.isoformat())
    chosen = unit if unit is not None else scope.unit
    if chosen is not None:
        params["unit"] = chosen.pk
    return f"{reverse('insights:kpi_records', args=[code])}?{urlencode(params)}"


def cases_url(scope: kpis.Scope, period: kpis.Period, **filters) -> str:
    return f"{reverse('insights:month_cases')}?{_query(scope, period, **filters)}"


# ---- tiles and charts ----------------------------------------------------------------------------


def _shown(value: kpis.Value):
    """A value as a chart and a table show it: a number, or "—" when there is nothing to count."""
    return value.value if value.value is not None else "—"


def tiles(data: queries.Month) -> list[dict]:
    out = []
    for v in data.values:
        out.append(
            {
                "value": v,
                "url": kpi_url(v.kpi.code, data.scope, data.period),
                "sign": "≥" if v.kpi.better == "higher" else "≤",
            }
        )
    return out


def charts(data: queries.Month, page_path: str) -> list[Chart]:
    scope, period = data.scope, data.period
    export_path = f"{page_path}?{_query(scope, period)}"
    labels = [f"{d:%m-%d}" for d in data.days]

    def rate(code: str, color: str = "") -> Series:
        return Series(
            str(kpis.kpi(code).name),
            [_shown(v) for v in data.trend[code]],
            [kpi_url(code, scope, period, day=d) for d in data.days],
            color,
        )

    out = [
        Chart(
            key="rates",
            title=_("Satisfaction and complaint rate by day"),
            categories=labels,
            series=[rate("satisfaction"), rate("complaint_rate", DANGER)],
            kind="line",
            unit="%",
            category_label=_("Day"),
            export_path=export_path,
        ),
        Chart(
            key="units",
            title=_("Key KPIs by subsidiary"),
            categories=[row.name for row in data.units],
            series=[
                Series(
                    str(kpis.kpi(code).name),
                    [_shown(row.values[code]) for row in data.units],
                    [kpi_url(code, scope, period, unit=row.unit) if row.unit else "" for row in data.units],
                )
                for code in queries.UNIT_KPIS
            ],
            unit="%",
            category_label=_("Subsidiary"),
            export_path=export_path,
        ),
        Chart(
            key="volume",
            title=_("Cases received and closed by day"),
            categories=labels,
            series=[
                Series(
                    _("Cases received"),
                    data.trend["received"],
                    [kpi_url("complaint_rate", scope, period, day=d) for d in data.days],
                ),
                Series(
                    _("Cases closed"),
                    data.trend["closed"],
                    [kpi_url("reopen_rate", scope, period, day=d) for d in data.days],
                ),
            ],
            unit=_("cases"),
            category_label=_("Day"),
            export_path=export_path,
        ),
        Chart(
            key="categories",
            title=_("Top complaint categories"),
            categories=[label for label, _n, _v in data.categories],
            series=[
                Series(
                    _("Complaints"),
                    [n for _label, n, _v in data.categories],
                    [cases_url(scope, period, category=value) for _label, _n, value in data.categories],
                    DANGER,
                )
            ],
            unit=_("cases"),
            category_label=_("Category"),
            export_path=export_path,
        ),
        Chart(
            key="escalations",
            title=_("Escalated cases by day received"),
            categories=labels,
            series=[
                Series(
                    _("Escalated cases"),
                    data.trend["escalations"],
                    [cases_url(scope, period, escalated=1, on=d.isoformat()) for d in data.days],
                    WARN,
                )
            ],
            unit=_("cases"),
            category_label=_("Day"),
            export_path=export_path,
        ),
        Chart(
            key="reopen",
            title=_("Reopen and bounce rate by day closed"),
            categories=labels,
            series=[rate("reopen_rate", WARN), rate("bounce_rate", DANGER)],
            kind="line",
            unit="%",
            category_label=_("Day"),
            export_path=export_path,
        ),
    ]
    return out


def _units(me: Actor):
    rows = access.scoped(Unit.objects.filter(kind__in=SCOPE_KINDS), me, kpis.VIEW, unit_path="path")
    return list(rows.order_by("path").only("pk", "name", "kind", "path")[:UNITS_LISTED])


def context_for(data: queries.Month) -> dict:
    """What the 本月 block needs (the page and the home page both show it)."""
    period = data.period
    before = kpis.period_of(period.kind, period.start - timedelta(days=1))
    after = kpis.period_of(period.kind, period.end)
    return {
        "month": data,
        "tiles": tiles(data),
        "month_charts": charts(data, reverse("insights:month")),
        "page_query": _query(data.scope, period),
        "previous_query": _query(data.scope, before),
        "next_query": _query(data.scope, after) if after.start <= clock.today() else "",
        "kinds": KINDS,
    }


@web_view
def page(request):
    me = actor(request)
    if not access.can(me, kpis.VIEW):
        return denied(request)
    scope, period = _asked(request, me)
    data = queries.month(me, scope, period)
    context = context_for(data)
    response = exported(request, context["month_charts"], suffix=period.label)
    if response is not None:
        return response
    context["units"] = _units(me)
    return render(request, "insights/month.html", context)


def home_context(request, me: Actor) -> dict:
    """The 本月 block of the home page: this month, everything the reader may see."""
    data = queries.month(me, kpis.Scope(), kpis.period_of("month"))
    context = context_for(data)
    context["month_charts"] = [c for c in context["month_charts"] if c.key in HOME_CHARTS]
    return context


# ---- the cases behind a category or an escalation count ------------------------------------------


@web_view
def records(request):
    me = actor(request)
    if not access.can(me, kpis.VIEW):
        return denied(request)
    scope, period = _asked(request, me)
    try:
        day = date.fromisoformat(request.GET.get("on", "")[:10])
    except ValueError:
        day = None
    category = request.GET["category"][:100] if "category" in request.GET else None
    escalated = category is None
    found = queries.cases(me, scope, period, category=category, escalated=escalated, day=day)
    with plans.custom_plans():  # a past month's complaints: a plan for its days, not a generic one
        total = found.count()
        rows = list(
            found.select_related("case", "unit", "owner").order_by("-received_day", "-case_id")[
                :RECORDS_SHOWN
            ]
        )
    if category is not None:
        title = _("Complaints of category %(name)s") % {"name": category or queries.UNCATEGORISED}
    else:
        title = _("Escalated cases")
    if day is not None:
        title = f"{title} · {day:%Y-%m-%d}"
    table = Chart(
        key="records",
        kind="table",
        title=title,
        categories=[f.case.number for f in rows],
        category_links=[reverse("cases:case", args=[f.case_id]) for f in rows],
        series=[
            Series(_("Title"), [f.case.title for f in rows]),
            Series(_("Unit"), [f.unit.name for f in rows]),
            Series(_("Owner"), [f.owner.name if f.owner_id else "—" for f in rows]),
            Series(_("Received on"), [f"{f.received_day:%Y-%m-%d}" for f in rows]),
            Series(_("Category"), [f.category or str(queries.UNCATEGORISED) for f in rows]),
        ],
        category_label=_("Case number"),
        export_path=cases_url(
            scope,
            period,
            category=category,
            escalated=1 if escalated else None,
            on=day.isoformat() if day else None,
        ),
    )
    response = exported(request, [table], suffix=period.label)
    if response is not None:
        return response
    context = {
        "table": table,
        "total": total,
        "shown": len(rows),
        "scope": scope,
        "period": period,
        "back": f"{reverse('insights:month')}?{_query(scope, period)}",
    }
    return render(request, "insights/month_cases.html", context)


urlpatterns = [
    path("insights/month/", page, name="month"),
    path("insights/month/cases/", records, name="month_cases"),
]
