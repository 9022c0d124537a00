"""My approvals (WF-4): the steps waiting for my decision — approve, reject or return with a reason."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core import decisions
from kefu.core.errors import DomainError
from kefu.engine.workflow import queries
from kefu.engine.workflow.actions import verdicts
from kefu.web.support import actor, web_view


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
            ("return", gettext_lazy("Return for changes")),
        ]
    )
    reason = forms.CharField(required=False, max_length=500, label=gettext_lazy("Reason"))


@web_view
def pending(request):
    me = actor(request)
    steps = list(queries.pending_steps(me))
    for step in steps:
        step.target = step.request.content_type.get_object_for_this_type(pk=step.request.object_id)
        step.due_at = queries.step_due(step)
        # the facts the chain chose its steps by, in words (never a raw key: issue 13)
        step.facts = [
            (decisions.input_label(key), decisions.input_value(key, value))
            for key, value in (step.request.inputs or {}).items()
        ]
    return render(request, "workflow/approvals.html", {"steps": steps, "form": DecisionForm()})


@require_POST
@web_view
def decide(request, step_id: int):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve, reject or return."))
        return redirect("workflow:approvals")
    try:
        verdicts.decide(
            actor(request), step_id, form.cleaned_data["decision"], reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your decision was recorded."))
    return redirect("workflow:approvals")
