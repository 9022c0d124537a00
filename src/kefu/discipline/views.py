"""奖惩台账 (DIS-1): the ledger of penalty proposals; HR confirms or rejects each with a reason."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.discipline import actions, queries
from kefu.discipline.catalogue import CATALOGUE
from kefu.discipline.models import ProposalStatus
from kefu.org import access
from kefu.web.support import actor, denied, web_view


@web_view
def ledger(request):
    me = actor(request)
    if not access.can(me, "discipline.view"):
        return denied(request)
    status = request.GET.get("status", "")
    rows = list(queries.ledger(me, status=status if status in ProposalStatus.values else "")[:300])
    for row in rows:
        row.offence_label = CATALOGUE[row.offence].name_zh if row.offence in CATALOGUE else row.offence
    context = {
        "rows": rows,
        "status": status,
        "statuses": ProposalStatus.choices,
        "may_confirm": access.can(me, "discipline.confirm"),
    }
    return render(request, "discipline/ledger.html", context)


@web_view
def detail(request, pk: int):
    proposal = queries.proposal(actor(request), pk)
    proposal.offence_label = CATALOGUE[proposal.offence].name_zh if proposal.offence in CATALOGUE else ""
    return render(request, "discipline/detail.html", {"proposal": proposal})


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
    return redirect("discipline:ledger")
