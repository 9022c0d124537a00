"""考核指标 page (KPI-1): every KPI for a chosen scope (me, a unit, an agent) and period (day, week,
month, quarter) against its target from the pack, red when missed; every value links to the cases
behind it (key-set paged)."""

from datetime import date

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kefu.insights.queries import cards
from kefu.insights.queries import kpis as queries
from kefu.insights.views.cards import team_chart
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.web.charts import exported
from kefu.web.support import actor, denied, record_id, web_view

PERIODS = [("day", _("Day")), ("week", _("Week")), ("month", _("Month")), ("quarter", _("Quarter"))]
AGENTS_SHOWN = 300  # people offered by the agent picker


def _chosen(request) -> list[str]:
    """The KPIs of the 按坐席 chart: those ticked, in display order (default: cards.TEAM_DEFAULT)."""
    asked = set(request.GET.getlist("kpi")[:20])
    codes = [k.code for k in queries.KPIS if k.code in asked]
    return codes or list(cards.TEAM_DEFAULT)


def _asked(request):
    kind = request.GET.get("period", "month")
    kind = kind if kind in queries.PERIODS else "month"
    try:
        day = date.fromisoformat(request.GET.get("day", "")[:10])
    except ValueError:
        day = None
    return kind, day


def _common(request, me):
    kind, day = _asked(request)
    unit, agent = record_id(request.GET.get("unit")), record_id(request.GET.get("agent"))
    scope = queries.scope_of(me, unit=unit, agent=agent)
    period = queries.period_of(kind, day)
    query = f"period={period.kind}&day={period.start.isoformat()}"
    if scope.agent is not None:
        query += f"&agent={scope.agent.pk}"
    elif scope.unit is not None:
        query += f"&unit={scope.unit.pk}"
    return scope, period, query


@web_view
def page(request):
    me = actor(request)
    if not access.can(me, queries.VIEW):
        return denied(request)
    scope, period, query = _common(request, me)
    units = access.scoped(Unit.objects.all(), me, queries.VIEW, unit_path="path").order_by("path")[:200]
    # the agent picker: the people in the reader's scope (an agent: only themselves)
    agents = access.scoped(
        Employee.objects.select_related("unit"), me, queries.VIEW, unit_path="unit__path", owner="pk"
    ).order_by("unit__path", "number")[:AGENTS_SHOWN]
    chosen = _chosen(request)
    team_path = f"{request.path}?{query}&" + "&".join(f"kpi={c}" for c in chosen)
    team = team_chart(me, scope, period, chosen, team_path)
    response = exported(request, [team] if team is not None else [], suffix=f"{scope.label} {period.label}")
    if response is not None:
        return response
    context = {
        "scope": scope,
        "period": period,
        "periods": PERIODS,
        "query": query,
        "units": units,
        "agents": agents,
        "kpis": [k for k in queries.KPIS],
        "chosen": chosen,
        "team": team,
        "values": queries.values(me, scope, period, bases=queries.parse_bases(request.GET.get("bases", ""))),
    }
    return render(request, "insights/kpis.html", context)


@web_view
def records(request, code: str):
    me = actor(request)
    if not access.can(me, queries.VIEW):
        return denied(request)
    if code not in {k.code for k in queries.KPIS}:
        return render(request, "web/error.html", {"status": 404, "message": _("No such KPI")}, status=404)
    scope, period, query = _common(request, me)
    after = record_id(request.GET.get("after")) or 0
    k = queries.kpi(code)
    base = k.base(request.GET.get("base", "")[:30] or None)
    found = queries.drill(me, code, scope, period, base=base.code if base else None, after=after)
    if base is not None:
        query += f"&base={base.code}"
    context = {
        "kpi": k,
        "base": base,
        "scope": scope,
        "period": period,
        "query": query,
        "found": found,
    }
    return render(request, "insights/kpi_records.html", context)
