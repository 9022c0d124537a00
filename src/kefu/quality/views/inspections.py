"""质检 pages (QA-1): the inspector's workbench (my tasks, appeals to rule), one inspection (case
summary, timeline, files with the recordings played in the page, the scorecard form with a comment per
item and the fatal item; publish; the agent's appeal inside the window; the second inspector's
ruling), and the agent's 我的质检结果."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.queries import intake as case_queries
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.quality import labels
from kefu.quality.actions import appeals as appeal_actions
from kefu.quality.actions import inspections as actions
from kefu.quality.models import AppealOutcome, InspectionState, Origin
from kefu.quality.queries import inspections as queries
from kefu.web.support import actor, web_view


def _decorate(rows):
    for row in rows:
        row.risk_text = labels.risk_text(row.risk)
    return rows


@web_view
def workbench(request):
    """质检工作台: the inspections assigned to me, filtered by state and origin, and the appeals I may rule."""
    me = actor(request)
    access.require(me, queries.INSPECT)
    state = request.GET.get("state", "")
    origin = request.GET.get("origin", "")
    if state not in InspectionState.values:
        state = ""
    if origin not in Origin.values:
        origin = ""
    context = {
        "rows": _decorate(list(queries.my_tasks(me, state=state, origin=origin)[:200])),
        "appeals": list(queries.appeals_to_rule(me)[:100]),
        "states": InspectionState.choices,
        "origins": [c for c in Origin.choices if c[0] != Origin.CALIBRATION],
        "state": state,
        "origin": origin,
        "may_configure": access.can(me, "quality.configure"),
    }
    return render(request, "quality/workbench.html", context)


@web_view
def mine(request):
    """我的质检结果: the agent's own published results."""
    me = actor(request)
    rows = list(queries.my_results(me)[:200])
    for row in rows:
        row.deadline = queries.appeal_deadline(row)
    return render(request, "quality/mine.html", {"rows": rows, "now": clock.now()})


def _parse_scores(post, items) -> dict:
    return {
        row["item"].pk: {
            "score": post.get(f"score_{row['item'].pk}", ""),
            "violated": post.get(f"violated_{row['item'].pk}") == "on",
            "comment": post.get(f"comment_{row['item'].pk}", ""),
        }
        for row in items
    }


def _context(me, found) -> dict:
    employee = access.employee_of(me.principal)
    inspecting = queries.may_inspect(me, found)
    is_inspector = employee is not None and employee.pk == found.inspector_id
    deadline = queries.appeal_deadline(found)
    now = clock.now()
    case = found.case
    case_visible = case_queries.cases(me).filter(pk=case.pk).exists()
    timeline = case_queries.timeline(case) if inspecting else []
    for row in timeline:
        row["file"] = row["kind"] == _("Attachment")  # a file name is shown as a code, not as words
    return {
        "inspection": found,
        "case": case,
        "case_visible": case_visible,
        "timeline": timeline,
        "files": queries.attachments(found) if case_visible else [],
        "items": queries.item_scores(found),
        "may_score": is_inspector
        and inspecting
        and found.state in (InspectionState.ASSIGNED, InspectionState.SCORED),
        "may_publish": is_inspector
        and found.state == InspectionState.SCORED
        and found.calibration_id is None,
        "may_appeal": employee is not None
        and employee.pk == found.agent_id
        and found.state == InspectionState.PUBLISHED
        and deadline is not None
        and now <= deadline,
        "may_rule": inspecting
        and found.state == InspectionState.APPEALED
        and employee is not None
        and employee.pk not in (found.inspector_id, found.agent_id),
        "deadline": deadline,
        "appeal": getattr(found, "appeal", None),
        "outcomes": AppealOutcome.choices,
        "risk_text": labels.risk_text(found.risk),
        "show_scores": inspecting or found.state != InspectionState.ASSIGNED,
    }


@web_view
def inspection(request, pk: int):
    me = actor(request)
    found = queries.inspection(me, pk)
    if request.method == "POST":
        what = request.POST.get("what", "")
        link = reverse("quality:inspection", args=[found.pk])
        try:
            if what == "score":
                actions.score(
                    me,
                    found,
                    scores=_parse_scores(request.POST, queries.item_scores(found)),
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("The scores were saved."))
            elif what == "publish":
                actions.publish(me, found)
                messages.success(request, _("The result is published to the agent."))
            elif what == "appeal":
                appeal_actions.file(me, found, reason=request.POST.get("reason", ""))
                messages.success(request, _("Your appeal was filed."))
            elif what == "rule":
                appeal_actions.rule(
                    me,
                    found,
                    outcome=request.POST.get("outcome", ""),
                    ruling=request.POST.get("ruling", ""),
                    total=request.POST.get("total") or None,
                )
                messages.success(request, _("The appeal is ruled."))
            else:
                return redirect(link)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            context = _context(me, queries.inspection(me, pk))
            context["error"] = error.message
            context["posted"] = request.POST
            return render(request, "quality/inspection.html", context, status=error.status)
        return redirect(link)
    return render(request, "quality/inspection.html", _context(me, found))
