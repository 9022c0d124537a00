"""满意度 page (CSAT-1): the satisfaction rate per agent / team / kind / subsidiary / month in the
caller's scope, against the pack's target (KPI-1 ≥ 90 %), red when missed; the customers not
reached and the links not answered shown apart; every figure drills down to the answers behind it."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from kefu.followups.queries import satisfaction as queries
from kefu.followups.views.forms import MONTH_CHOICES
from kefu.org import access
from kefu.web.support import CappedPaginator, actor, denied, web_view

VIEW = "case.view"
PER_PAGE = 50
TABS = [
    ("agent", _("By agent")),
    ("team", _("By team")),
    ("kind", _("By kind")),
    ("subsidiary", _("By subsidiary")),
    ("month", _("By month")),
]
# the first column's heading for each grouping
COLUMNS = {
    "agent": _("Agent"),
    "team": _("Team"),
    "kind": _("Kind"),
    "subsidiary": _("Subsidiary"),
    "month": _("Month"),
}


def _months(request) -> int:
    text = request.GET.get("months", "")
    return int(text) if text in ("1", "3", "6", "12") else 3


def _dimension(request) -> str:
    found = request.GET.get("by", "")
    return found if found in queries.DIMENSIONS else "agent"


def _allowed(me) -> bool:
    return access.can(me, VIEW)


@web_view
def page(request):
    me = actor(request)
    if not _allowed(me):
        return denied(request)
    dimension, p = _dimension(request), queries.period(_months(request))
    target = queries.target()
    rows = [
        {"row": r, "missed": r.rate.percent is not None and r.rate.percent < target.value}
        for r in queries.by(me, dimension, p)
    ]
    total = queries.rate(queries.answers(me, p))
    context = {
        "tabs": TABS,
        "dimension": dimension,
        "column": COLUMNS.get(dimension, ""),
        "months": p.months,
        "month_choices": MONTH_CHOICES,
        "rows": rows,
        "total": total,
        "total_missed": total.percent is not None and total.percent < target.value,
        "target": target,
        "apart": queries.apart(me, p),
        "may_configure": access.can(me, "revisit.configure"),
    }
    return render(request, "followups/satisfaction.html", context)


@web_view
def answers(request):
    """The answers behind one figure of the page (the same set it counted)."""
    me = actor(request)
    if not _allowed(me):
        return denied(request)
    dimension = "all" if request.GET.get("by") == "all" else _dimension(request)
    p = queries.period(_months(request))
    key = request.GET.get("key", "")[:40]
    found = queries.drill(me, dimension, key, p)
    page_ = CappedPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
    figure = queries.rate(found)
    context = {
        "page": page_,
        "rows": page_.object_list,
        "figure": figure,
        "dimension": dimension,
        "dimension_label": dict(TABS).get(dimension, _("All answers")),
        "key": key,
        "label": request.GET.get("label", "")[:100],
        "months": p.months,
    }
    return render(request, "followups/satisfaction_answers.html", context)
