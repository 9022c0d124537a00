"""The per-agent card (issue 16): /insights/agents/<id>/ and 我的业绩 /insights/agents/me/ — every KPI of
the agent against its target (red when missed, each linking to its records for the agent), the daily
trend, the QA score with the inspections behind it and the sections other apps register; and the
按坐席 chart of the KPI page. Every chart carries its table and its 导出 Excel (`kefu.web.charts`),
recomputed here for the reader."""

from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kefu.core.errors import NotFound
from kefu.insights.queries import cards as queries
from kefu.insights.queries import kpis
from kefu.org import access
from kefu.web.charts import Chart, Series, exported
from kefu.web.support import actor, denied, record_id, web_view

UNITS = {kpis.PERCENT: "%", kpis.MINUTES: _l("min"), kpis.POINTS: _l("points")}
EMPTY = "-"  # a value with no data: ECharts leaves a gap, the table shows a dash


def unit_of(k: kpis.Kpi) -> str:
    return str(UNITS.get(k.unit, ""))


def figure(v: kpis.Value):
    """The value as a chart and a table show it: the number, or a dash when there is none."""
    return v.value if v.value is not None else EMPTY


def records_url(code: str, period: kpis.Period, *, agent: int | None = None, unit: int | None = None) -> str:
    query = {"period": period.kind, "day": period.start.isoformat()}
    if agent is not None:
        query["agent"] = agent
    elif unit is not None:
        query["unit"] = unit
    return f"{reverse('insights:kpi_records', args=[code])}?{urlencode(query)}"


def card_url(employee_id: int) -> str:
    return reverse("insights:card", args=[employee_id])


def tiles(data: queries.Card) -> list[dict]:
    agent = data.employee.pk
    shown = []
    for v in data.values:
        goal = None
        if v.target is not None:
            goal = f"{'≥' if v.kpi.better == 'higher' else '≤'} {v.target.value}{unit_of(v.kpi)}"
        shown.append(
            {
                "value": v,
                "figure": None if v.value is None else f"{v.value}{unit_of(v.kpi)}",
                "goal": goal,
                "url": records_url(v.kpi.code, data.period, agent=agent) if v.available else "",
            }
        )
    return shown


def charts(data: queries.Card, page_path: str) -> list[Chart]:
    """The KPI table (exported from the tiles), the daily trend, the inspections and each section."""
    agent, period = data.employee.pk, data.period
    export_path = f"{page_path}?{urlencode({'period': data.choice})}"
    available = [v for v in data.values if v.available]
    table = Chart(
        key="kpis",
        kind="table",
        title=_("KPIs of %(name)s") % {"name": data.employee.name},
        categories=[str(v.kpi.name) for v in available],
        series=[
            Series(
                _("Value"),
                [figure(v) for v in available],
                [records_url(v.kpi.code, period, agent=agent) for v in available],
            ),
            Series(_("Unit of measure"), [unit_of(v.kpi) for v in available]),
            Series(
                _("Target"), [float(v.target.value) if v.target is not None else EMPTY for v in available]
            ),
            Series(
                _("Met the target"),
                [
                    _("missed")
                    if v.missed
                    else (_("target met") if v.value is not None and v.target else EMPTY)
                    for v in available
                ],
            ),
        ],
        category_label=_("KPI"),
        export_path=export_path,
    )
    days = sorted({day for rows in data.trend.values() for day, _v in rows})
    trend_series = []
    for code, rows in data.trend.items():
        by_day = dict(rows)
        shown = [figure(by_day[d]) if d in by_day else EMPTY for d in days]
        links = [
            records_url(code, kpis.period_of("day", d), agent=agent) if f != EMPTY else ""
            for d, f in zip(days, shown, strict=True)
        ]
        trend_series.append(Series(str(kpis.kpi(code).name), shown, links))
    trend = Chart(
        key="trend",
        kind="line",
        title=_("Daily trend"),
        categories=[f"{d:%m-%d}" for d in days],
        series=trend_series if days else [],
        unit="%",
        category_label=_("Day"),
        export_path=export_path,
    )
    rows = data.inspections.rows if data.inspections else []
    qa = Chart(
        key="qa",
        kind="table",
        title=_("Inspections behind the QA score"),
        categories=[r.number for r in rows],
        category_links=[r.url or reverse("cases:case", args=[r.case_id]) for r in rows],
        series=[
            Series(_("Title"), [r.title for r in rows]),
            Series(_("Score"), [r.numerator for r in rows], [r.url for r in rows]),
            Series(_("Final on"), [f"{r.day:%Y-%m-%d}" for r in rows]),
        ],
        category_label=_("Case number"),
        export_path=export_path,
    )
    shown = [table, trend, qa]
    for one in data.sections:
        lines = one.lines
        shown.append(
            Chart(
                key=f"s-{one.section.key}".replace("_", "-"),
                kind="table",
                title=str(one.section.title),
                categories=[str(line.label) for line in lines],
                series=[Series(_("Value"), [line.value for line in lines], [line.url for line in lines])],
                category_label=_("Item"),
                export_path=export_path,
            )
        )
    return shown


