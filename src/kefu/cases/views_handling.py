"""Pages of complaint handling and cross-department 报备 (CASE-4, CASE-5, CASE-7, CASE-8, WF-4).

The case page includes `cases/_handling_panel.html` and `cases/_handoffs_panel.html`; their forms
post here. Success goes back to the case page (or the inbox); a refusal re-renders this module's
own page with the form open, the input kept and the bilingual message. The receiving department
works its 报备 inbox at /cases/handoffs/. Compensation approvals are decided on the approval
engine's own page (/approvals/).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.cases.actions import complaints as actions_complaints
from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.actions.blocks import FINISHED, is_owner, manages
from kefu.cases.actions.complaints import REPORT_STATES
from kefu.cases.models import Family, HandoffState, Satisfaction, SolutionType
from kefu.cases.queries import complaints as complaint_queries
from kefu.cases.queries import handoffs as handoff_queries
from kefu.cases.queries import intake as queries
from kefu.core.errors import Invalid
from kefu.org.models import Employee, Unit
from kefu.web.support import actor, attempt, web_view

STEPS = {
    "acknowledge": (),
    "clarify": ("question",),
    "answer-clarification": ("clarification",),
    "solve": ("solution",),
    "defer": ("reason", "expected_at"),
    "close": ("report",),
}
INBOX_LIMIT = 200


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


def _page(me, case, **extra):
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
    template, context = _page(me, queries.case(me, pk))
    return render(request, template, context)


def _form_view(run, *, success, form_name: str, fields: tuple[str, ...]):
    """A POST view carrying out one panel form: `run(me, case, form)`; back to the case page, or
    this module's page with the form open and the input kept when refused."""

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
            page=lambda error: _page(me, queries.case(me, pk), form=form, open_form=form_name, error=error),
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


def _unit(value: str) -> Unit | None:
    return handoff_queries.unit_named(value)


closure_report = _form_view(
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
compensation = _form_view(
    lambda me, case, form: actions_complaints.request_compensation(
        me, case, form["amount"], form["description"]
    ),
    success=gettext_lazy("Compensation requested; it waits for approval."),
    form_name="compensation",
    fields=("amount", "description"),
)
staff_caused = _form_view(
    lambda me, case, form: actions_complaints.mark_staff_caused(
        me, case, _responsible(form["responsible"]), form["cause"]
    ),
    success=gettext_lazy("Marked as a staff-caused complaint; a supervisor verifies it."),
    form_name="staff-caused",
    fields=("responsible", "cause"),
)
verify = _form_view(
    lambda me, case, form: actions_complaints.verify_staff_caused(
        me, case, _verified(form["verified"]), form["note"]
    ),
    success=gettext_lazy("Verification recorded."),
    form_name="verify",
    fields=("verified", "note"),
)
root_cause = _form_view(
    lambda me, case, form: actions_complaints.record_root_cause(me, case, **form),
    success=gettext_lazy("Root cause and corrective action saved."),
    form_name="root-cause",
    fields=("root_cause", "corrective_action", "category", "product"),
)
send_handoff = _form_view(
    lambda me, case, form: actions_handoffs.send(me, case, _unit(form["unit"]), form["request"]),
    success=gettext_lazy("Reported to the department; it must acknowledge in time."),
    form_name="handoff",
    fields=("unit", "request"),
)


# ---------------------------------------------------------------- the receiving department's inbox


def _inbox_context(me, params, **extra) -> dict:
    unit = params.get("unit", "")
    state = params.get("state", "")
    if state not in HandoffState.values:
        state = ""
    rows = handoff_queries.inbox(
        me, unit_id=int(unit) if unit.isdigit() and len(unit) < 18 else None, state=state
    )
    units = (
        handoff_queries.inbox(me)
        .order_by()
        .values_list("unit_id", "unit__name")
        .distinct()
        .order_by("unit__name")
    )
    context = {
        "handoffs": list(rows[:INBOX_LIMIT]),
        "units": list(units),
        "states": HandoffState.choices,
        "unit": unit,
        "state": state,
        "form": {},
        "open_form": "",
        "error": None,
    }
    context.update(extra)
    return context


@web_view
def inbox(request):
    me = actor(request)
    return render(request, "cases/handoffs.html", _inbox_context(me, request.GET))


def _run_step(me, handoff, step: str, form: dict):
    if step == "acknowledge":
        return actions_handoffs.acknowledge(me, handoff)
    if step == "clarify":
        return actions_handoffs.ask_clarification(me, handoff, form["question"])
    if step == "answer-clarification":
        return actions_handoffs.answer_clarification(me, handoff, form["clarification"])
    if step == "solve":
        return actions_handoffs.solve(me, handoff, form["solution"])
    if step == "defer":
        return actions_handoffs.defer(me, handoff, form["reason"], form["expected_at"])
    return actions_handoffs.close(me, handoff, form["report"])


@require_POST
@web_view
def handoff_step(request, hid: int, step: str):
    if step not in STEPS:
        raise Http404(step)
    me = actor(request)
    handoff = handoff_queries.handoff(me, hid)
    form = {k: request.POST.get(k, "") for k in STEPS[step]}
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith(
        "/"
    ):
        back = "/cases/handoffs/"
    open_form = f"handoff-{handoff.pk}-{step}"
    if step == "answer-clarification":

        def page(error):
            case = queries.case(me, handoff.case_id)
            return _page(me, case, form=form, open_form=open_form, error=error)

    else:

        def page(error):
            return "cases/handoffs.html", _inbox_context(me, {}, form=form, open_form=open_form, error=error)

    return attempt(
        request,
        lambda: _run_step(me, handoff, step, form),
        success=_("Done."),
        then=back,
        page=page,
    )


@web_view
def recurrences(request):
    """CASE-7: repeated problems by category and product, in the caller's scope."""
    me = actor(request)
    return render(request, "cases/recurrences.html", {"report": complaint_queries.recurrences(me)})
