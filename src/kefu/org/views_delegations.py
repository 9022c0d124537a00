"""Delegation pages (ORG-5): who acts for whom, with which permissions, for how long."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access, actions, queries
from kefu.org.forms import DelegationForm, permission_label
from kefu.org.models import DelegationState
from kefu.web.support import actor, apply_error, denied, record_id, web_view


@web_view
def delegations(request):
    me = actor(request)
    employee = access.employee_of(request.user)
    now = clock.now()
    given, received, managed = [], [], []
    for delegation in queries.delegations(me):
        delegation.permission_labels = [permission_label(c) for c in delegation.permissions]
        delegation.in_force = delegation.is_active_at(now)
        delegation.pending = delegation.state == DelegationState.PENDING
        delegation.can_revoke = (
            delegation.revoked_at is None
            and delegation.ends_at > now
            and delegation.state in (DelegationState.APPROVED, DelegationState.PENDING)
        )
        if employee is not None and delegation.delegator_id == employee.pk:
            delegation.awaits_me = delegation.pending and delegation.revoked_at is None
            given.append(delegation)
        elif employee is not None and delegation.delegate_id == employee.pk:
            delegation.can_revoke = False
            received.append(delegation)
        else:
            managed.append(delegation)
    context = {
        "given": given,
        "received": received,
        "managed": managed,
        "can_create": me.delegation_id is None  # never while acting for someone (ORG-5)
        and (
            access.can(me, "delegation.manage")
            or (employee is not None and bool(access.own_permissions(employee)))
        ),
    }
    return render(request, "org/delegations.html", context)


@web_view
def delegation_create(request):
    me = actor(request)
    employee = access.employee_of(request.user)
    delegators = queries.delegators_for(me)
    if not delegators.exists():
        return denied(request)
    if (
        not access.can(me, "delegation.manage")
        and employee is not None
        and not access.own_permissions(employee)
    ):
        # nothing of one's own to delegate: a supervisory-only role hands nothing on (ORG-4)
        return denied(
            request, access.supervisory_refusal() if access.supervisory_permissions(employee) else None
        )
    source = request.POST if request.method == "POST" else request.GET
    chosen = delegators.filter(
        pk=record_id(source.get("delegator")) or (employee.pk if employee else None)
    ).first()
    chosen = chosen or delegators.first()
    initial = {"delegator": chosen}
    if request.method == "GET":  # the delegator was changed (HTMX): keep what was typed so far
        for name in ("delegate", "starts_at", "ends_at", "reason"):
            if request.GET.get(name):
                initial[name] = request.GET[name]
    form = DelegationForm(
        request.POST if request.method == "POST" else None,
        delegators=delegators,
        delegates=queries.delegation_candidates(me),
        held=access.own_permissions(chosen),
        initial=initial,
    )
    form.fields["delegator"].widget.attrs.update(
        {
            "hx-get": reverse("org:delegation_create"),
            "hx-trigger": "change",
            "hx-target": "#delegation-fields",
            "hx-include": "#delegation-fields",
        }
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            delegation = actions.create_delegation(
                me,
                delegator=data["delegator"],
                delegate=data["delegate"],
                permissions=data["permissions"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                reason=data["reason"],
            )
        except DomainError as error:
            if error.status == 404:
                raise
            apply_error(form, error)
        else:
            names = {"delegate": delegation.delegate.name, "delegator": delegation.delegator.name}
            if delegation.state == DelegationState.PENDING:
                text = _(
                    "Registered. It takes effect once %(delegator)s or their superior approves it; "
                    "%(delegator)s has been notified."
                )
            else:
                text = _("%(delegate)s may now act for %(delegator)s.")
            messages.success(request, text % names)
            return redirect("org:delegations")
    template = "org/delegation_form.html"
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        template = "org/delegation_form_fields.html"  # the delegator changed: new permission choices
    return render(request, template, {"form": form})


@web_view
@require_POST
def delegation_revoke(request, pk: int):
    me = actor(request)
    delegation = queries.delegation(me, pk)
    actions.revoke_delegation(me, delegation)
    messages.success(request, _("The delegation was revoked."))
    return redirect("org:delegations")