def _show(request, employee_pk: int | None):
    me = actor(request)
    if not access.can(me, kpis.VIEW):
        return denied(request)
    data = queries.card(me, employee_pk, request.GET.get("period", "")[:20])
    specs = charts(data, request.path)
    response = exported(request, specs, suffix=f"{data.employee.name} {data.period.label}")
    if response is not None:
        return response
    context = {
        "card": data,
        "mine": employee_pk is None,
        "choices": queries.CHOICES,
        "tiles": tiles(data),
        "kpi_table": specs[0],
        "trend": specs[1],
        "qa_table": specs[2],
        "section_tables": specs[3:],
        "qa_more": data.inspections is not None and data.inspections.after is not None,
        "qa_records": records_url("qa_score", data.period, agent=data.employee.pk),
    }
    return render(request, "insights/card.html", context)


@web_view
def card(request, pk: int):
    if record_id(pk) is None:  # beyond what a key holds: no such person (never an SQL overflow)
        raise NotFound("坐席", "agent")
    return _show(request, pk)


@web_view
def mine(request):
    """我的业绩: the signed-in employee's own card (an account with no employee record: the KPI page)."""
    if access.employee_of(actor(request).principal) is None:
        return redirect("insights:kpis")
    return _show(request, None)


def team_chart(actor_, scope: kpis.Scope, period: kpis.Period, codes, page_path: str) -> Chart | None:
    """按坐席: the chosen KPIs per member of the unit's subtree, each name linking to the member's card,
    each value to its records for that agent."""
    if scope.unit is None:
        return None
    team = queries.by_agent(actor_, scope, period, codes)
    series = []
    for code in codes:
        k = kpis.kpi(code)
        unit = unit_of(k)
        values = team.values.get(code, {})
        series.append(
            Series(
                f"{k.name}（{unit}）" if unit else str(k.name),
                [figure(values[p.pk]) for p in team.members],
                [
                    records_url(code, period, agent=p.pk) if values[p.pk].value is not None else ""
                    for p in team.members
                ],
            )
        )
    note = (
        _("Only the first %(count)s people are shown.") % {"count": queries.MEMBERS_SHOWN}
        if team.more
        else ""
    )
    return Chart(
        key="team",
        title=_("KPIs by agent"),
        categories=[p.name for p in team.members],
        category_links=[card_url(p.pk) for p in team.members],
        series=series if team.members else [],
        category_label=_("Agent"),
        note=note,
        export_path=page_path,
    )


urlpatterns = [
    path("insights/agents/me/", mine, name="card_mine"),
    path("insights/agents/<int:pk>/", card, name="card"),
]
