"""Pages of complaint handling (CASE-4, CASE-5, CASE-7, WF-4).

The case page includes `cases/_handling_panel.html` and `cases/_handoffs_panel.html`; their forms
post here (and to `handoffs.py`). Success goes back to the case page; a refusal re-renders the
handling page with the form open, the input kept and the bilingual message. Compensation approvals
are decided on the approval engine's own page (/approvals/).
"""

from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.cases.actions import complaints as actions_complaints
from kefu.cases.actions.blocks import FINISHED, is_owner, manages
from kefu.cases.actions.complaints import REPORT_STATES
from kefu.cases.models import Family, HandoffState, Satisfaction, SolutionType
from kefu.cases.queries import complaints as complaint_queries
from kefu.cases.queries import handoffs as handoff_queries
from kefu.cases.queries import intake as queries
from kefu.cases.views.intake import case_context
from kefu.core.errors import Invalid
from kefu.org.models import Employee
from kefu.web.support import actor, attempt, web_view


def panel_context(me, case) -> dict:
    """What the handling panels show and offer to `me` on `case` (CASE-4/5/7/8)."""
    handler = is_owner(me, case) or manages(me, case)
    employee_id = getattr(getattr(me.principal, "employee", None), "pk", None)
    complaint = case.family == Family.COMPLAINT
    handoffs = list(handoff_queries.case_handoffs(case))
    for handoff in handoffs:
        handoff.may_answer = handoff.state == HandoffState.CLARIFYING and (
            handler or (me.user is not None and handoff.sent_by_id == me.user.pk)
        )
    return {
        "report": complaint_queries.closure_report(case),
        "may_report": handler and case.state in REPORT_STATES,
        "compensations": complaint_queries.compensations(case),
        "may_compensate": handler and case.state not in FINISHED,
        "complaint": complaint,
        "may_mark": handler and complaint and case.state != "archived",
        "may_verify": case.staff_caused and manages(me, case) and employee_id != case.responsible_id,
        "may_root": handler and case.state != "archived",
        "handoffs": handoffs,
        "may_send": handler and case.state not in FINISHED,
        "solution_types": SolutionType.choices,
        "satisfactions": Satisfaction.choices,
        "causes": [("attitude", _("Service attitude (服务态度)")), ("skill", _("Service skill (服务技能)"))],
    }


def page(me, case, **extra):
    context = {
        "case": case,
        "form": {},
        "open_form": "",
        "error": None,
    }
    context.update(extra)
    return "cases/handling.html", context


@web_view
def handling(request, pk: int):
    """The handling forms of one case on their own page (also where a refused form is shown)."""
    me = actor(request)
    template, context = page(me, queries.case(me, pk))
    return render(request, template, context)


def on_case_page(me, case, **extra):
    """A refused panel form is shown on the case page — its fold open, the input kept and the reason
    next to it (issue 13: after a refused step the agent is back on the case page)."""
    return "cases/case.html", case_context(me, case, **extra)


def form_view(run, *, success, form_name: str, fields: tuple[str, ...]):
    """A POST view carrying out one panel form: `run(me, case, form)`; back to the case page, or
    the case page with the form open and the input kept when refused."""

    @require_POST
    @web_view
    def view(request, pk: int):
        me = actor(request)
        case = queries.case(me, pk)
        form = {k: request.POST.get(k, "") for k in fields}
        return attempt(
            request,
            lambda: run(me, case, form),
            success=str(success),
            then=case.get_absolute_url(),
            page=lambda error: on_case_page(
                me, queries.case(me, pk), form=form, open_form=form_name, error=error
            ),
        )

    return view


def _responsible(value: str) -> Employee:
    if not value.isdigit():
        raise Invalid(
            "case_employee_unknown",
            "请选择责任人",
            "Choose the responsible employee",
            {"responsible": "required"},
        )
    return complaint_queries.responsible(value, "responsible")


def _verified(value: str) -> bool:
    if value not in ("yes", "no"):
        raise Invalid(
            "case_verified_invalid", "请选择是否查实", "Say whether it is verified", {"verified": "invalid"}
        )
    return value == "yes"


closure_report = form_view(
    lambda me, case, form: actions_complaints.write_closure_report(me, case, **form),
    success=gettext_lazy("Closure report saved."),
    form_name="closure-report",
    fields=(
        "solution_type",
        "solution",
        "time_spent_minutes",
        "resources",
        "preventive_measures",
        "satisfaction",
    ),
)


compensation = form_view(
    lambda me, case, form: actions_complaints.request_compensation(
        me, case, form["amount"], form["description"]
    ),
    success=gettext_lazy("Compensation requested; it waits for approval."),
    form_name="compensation",
    fields=("amount", "description"),
)


staff_caused = form_view(
    lambda me, case, form: actions_complaints.mark_staff_caused(
        me, case, _responsible(form["responsible"]), form["cause"]
    ),
    success=gettext_lazy("Marked as a staff-caused complaint; a supervisor verifies it."),
    form_name="staff-caused",
    fields=("responsible", "cause"),
)


verify = form_view(
    lambda me, case, form: actions_complaints.verify_staff_caused(
        me, case, _verified(form["verified"]), form["note"]
    ),
    success=gettext_lazy("Verification recorded."),
    form_name="verify",
    fields=("verified", "note"),
)


root_cause = form_view(
    lambda me, case, form: actions_complaints.record_root_cause(me, case, **form),
    success=gettext_lazy("Root cause and corrective action saved."),
    form_name="root-cause",
    fields=("root_cause", "corrective_action", "category", "product"),
)


@web_view
def recurrences(request):
    """CASE-7: repeated problems by category and product, in the caller's scope."""
    me = actor(request)
    return render(request, "cases/recurrences.html", {"report": complaint_queries.recurrences(me)})


urlpatterns = [
    path("cases/<int:pk>/handling/", handling, name="handling"),
    path("cases/<int:pk>/closure-report/", closure_report, name="closure_report"),
    path("cases/<int:pk>/compensations/", compensation, name="compensation"),
    path("cases/<int:pk>/staff-caused/", staff_caused, name="staff_caused"),
    path("cases/<int:pk>/staff-caused/verify/", verify, name="staff_verify"),
    path("cases/<int:pk>/root-cause/", root_cause, name="root_cause"),
    path("cases/recurrences/", recurrences, name="recurrences"),
]
