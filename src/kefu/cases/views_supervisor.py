"""Supervisor pages: the team's queues, load, availability, overdue cases and bounces (ROUTE-1,
SLA-2, CASE-6), and the configuration of case kinds and skill groups (CASE-1, ROUTE-1)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.cases import actions_config, actions_routing, queries_supervisor
from kefu.cases.forms_supervisor import (
    GroupForm,
    KindForm,
    editor_rows,
    field_rows,
    field_specs,
    rows_of,
    type_choices,
)
from kefu.claims.views import attempt
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.org.models import Unit
from kefu.web.support import actor, denied, web_view

TEAM_URL = "/cases/team/"


@web_view
def team(request):
    me = actor(request)
    if not access.can(me, "case.manage"):
        return denied(request)
    context = {"team": queries_supervisor.team(me), "may_configure": access.can(me, "case.configure")}
    return render(request, "cases/supervisor.html", context)


@require_POST
@web_view
def availability(request, pk: int):
    """ROUTE-1: a supervisor marks a member available or not; an unavailable agent gets no new cases."""
    me = actor(request)
    person = queries_supervisor.team_member(me, pk)
    available = request.POST.get("available") == "1"
    actions_routing.set_availability(me, person, available=available, note=request.POST.get("note", ""))
    if available:
        messages.success(request, _("%(name)s takes new cases again.") % {"name": person.name})
    else:
        messages.success(
            request, _("%(name)s gets no new cases until marked available.") % {"name": person.name}
        )
    return redirect(TEAM_URL)


@require_POST
@web_view
def assign(request, pk: int):
    """ROUTE-1: a queued case to a chosen member, or to the least-loaded available one."""
    me = actor(request)
    case = queries_supervisor.managed_case(me, pk)
    chosen = request.POST.get("owner", "")
    try:
        owner = queries_supervisor.team_member(me, chosen) if chosen else None
        case = actions_routing.assign(me, case, owner)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
        return redirect(TEAM_URL)
    messages.success(
        request, _("%(number)s assigned to %(name)s.") % {"number": case.number, "name": case.owner.name}
    )
    return redirect(TEAM_URL)


# --- configuration -------------------------------------------------------------------------------


def _configurer(request):
    me = actor(request)
    return me if access.can(me, "case.configure") else None


@web_view
def kinds(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    rows = list(queries_supervisor.kinds(me))
    context = {
        "shipped": [k for k in rows if k.unit_id is None],
        "own": [k for k in rows if k.unit_id is not None],
        "may_create": queries_supervisor.configurable_units(me, subsidiaries=True).exists(),
    }
    return render(request, "cases/config_kinds.html", context)


def _kind_page(form, rows, *, kind=None, error=None):
    context = {
        "form": form,
        "rows": editor_rows(rows),
        "types": type_choices(),
        "kind": kind,
        "error": error,
    }
    return "cases/config_kind.html", context


def _kind_form(me, request, kind=None):
    units = queries_supervisor.configurable_units(me, subsidiaries=True)
    data = request.POST if request.method == "POST" else None
    initial = None
    if kind is not None:
        initial = {
            "family": kind.family,
            "name": kind.name,
            "name_en": kind.name_en,
            "ordering": kind.ordering,
            "active": kind.active,
        }
    return KindForm(data, initial=initial, units=units, creating=kind is None)


def _save_kind(request, me, form, rows, kind=None):
    if not form.is_valid():
        template, context = _kind_page(form, rows, kind=kind)
        return render(request, template, context, status=400)
    values = dict(form.cleaned_data)
    values["fields"] = field_specs(rows)

    def run():
        if kind is None:
            unit = Unit.objects.get(pk=values.pop("unit"))
            return actions_config.create_kind(me, unit=unit, **values)
        return actions_config.update_kind(me, kind, **values)

    return attempt(
        request,
        run,
        success=_("Case kind saved."),
        then="/cases/config/kinds/",
        page=lambda error: _kind_page(form, rows, kind=kind, error=error),
    )


@web_view
def kind_new(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    form = _kind_form(me, request)
    if request.method != "POST":
        template, context = _kind_page(form, [])
        return render(request, template, context)
    return _save_kind(request, me, form, field_rows(request.POST))


@web_view
def kind_edit(request, pk: int):
    me = _configurer(request)
    if me is None:
        return denied(request)
    kind = queries_supervisor.kind(me, pk)
    if kind.unit_id is None:
        return denied(request)
    form = _kind_form(me, request, kind)
    if request.method != "POST":
        template, context = _kind_page(form, rows_of(kind.fields), kind=kind)
        return render(request, template, context)
    return _save_kind(request, me, form, field_rows(request.POST), kind)


@web_view
def groups(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    context = {
        "groups": list(queries_supervisor.groups(me)),
        "may_create": queries_supervisor.configurable_units(me).exists(),
    }
    return render(request, "cases/config_groups.html", context)


def _group_page(form, *, group=None, error=None):
    return "cases/config_group.html", {"form": form, "group": group, "error": error}


def _group_form(me, request, group=None):
    data = request.POST if request.method == "POST" else None
    initial = None
    if group is not None:
        initial = {
            "name": group.name,
            "office": group.office,
            "families": group.families,
            "members": [p.pk for p in group.members.all()],
            "active": group.active,
        }
    return GroupForm(
        data,
        initial=initial,
        units=queries_supervisor.configurable_units(me),
        people=queries_supervisor.eligible_members(me),
        creating=group is None,
    )


def _save_group(request, me, form, group=None):
    if not form.is_valid():
        template, context = _group_page(form, group=group)
        return render(request, template, context, status=400)
    values = dict(form.cleaned_data)

    def run():
        if group is None:
            unit = Unit.objects.get(pk=values.pop("unit"))
            return actions_config.create_group(me, unit=unit, **values)
        return actions_config.update_group(me, group, **values)

    return attempt(
        request,
        run,
        success=_("Skill group saved."),
        then="/cases/config/groups/",
        page=lambda error: _group_page(form, group=group, error=error),
    )


@web_view
def group_new(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    form = _group_form(me, request)
    if request.method != "POST":
        template, context = _group_page(form)
        return render(request, template, context)
    return _save_group(request, me, form)


@web_view
def group_edit(request, pk: int):
    me = _configurer(request)
    if me is None:
        return denied(request)
    group = queries_supervisor.group(me, pk)
    form = _group_form(me, request, group)
    if request.method != "POST":
        template, context = _group_page(form, group=group)
        return render(request, template, context)
    return _save_group(request, me, form, group)
