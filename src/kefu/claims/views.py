"""报备 pages: 我的报备 with countdowns and the pre-check box (CLM-1), registration (CLM-2), a claim's
page with its "why" panel, the customer's choice (CLM-5) and the deal with its split (CLM-9), the
department registers for 行政部 (CLM-8) and 撞单 handling (CLM-6). Process reports (CLM-11) and daily
submissions (CLM-12) are in `views_reports.py`."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.claims import actions, actions_more, queries, queries_more
from kefu.claims.actions_more import CLASH_CLAUSE, default_outcome
from kefu.claims.models import ClaimKind, ClaimState, DisputeOutcome
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
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


def _detail_context(me, claim, **extra) -> dict:
    """The claim page: facts, disputes, the customer's choices (CLM-5), the deal (CLM-9), forms."""
    claim.remaining = remaining_text(queries.remaining(claim))
    is_owner = access.employee_of(me.principal) == claim.owner
    may_manage = access.record_in_scope(me, "claim.manage", unit=claim.unit, owner_id=None)
    deal = queries_more.deal_of(claim)
    may_deal = deal is None and claim.state == ClaimState.LIVE and (is_owner or may_manage)
    may_choose = not claim.is_live and access.record_in_scope(
        me, "claim.manage", unit=claim.customer.unit, owner_id=None
    )
    people = list(queries_more.colleagues(claim.unit)) if may_deal or may_choose else []
    context = {
        "claim": claim,
        "disputes": list(claim.disputes.select_related("claimant")),
        "is_owner": is_owner,
        "may_manage": may_manage,
        "choices": list(queries_more.choices_of(claim.customer)),
        "grab_clause": actions.GRAB_CLAUSE,
        "deal": deal,
        "split_clause": actions_more.SPLIT_CLAUSE,
        "may_deal": may_deal,
        "may_choose": may_choose,
        "people": people,
        "supervisors": list(claim.owner.supervisors.all()) if may_deal else [],
        "deal_form": {"rows": _share_rows([(str(claim.owner_id), "100")])},
        "choice_form": {"chosen": str(claim.owner_id)},
    }
    context.update(extra)
    return context


@web_view
def detail(request, pk: int):
    me = actor(request)
    return render(request, "claims/detail.html", _detail_context(me, queries.claim(me, pk)))


def _share_rows(pairs: list[tuple[str, str]]) -> list[dict]:
    """The split's rows as typed, padded with blank rows to fill in (the page's script adds more)."""
    rows = [{"employee": e, "percent": p} for e, p in pairs]
    return rows + [{"employee": "", "percent": ""}] * max(SPLIT_ROWS - len(rows), 1)


@require_POST
@web_view
def deal(request, pk: int):
    """CLM-9: record the signed deal with its split; a split that is not 100% re-renders as typed."""
    me = actor(request)
    claim = queries.claim(me, pk)
    post = request.POST
    pairs = [
        (e.strip(), p.strip())
        for e, p in zip(post.getlist("share_employee"), post.getlist("share_percent"), strict=False)
        if e.strip() or p.strip()
    ]
    form = {
        "amount": post.get("amount", ""),
        "agreed_by": post.get("agreed_by", ""),
        "note": post.get("note", ""),
        "rows": _share_rows(pairs),
    }

    def run():
        actions_more.record_deal(
            me,
            claim,
            amount=form["amount"],
            agreed_by=queries_more.employee(form["agreed_by"], "agreed_by"),
            shares=[(queries_more.employee(e, "shares"), p or "0") for e, p in pairs],
            note=form["note"],
        )

    return attempt(
        request,
        run,
        success=_("Deal recorded; the claim is signed."),
        then=f"/claims/{pk}/",
        page=lambda error: (
            "claims/detail.html",
            _detail_context(me, claim, deal_form=form, deal_error=error),
        ),
    )


@require_POST
@web_view
def choice(request, pk: int):
    """CLM-5: 行政部 records the customer's own choice of salesperson, with the evidence."""
    me = actor(request)
    claim = queries.claim(me, pk)
    form = {"chosen": request.POST.get("chosen", ""), "evidence": request.POST.get("evidence", "")}

    def run():
        chosen = queries_more.employee(form["chosen"], "chosen")
        actions.record_choice(me, claim.customer, chosen=chosen, evidence=form["evidence"])

    return attempt(
        request,
        run,
        success=_("The customer's choice is recorded."),
        then=f"/claims/{pk}/",
        page=lambda error: (
            "claims/detail.html",
            _detail_context(me, claim, choice_form=form, choice_error=error),
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
        "prefill": default_outcome(case),
        "clause": CLASH_CLAUSE,
    }
    return render(request, "claims/dispute.html", context)


@require_POST
@web_view
def rule(request, pk: int):
    me = actor(request)
    try:
        actions_more.rule_dispute(
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
        actions_more.add_evidence(me, queries.dispute(me, pk), request.POST.get("text", ""))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("claims:dispute", pk=pk)
