"""客户流程报备 pages (CLM-11): the list in the caller's scope with a 待审核 filter, the submit form and
a report's page where the supervisor reviews and assigns, the assignee records feedback and the
supervisor archives — each step shown with who and when."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.claims import actions
from kefu.claims.models import PlanState, ReportState
from kefu.claims.queries import people, plans
from kefu.claims.queries import reports as queries
from kefu.core.errors import Invalid
from kefu.org import access
from kefu.org.queries import employee_named
from kefu.web.support import actor, attempt, denied, web_view

VIEWS = {
    "": {},
    "pending": {"state": ReportState.SUBMITTED},
    "mine": {"mine": True},
    "assigned": {"assigned": True},
}
LIST_LIMIT = 200  # rows on one page (newest first)


@web_view
def reports(request):
    me = actor(request)
    may_submit = access.can(me, "claim.register")
    visible = queries.reports(me)
    if not (may_submit or access.can(me, "claim.manage") or visible.exists()):
        return denied(request)
    view = request.GET.get("view", "")
    if view not in VIEWS:
        view = ""
    rows = queries.pending_review(me) if view == "pending" else queries.reports(me, **VIEWS[view])
    context = {
        "reports": list(rows[:LIST_LIMIT]),
        "view": view,
        "pending": queries.pending_review(me).count(),
        "may_submit": may_submit,
    }
    return render(request, "claims/reports.html", context)


def _new_page(form: dict, error=None):
    return "claims/report_new.html", {"form": form, "error": error}


@web_view
def report_new(request):
    me = actor(request)
    if not access.can(me, "claim.register"):
        return denied(request)
    if request.method != "POST":
        template, context = _new_page({})
        return render(request, template, context)
    form = {k: request.POST.get(k, "") for k in ("customer_name", "contact", "needs")}
    return attempt(
        request,
        lambda: actions.submit_report(me, **form),
        success=_("Report submitted; your department supervisor reviews it."),
        then=lambda created: created.get_absolute_url(),
        page=lambda error: _new_page(form, error),
    )


def _report_context(me, report, **extra) -> dict:
    supervisor = queries.supervises(me, report)
    employee = access.employee_of(me.principal)
    is_assignee = employee is not None and employee.pk == report.assignee_id
    context = {
        "report": report,
        "story": queries.report_story(report),
        "feedback": queries.feedback_lines(report),
        "may_review": supervisor and report.state == ReportState.SUBMITTED,
        "may_assign": supervisor and report.state == ReportState.VERIFIED,
        "may_feedback": (is_assignee or supervisor)
        and report.state in (ReportState.ASSIGNED, ReportState.FOLLOWING),
        "may_archive": supervisor and report.state == ReportState.FOLLOWING,
        # CLM-11 销售方案: the follow-up employee submits versions; the latest approved one may be told
        "plans": plans.plans_of(report),
        "may_plan": is_assignee and report.state in (ReportState.ASSIGNED, ReportState.FOLLOWING),
        "form": {},
    }
    context["usable_plan"] = next((p for p in context["plans"][:1] if p.state == PlanState.APPROVED), None)
    if context["may_assign"]:
        context["people"] = list(queries.assignable(report))
    context.update(extra)
    return context


@web_view
def report(request, pk: int):
    me = actor(request)
    return render(request, "claims/report.html", _report_context(me, queries.report(me, pk)))


def _step(request, pk: int, run, success: str, form: dict):
    """One step on a report's page; a refused step re-renders the page with the input kept."""
    me = actor(request)
    found = queries.report(me, pk)
    return attempt(
        request,
        lambda: run(me, found),
        success=success,
        then=f"/claims/reports/{pk}/",
        page=lambda error: ("claims/report.html", _report_context(me, found, form=form, error=error)),
    )


@require_POST
@web_view
def review(request, pk: int):
    verdict = request.POST.get("genuine", "")
    form = {"genuine": verdict, "note": request.POST.get("note", "")}

    def run(me, found):
        if verdict not in ("yes", "no"):
            raise Invalid(
                "claim_report_verdict",
                "请选择审核结果：属实或不属实（CLM-11）",
                "Choose the review's outcome: genuine or not genuine (CLM-11)",
                {"genuine": "required"},
            )
        actions.review_report(me, found, genuine=verdict == "yes", note=form["note"])

    return _step(request, pk, run, _("Review recorded."), form)


@require_POST
@web_view
def assign(request, pk: int):
    form = {"assignee": request.POST.get("assignee", "")}

    def run(me, found):
        actions.assign_report(me, found, employee_named(form["assignee"], "assignee", **people.NAMED))

    return _step(request, pk, run, _("Assigned; the employee is told."), form)


@require_POST
@web_view
def feedback(request, pk: int):
    form = {"feedback": request.POST.get("feedback", ""), "plan_result": request.POST.get("plan_result", "")}
    return _step(
        request,
        pk,
        lambda me, found: actions.report_feedback(
            me, found, form["feedback"], plan_result=bool(form["plan_result"])
        ),
        _("Feedback recorded."),
        form,
    )


@require_POST
@web_view
def plan(request, pk: int):
    """CLM-11: the follow-up employee submits the sales plan (or a revision) for approval."""
    form = {"plan": request.POST.get("plan", "")}
    return _step(
        request,
        pk,
        lambda me, found: actions.submit_plan(me, found, form["plan"]),
        _("Sales plan submitted; your superior approves it before it is used."),
        form,
    )


@require_POST
@web_view
def archive(request, pk: int):
    return _step(request, pk, actions.archive_report, _("Report archived."), {})
