"""撞单 pages (CLM-6): the disputes I may see, one dispute as the reader may see it (the challenger
learns nothing about the owner or the customer before the ruling), evidence and 行政部's ruling."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.claims import actions
from kefu.claims.models import DisputeOutcome
from kefu.claims.queries import disputes as queries
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, web_view


@web_view
def disputes(request):
    me = actor(request)
    rows = list(queries.disputes(me)[:200])
    for row in rows:  # the challenger sees no customer (issue 10, CLM-1)
        row.customer_label = "" if queries.challenger_only(me, row) else row.shown_customer_name
    return render(
        request, "claims/disputes.html", {"disputes": rows, "may_rule": access.can(me, "claim.rule")}
    )


@web_view
def dispute(request, pk: int):
    me = actor(request)
    case = queries.dispute(me, pk)
    shown = queries.dispute_shown(me, case)
    context = {
        "dispute": case,
        "shown": shown,
        "evidence": shown["evidence"],
        "may_rule": case.open and access.record_in_scope(me, "claim.rule", unit=case.unit, owner_id=None),
        "outcomes": DisputeOutcome.choices,
        "prefill": actions.default_outcome(case),
        "clause": actions.CLASH_CLAUSE,
    }
    return render(request, "claims/dispute.html", context)


@require_POST
@web_view
def rule(request, pk: int):
    me = actor(request)
    try:
        actions.rule_dispute(
            me,
            queries.dispute(me, pk),
            outcome=request.POST.get("outcome", ""),
            ruling=request.POST.get("ruling", ""),
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Ruling recorded."))
    return redirect("claims:dispute", pk=pk)


@require_POST
@web_view
def evidence(request, pk: int):
    me = actor(request)
    try:
        actions.add_evidence(me, queries.dispute(me, pk), request.POST.get("text", ""))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("claims:dispute", pk=pk)
