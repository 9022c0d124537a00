"""报备 pages: 我的报备 with countdowns and the pre-check box (CLM-1), registration (CLM-2), a claim's
page with its "why" panel, the department registers for 行政部 (CLM-8) and 撞单 handling (CLM-6)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.claims import actions, actions_more, queries
from kefu.claims.actions_more import CLASH_CLAUSE, default_outcome
from kefu.claims.models import ClaimKind, DisputeOutcome
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, denied, web_view


def remaining_text(left) -> str:
    """Server-rendered countdown: "6 天 23 小时 59 分"; the static script keeps it ticking."""
    if left is None:
        return ""
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    return _("%(d)s d %(h)s h %(m)s min") % {"d": days, "h": rest // 60, "m": rest % 60}


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
        % {"until": actions.local(claim.protected_until).strftime("%Y-%m-%d %H:%M")},
    )
    return redirect("claims:detail", pk=claim.pk)


@web_view
def detail(request, pk: int):
    me = actor(request)
    claim = queries.claim(me, pk)
    claim.remaining = remaining_text(queries.remaining(claim))
    context = {
        "claim": claim,
        "disputes": list(claim.disputes.select_related("claimant")),
        "is_owner": access.employee_of(me.principal) == claim.owner,
        "may_manage": access.record_in_scope(me, "claim.manage", unit=claim.unit, owner_id=None),
    }
    return render(request, "claims/detail.html", context)


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
    return render(
        request, "claims/disputes.html", {"disputes": rows, "may_rule": access.can(me, "claim.rule")}
    )


@web_view
def dispute(request, pk: int):
    me = actor(request)
    case = queries.dispute(me, pk)
    context = {
        "dispute": case,
        "evidence": list(case.evidence.select_related("author")),
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
