"""Pages of cross-department 报备 (CASE-8): the case page's form that reports the case to a
department, and the receiving department's inbox at /cases/handoffs/ with its steps (acknowledge,
clarify, solve, defer, close; the sender answers a clarification from the case's handling page)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.models import HandoffState
from kefu.cases.queries import handoffs as handoff_queries
from kefu.cases.queries import intake as queries
from kefu.cases.views import complaints
from kefu.org.models import Unit
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


def _unit(value: str) -> Unit | None:
    return handoff_queries.unit_named(value)


send_handoff = complaints.form_view(
    lambda me, case, form: actions_handoffs.send(me, case, _unit(form["unit"]), form["request"]),
    success=gettext_lazy("Reported to the department; it must acknowledge in time."),
    form_name="handoff",
    fields=("unit", "request"),
)


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
            return complaints.on_case_page(me, case, form=form, open_form=open_form, error=error)

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


urlpatterns = [
    path("cases/<int:pk>/handoffs/", send_handoff, name="handoff_send"),
    path("cases/handoffs/", inbox, name="handoffs"),
    path("cases/handoffs/<int:hid>/<slug:step>/", handoff_step, name="handoff_step"),
]
