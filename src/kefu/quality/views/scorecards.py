"""评分表配置 (QA-1): the scorecard in use for the configurer's subsidiary (or the group default), its
items with weight, maximum, fatal flag and description; saving makes a new version. The sampling plan's
risk weights, and drawing this week's sample by hand."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.quality.actions import sampling as sampling_actions
from kefu.quality.actions import scorecards as actions
from kefu.quality.models import RiskFactor
from kefu.quality.queries import sampling as sampling_queries
from kefu.quality.queries import scorecards as queries
from kefu.web.support import actor, web_view

BLANK_ROWS = 2


def _unit(me):
    """The unit the configurer edits: the group default with a group-wide grant, else their subsidiary."""
    if access.widest_scope(me, queries.CONFIGURE) == "group":
        return None
    employee = access.employee_of(me.principal)
    return policy.subsidiary_of(employee.unit) if employee else None


def _posted_items(post) -> list[dict]:
    rows = []
    for n in range(int(post.get("rows") or 0) if str(post.get("rows", "")).isdigit() else 0):
        name = post.get(f"name_{n}", "").strip()
        if not name:
            continue
        rows.append(
            {
                "name": name,
                "weight": post.get(f"weight_{n}", "0"),
                "max_score": post.get(f"max_{n}", "0"),
                "fatal": post.get(f"fatal_{n}") == "on",
                "description": post.get(f"description_{n}", ""),
            }
        )
    return rows


@web_view
def scorecards(request):
    me = actor(request)
    access.require(me, queries.CONFIGURE)
    unit = _unit(me)
    card = queries.current_for(unit) if unit is not None else queries.current_for(None)
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "card":
                saved = actions.save_version(
                    me,
                    unit=unit,
                    name=request.POST.get("name", ""),
                    items=_posted_items(request.POST),
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request, _("Version %(version)s of the scorecard is in use.") % {"version": saved.version}
                )
            elif what == "plan":
                actions.save_plan(
                    me,
                    unit=unit,
                    risk_weights={f: request.POST.get(f"risk_{f}", "0") for f in RiskFactor.values},
                )
                messages.success(request, _("The sampling plan was saved."))
            elif what == "sample":
                made = sampling_actions.run_now(me)
                messages.success(request, _("%(count)s cases were sampled this week.") % {"count": made})
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        return redirect(reverse("quality:scorecards"))
    items = list(card.items.order_by("position", "pk")) if card else []
    plan = sampling_queries.plan_for(unit)
    weights = plan.risk_weights if plan else {}
    context = {
        "unit": unit,
        "card": card,
        "own": card is not None and card.unit_id == (unit.pk if unit else None),
        "items": items,
        "blanks": range(len(items), len(items) + BLANK_ROWS),
        "rows": len(items) + BLANK_ROWS,
        "history": list(queries.visible(me).filter(unit=unit)[:20]),
        "risks": [(code, label, weights.get(code, 0)) for code, label in RiskFactor.choices],
        "percent": policy.lookup(sampling_actions.PERCENT, unit=unit).value,
    }
    return render(request, "quality/scorecards.html", context)
