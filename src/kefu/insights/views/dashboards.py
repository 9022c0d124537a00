"""今日 dashboard pages (issue 16, KPI-1): /insights/today/ and the records behind each number.

The numbers come from `queries.dashboards`; each chart carries its table and its 导出 Excel link
(`kefu.web.charts`), the export recomputed here for the reader — never data sent by the browser.
"""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from kefu.cases.models import CaseState
from kefu.core import clock
from kefu.followups.models import Outcome
from kefu.insights.queries import cards as card_queries
from kefu.insights.queries import dashboards as queries
from kefu.web.charts import DANGER, WARN, Chart, Series, exported
from kefu.web.support import actor, denied, web_view

LABELS = {
    "open": _l("In hand"),
    "queued": _l("Waiting unassigned"),
    "due_soon": _l("Due soon"),
    "breached": _l("Overdue"),
    "received": _l("New today"),
    "handled": _l("Resolved today"),
    "closed": _l("Closed today"),
    "revisits": _l("Revisits done today"),
}
COLORS = {"due_soon": WARN, "breached": DANGER}  # deadlines in the colours of the case clocks
RECORDS_SHOWN = 200  # a drill-down list shows this many rows (the count says how many there are)


def records_url(metric: str, person_id: int | None = None) -> str:
    url = reverse("insights:today_records", args=[metric])
    return f"{url}?{urlencode({'person': person_id})}" if person_id else url


def tiles(data: queries.Today) -> list[dict]:
    """The numbers on top of the page, each with the link to its records."""
    shown = []
    for metric in queries.METRICS:
        shown.append(
            {
                "metric": metric,
                "label": LABELS[metric],
                "value": data.totals.get(metric, 0),
                "url": records_url(metric),
                "alert": metric == "breached" and data.totals.get(metric, 0) > 0,
            }
        )
    return shown


def charts(data: queries.Today, page_path: str) -> list[Chart]:
    """MINE: the day's own numbers. TEAM: per member the queue and deadlines, and the day's numbers."""
    unit = _("cases")
    if data.mode == queries.MINE:
        person = data.people[0] if data.people else None
        metrics = queries.DAY_METRICS
        return [
            Chart(
                key="day",
                title=_("My numbers today"),
                categories=[str(LABELS[m]) for m in metrics],
                series=[
                    Series(
                        _("How many"),
                        [person.counts.get(m, 0) if person else 0 for m in metrics],
                        [records_url(m) for m in metrics],
                    )
                ],
                unit=unit,
                category_label=_("Item"),
                export_path=page_path,
            )
        ]
    names = [p.name for p in data.people]

    def series(metric):
        return Series(
            str(LABELS[metric]),
            [p.counts.get(metric, 0) for p in data.people],
            [records_url(metric, p.pk) for p in data.people],
            COLORS.get(metric, ""),
        )

    return [
        Chart(
            key="queue",
            title=_("Open cases and deadlines by agent"),
            categories=names,
            series=[series(m) for m in ("open", "due_soon", "breached")],
            unit=unit,
            category_label=_("Agent"),
            export_path=page_path,
        ),
        Chart(
            key="day",
            title=_("Today's numbers by agent"),
            categories=names,
            series=[series(m) for m in queries.DAY_METRICS],
            unit=unit,
            category_label=_("Agent"),
            export_path=page_path,
        ),
    ]


def link_cards(request, data: queries.Today, specs: list[Chart]) -> None:
    """TEAM: each agent's name links to their card (issue 16) when the reader may open it."""
    if data.mode != queries.TEAM or not data.people:
        return
    shown = card_queries.cards_in_scope(actor(request), [p.pk for p in data.people])
    links = [reverse("insights:card", args=[p.pk]) if p.pk in shown else "" for p in data.people]
    for spec in specs:
        spec.category_links = links


def context_for(request, data: queries.Today) -> dict:
    """What the 今日 block needs (the page and the home page both show it)."""
    specs = charts(data, reverse("insights:today"))
    link_cards(request, data, specs)
    return {
        "today": data,
        "tiles": tiles(data),
        "charts": specs,
        "day_label": data.day,
    }


@web_view
def today(request):
    me = actor(request)
    mode = queries.mode_of(me)
    if mode is None:
        return denied(request)
    data = queries.today(me, mode)
    context = context_for(request, data)
    response = exported(request, context["charts"], suffix=f"{data.day:%Y-%m-%d}")
    if response is not None:
        return response
    return render(request, "insights/today.html", context)


def _case_table(rows, title: str, page_path: str) -> Chart:
    states = dict(CaseState.choices)
    return Chart(
        key="records",
        kind="table",
        title=title,
        categories=[c.number for c in rows],
        category_links=[reverse("cases:case", args=[c.pk]) for c in rows],
        series=[
            Series(_("Title"), [c.title for c in rows]),
            Series(_("State"), [str(states.get(c.state, c.state)) for c in rows]),
            Series(_("Owner"), [c.owner.name if c.owner else "—" for c in rows]),
            Series(_("Received on"), [f"{_local(c.received_at):%Y-%m-%d %H:%M}" for c in rows]),
            Series(
                _("Next deadline"),
                [f"{_local(c.next_due_at):%Y-%m-%d %H:%M}" if c.next_due_at else "—" for c in rows],
            ),
        ],
        category_label=_("Case number"),
        export_path=page_path,
    )


def _task_table(rows, title: str, page_path: str) -> Chart:
    outcomes = dict(Outcome.choices)
    return Chart(
        key="records",
        kind="table",
        title=title,
        categories=[f"{_local(t.ended_at):%Y-%m-%d %H:%M}" for t in rows],
        category_links=[reverse("followups:task", args=[t.pk]) for t in rows],
        series=[
            Series(_("Case"), [t.case.number if t.case else "—" for t in rows]),
            Series(_("Revisit officer"), [t.assignee.name if t.assignee else "—" for t in rows]),
            Series(_("Outcome"), [str(outcomes.get(t.outcome, "—")) for t in rows]),
        ],
        category_label=_("Revisited at"),
        export_path=page_path,
    )


def _local(at):
    return clock.local(at)


@web_view
def today_records(request, metric: str):
    """The records behind one number of the 今日 page (one person's, or everyone's in view)."""
    me = actor(request)
    mode = queries.mode_of(me)
    if mode is None:
        return denied(request)
    person_id = queries.person_in_view(me, mode, request.GET.get("person"))
    found = queries.records(me, metric, person_id=person_id, mode=mode)
    total = found.count()
    rows = list(
        found.select_related("owner")[:RECORDS_SHOWN] if metric != "revisits" else found[:RECORDS_SHOWN]
    )
    person = (
        next((p for p in queries.people_in_view(me, mode) if p.pk == person_id), None) if person_id else None
    )
    title = str(LABELS[metric]) if person is None else f"{LABELS[metric]} · {person.name}"
    page_path = request.get_full_path().split("?")[0]
    table = (_task_table if metric == "revisits" else _case_table)(rows, title, page_path)
    if person_id:
        table.export_path = f"{page_path}?{urlencode({'person': person_id})}"
    response = exported(request, [table], suffix=f"{clock.today():%Y-%m-%d}")
    if response is not None:
        return response
    context = {"table": table, "total": total, "shown": len(rows), "metric": metric, "title": title}
    return render(request, "insights/today_records.html", context)


urlpatterns = [
    path("insights/today/", today, name="today"),
    path("insights/today/<slug:metric>/", today_records, name="today_records"),
]
