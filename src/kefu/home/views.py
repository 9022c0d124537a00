"""The pages on top of every app: home, the personal profile (password, API tokens), the acting-for
switch (ORG-5) and the audit log viewer (SEC-6: filter, page through, see before/after, verify the
hash chain)."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core import actions as core_actions
from kefu.core import audit, checkpoints, clock
from kefu.core import queries as core_queries
from kefu.core.errors import DomainError
from kefu.engine.calendars import api as calendars
from kefu.home import audit_labels
from kefu.home.forms import AuditFilterForm, TokenForm
from kefu.insights.queries import dashboards as today_queries
from kefu.insights.views import dashboards as today_views
from kefu.insights.views import month as month_views
from kefu.org import access
from kefu.org import queries as org_queries
from kefu.org.models import SCOPE_ORDER
from kefu.web.support import DELEGATION_KEY, actor, apply_error, denied, is_htmx, render_list, web_view

PAGE_SIZE = 50


def _me(request) -> dict:
    """Who I am: employee, unit breadcrumb, roles with their data scope, delegations."""
    employee = access.employee_of(request.user)
    context = {"employee": employee, "unit_chain": [], "assignments": [], "supervisors": []}
    if employee is not None:
        context["unit_chain"] = org_queries.unit_chain(employee.unit)
        context["assignments"] = list(org_queries.assignments_of(employee))
        context["supervisors"] = list(employee.supervisors.all())
        widest = [SCOPE_ORDER.index(a.role.scope) for a in context["assignments"]]
        context["widest_scope"] = SCOPE_ORDER[max(widest)].label if widest else None
    context["usable_delegations"] = list(org_queries.delegations_usable_by(request.user))
    context["active_delegation_id"] = request.session.get(DELEGATION_KEY)
    return context


@web_view
def home(request):
    me = actor(request)
    context = _me(request)
    context["now"] = clock.now()
    context["given_delegations"] = [
        d
        for d in org_queries.delegations(me, current_only=True)
        if context["employee"] is not None and d.delegator_id == context["employee"].pk
    ]
    # (url name, label, shown): only links whose page opens for this person (issue 13)
    context["links"] = [
        (url, label, shown)
        for url, label, shown in [
            ("org:employees", _("Find a colleague"), access.can(me, "org.view")),
            ("org:units", _("Organisation chart"), access.can(me, "org.view")),
            ("org:delegation_create", _("Delegate my authority"), org_queries.may_open_delegation_form(me)),
            ("audit", _("Audit log"), access.can(me, "audit.view")),
            ("calendars:index", _("Work calendars"), access.can(me, "calendar.manage")),
            ("profile", _("API tokens and password"), True),
        ]
        if shown
    ]
    if access.can(me, "calendar.manage"):  # CAL-3: tell the people who can fix it
        context["calendar_warnings"] = calendars.coverage_warnings(clock.local(context["now"]).date())
    mode = today_queries.home_mode(me)  # agents and supervisors open on their 今日 dashboard (issue 16)
    if mode is not None:
        context.update(today_views.context_for(request, today_queries.today(me, mode)))
    elif month_views.home_shown(me):  # managers and executives open on their 本月 block (issue 16)
        context.update(month_views.home_context(request, me))
    return render(request, "home/home.html", context)


def _profile(request, *, token_form=None, new_token=None, status=200):
    context = _me(request)
    context["tokens"] = core_queries.tokens_of(request.user)
    context["token_form"] = token_form or TokenForm()
    context["new_token"] = new_token
    context["now"] = clock.now()
    return render(request, "home/profile.html", context, status=status)


@web_view
def profile(request):
    return _profile(request)


@web_view
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, plaintext = core_actions.create_token(
                actor(request),
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(),
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            # Shown once, on this response only: only a hash of the secret is kept.
            return _profile(request, new_token={"token": token, "plaintext": plaintext})
    return _profile(request, token_form=form)


@web_view
@require_POST
def token_revoke(request, pk: int):
    token = core_actions.revoke_token(actor(request), token_id=pk)
    messages.success(request, _("Token %(name)s was revoked.") % {"name": token.name})
    return redirect("profile")


@web_view
@require_POST
def act_for(request):
    """Start acting for a delegator under a delegation in force (ORG-5)."""
    try:
        delegation_id = int(request.POST.get("delegation", ""))
    except ValueError:
        delegation_id = None
    delegation = org_queries.delegations_usable_by(request.user).filter(pk=delegation_id).first()
    if delegation is None:
        messages.error(request, _("That delegation is not in force."))
        return redirect("profile")
    request.session[DELEGATION_KEY] = delegation.pk
    messages.success(request, _("You are now acting for %(name)s.") % {"name": delegation.delegator.name})
    return redirect("home")


@web_view
@require_POST
def act_for_stop(request):
    request.session.pop(DELEGATION_KEY, None)
    messages.success(request, _("You are acting as yourself again."))
    return redirect("home")


class PasswordChangeView(LoginRequiredMixin, auth_views.PasswordChangeView):
    template_name = "home/password_change.html"
    success_url = reverse_lazy("profile")

    def form_valid(self, form):
        # the form validated old and new password; the write goes through the audited action
        core_actions.change_password(
            actor(self.request), user=self.request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.success_url)


# ── the audit log (SEC-6)


def diff(before, after, object_type: str = "") -> list[dict]:
    """Field by field: before → after, marking what changed; fields and coded values in words."""
    before = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        rows.append(
            {
                "field": key,
                "label": audit_labels.field_label(key),
                "before": audit_labels.value_text(object_type, key, old, before) if key in before else None,
                "after": audit_labels.value_text(object_type, key, new, after) if key in after else None,
                "changed": key not in before or key not in after or old != new,
            }
        )
    return rows


def _context(request):
    form = AuditFilterForm(request.GET or None)
    events = core_queries.audit_events(actor(request), **form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.diff = diff(event.before, event.after, event.object_type)
        event.action_label = audit_labels.action_label(event.action)
        event.object_type_label = audit_labels.object_type_label(event.object_type)
        event.origin_label = audit_labels.origin_label(event.origin)
        event.actor_label = audit_labels.actor_label(event.actor_name)
        event.reason_text = audit_labels.reason_text(event.action, event.reason)
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


def _suggestions() -> dict:
    """The filter's suggestions: each stored key with its name in words."""
    return {
        "actions": [(name, audit_labels.action_label(name)) for name in core_queries.audit_actions()],
        "object_types": [
            (name, audit_labels.object_type_label(name).text) for name in core_queries.audit_object_types()
        ],
    }


@web_view
def audit_log(request):
    me = actor(request)
    if not access.can(me, "audit.view"):
        return denied(request)
    context = _context(request)
    if not is_htmx(request):  # the filter's suggestions, for the whole page only
        context.update(_suggestions())
    return render_list(request, "home/audit.html", "home/audit_results.html", context)


@web_view
@require_POST
def audit_verify(request):
    """Walk the whole chain (O(n)), on demand only, against this machine's signed checkpoints."""
    if not access.can(actor(request), "audit.view"):
        return denied(request)
    try:
        result = audit.verify(checkpoints.published())
    except checkpoints.CheckpointError as exc:
        result = audit.VerifyResult(False, 0, None, str(exc))
    if is_htmx(request):
        return render(request, "home/audit_verify.html", {"verify": result})
    context = _context(request)
    context["verify"] = result
    context.update(_suggestions())
    return render(request, "home/audit.html", context)
