"""报备 pages: 我的报备 with countdowns and the pre-check box (CLM-1), registration (CLM-2), a claim's
page with its "why" panel, the customer's choice (CLM-5) and the deal form (CLM-9, recorded in
`views/deals.py`), the department registers for 行政部 (CLM-8). 撞单 handling (CLM-6) is in
`views/disputes.py`, process reports (CLM-11) in `views/reports.py`, daily submissions (CLM-12) in
`views/daily.py`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.claims import actions
from kefu.claims.models import ClaimKind, ClaimState
from kefu.claims.queries import deals, people
from kefu.claims.queries import disputes as dispute_queries
from kefu.claims.queries import register as queries
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.org.queries import employee_named
from kefu.web.support import actor, attempt, denied, remaining_text, web_view

SPLIT_ROWS = 3  # blank rows the deal form offers before its script adds more (a page layout choice)


def _with_remaining(claims):
    rows = list(claims)
    for row in rows:
        row.remaining = remaining_text(queries.remaining(row))
    return rows


@web_view
def mine(request):
    me = actor(request)
    if not access.can(me, "claim.register"):
        return denied(request)
    phone = request.GET.get("phone", "").strip()
    context = {
        "claims": _with_remaining(queries.claims(me, mine=True)[:200]),
        "kinds": ClaimKind.choices,
        "phone": phone,
        "form": {},
        "error": None,
        "check": queries.check(me, phone) if phone else None,
    }
    return render(request, "claims/mine.html", context)


@require_POST
@web_view
def register(request):
    me = actor(request)
    data = {k: request.POST.get(k, "") for k in ("name", "phone", "address")}
    try:
        claim = actions.register(me, customer=data, kind=request.POST.get("kind", "walk_in"))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        context = {
            "claims": _with_remaining(queries.claims(me, mine=True)[:200]),
            "kinds": ClaimKind.choices,
            "form": data,
            "phone": "",
            "check": None,
            "error": error,
            "until": error.extra.get("until"),
        }
        return render(request, "claims/mine.html", context, status=409 if error.status == 409 else 400)
    messages.success(
        request,
        _("Registered; protected until %(until)s.")
        % {"until": clock.local(claim.protected_until).strftime("%Y-%m-%d %H:%M")},
    )
    return redirect("claims:detail", pk=claim.pk)


def detail_context(me, claim, **extra) -> dict:
    """The claim page: facts, disputes, the customer's choices (CLM-5), the deal (CLM-9), forms."""
    claim.remaining = remaining_text(queries.remaining(claim))
    is_owner = access.employee_of(me.principal) == claim.owner
    may_manage = access.record_in_scope(me, "claim.manage", unit=claim.unit, owner_id=None)
    deal = deals.deal_of(claim)
    may_deal = deal is None and claim.state == ClaimState.LIVE and (is_owner or may_manage)
    may_choose = not claim.is_live and access.record_in_scope(
        me, "claim.manage", unit=claim.customer.unit, owner_id=None
    )
    colleagues = list(people.colleagues(claim.unit)) if may_deal or may_choose else []
    context = {
        "claim": claim,
        "disputes": list(claim.disputes.select_related("claimant")),
        # linked only where the dispute page opens for the reader (issue 13: no link answers 404)
        "openable_disputes": set(
            dispute_queries.disputes(me).filter(claim=claim).values_list("pk", flat=True)
        ),
        "is_owner": is_owner,
        "may_manage": may_manage,
        "choices": list(queries.choices_of(claim.customer)),
        "grab_clause": actions.GRAB_CLAUSE,
        "deal": deal,
        "split_clause": actions.SPLIT_CLAUSE,
        "may_deal": may_deal,
        "may_choose": may_choose,
        "people": colleagues,
        "supervisors": list(claim.owner.supervisors.all()) if may_deal else [],
        "deal_form": {"rows": share_rows([(str(claim.owner_id), "100")])},
        "choice_form": {"chosen": str(claim.owner_id)},
    }
    context.update(extra)
    return context


@web_view
def detail(request, pk: int):
    me = actor(request)
    return render(request, "claims/detail.html", detail_context(me, queries.claim(me, pk)))


def share_rows(pairs: list[tuple[str, str]]) -> list[dict]:
    """The split's rows as typed, padded with blank rows to fill in (the page's script adds more)."""
    rows = [{"employee": e, "percent": p} for e, p in pairs]
    return rows + [{"employee": "", "percent": ""}] * max(SPLIT_ROWS - len(rows), 1)


@require_POST
@web_view
def choice(request, pk: int):
    """CLM-5: 行政部 records the customer's own choice of salesperson, with the evidence."""
    me = actor(request)
    claim = queries.claim(me, pk)
    form = {"chosen": request.POST.get("chosen", ""), "evidence": request.POST.get("evidence", "")}

    def run():
        chosen = employee_named(form["chosen"], "chosen", **people.NAMED)
        actions.record_choice(me, claim.customer, chosen=chosen, evidence=form["evidence"])

    return attempt(
        request,
        run,
        success=_("The customer's choice is recorded."),
        then=f"/claims/{pk}/",
        page=lambda error: (
            "claims/detail.html",
            detail_context(me, claim, choice_form=form, choice_error=error),
        ),
    )


@require_POST
@web_view
def deposit(request, pk: int):
    me = actor(request)
    try:
        actions.record_deposit(me, queries.claim(me, pk))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("Deposit recorded."))
    return redirect("claims:detail", pk=pk)


@require_POST
@web_view
def end(request, pk: int):
    me = actor(request)
    try:
        actions.end_now(
            me,
            queries.claim(me, pk),
            reason=request.POST.get("reason", ""),
            release=bool(request.POST.get("release")),
        )
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("claims:detail", pk=pk)


@web_view
def departments(request):
    me = actor(request)
    if not access.can(me, "claim.manage"):
        return denied(request)
    return render(request, "claims/departments.html", {"departments": list(queries.departments(me))})


@web_view
def department_register(request, pk: int):
    me = actor(request)
    dept = queries.department(me, pk)
    state = request.GET.get("state", "")
    rows = queries.register_of(me, dept)
    if state:
        rows = rows.filter(state=state)
    context = {"department": dept, "claims": _with_remaining(rows[:500]), "state": state}
    return render(request, "claims/register.html", context)
