"""奖惩台账 (DIS-1): the ledger of penalty proposals; HR records proposals by hand and confirms or
rejects each with a reason."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.core.language import say
from kefu.discipline import actions, queries
from kefu.discipline.catalogue import CATALOGUE, LADDERS, PER_CUSTOMER
from kefu.discipline.forms import FilterForm, ProposalForm
from kefu.discipline.models import ProposalStatus
from kefu.org import access
from kefu.web.support import actor, apply_error, denied, web_view

CHECK_FIELDS = ("请检查标出的字段（DIS-1）", "Please check the marked fields (DIS-1)")


def _label(row):
    row.offence_label = CATALOGUE[row.offence].name_zh if row.offence in CATALOGUE else row.offence
    return row


def _refused(form, error: DomainError | None = None) -> None:
    """Bad input: the message on top of the form, in the page's language (issue 13)."""
    if error is not None:
        apply_error(form, error)
    else:
        form.add_error(None, say(*CHECK_FIELDS))


@web_view
def ledger(request):
    me = actor(request)
    if not access.can(me, "discipline.view"):
        return denied(request)
    may_confirm = access.can(me, "discipline.confirm")
    form = None
    if may_confirm:
        form = ProposalForm(request.POST or None, employees=queries.proposable_employees(me))
    if request.method == "POST":
        if form is None:
            return denied(request)
        if not form.is_valid():
            _refused(form)
        else:
            data = form.cleaned_data
            try:
                proposal = actions.record_proposal(
                    me,
                    data["employee"],
                    data["offence"],
                    evidence=data["evidence"],
                    quantity=data["quantity"],
                    measure=data["measure"],
                )
            except DomainError as error:
                if error.status == 403:
                    return denied(request, error)
                _refused(form, error)
            else:
                messages.success(request, _("The proposal is recorded; it applies once HR confirms it."))
                return redirect("discipline:detail", proposal.pk)
    filters = FilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    status = chosen.get("status", "")
    rows = queries.ledger(
        me, status=status, offence=chosen.get("offence", ""), employee_id=chosen.get("employee")
    )
    context = {
        "rows": [_label(row) for row in rows[:300]],
        "status": status,
        "statuses": ProposalStatus.choices,
        "filters": filters,
        "may_confirm": may_confirm,
        "form": form,
        "ladders": [CATALOGUE[c].name_zh for c in LADDERS if CATALOGUE[c].kind == "penalty"],
        "per_customer": [CATALOGUE[c].name_zh for c in PER_CUSTOMER],
    }
    return render(request, "discipline/ledger.html", context)


@web_view
def detail(request, pk: int):
    me = actor(request)
    proposal = _label(queries.proposal(me, pk))
    context = {"proposal": proposal, "may_confirm": access.can(me, "discipline.confirm")}
    return render(request, "discipline/detail.html", context)


@require_POST
@web_view
def decide(request, pk: int):
    me = actor(request)
    proposal = queries.proposal(me, pk)
    try:
        actions.decide(
            me,
            proposal,
            confirm=request.POST.get("decision") == "confirm",
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your decision was recorded."))
    if request.POST.get("next") == "detail":
        return redirect("discipline:detail", proposal.pk)
    return redirect("discipline:ledger")
