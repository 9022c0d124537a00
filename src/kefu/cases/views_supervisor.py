"""Supervisor pages: the team's queues, load, availability, overdue cases and bounces (ROUTE-1,
SLA-2, CASE-6), and the configuration of case kinds and skill groups (CASE-1, ROUTE-1)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from kefu.cases.actions import config as actions_config
from kefu.cases.actions import routing as actions_routing
from kefu.cases.forms_supervisor import (
    GroupForm,
    KindForm,
    editor_rows,
    field_rows,
    field_specs,
    rows_of,
    type_choices,
)
from kefu.cases.queries import config as config_queries
from kefu.cases.queries import routing as routing_queries
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, attempt, denied, remaining_text, web_view

TEAM_URL = "/cases/team/"


@web_view
def team(request):
    me = actor(request)
    if not access.can(me, "case.manage"):
        return denied(request)
    found = routing_queries.team(me)
    for row in found.overdue:
        row.overdue_text = remaining_text(timedelta(minutes=row.overdue_minutes))
    context = {"team": found, "may_configure": access.can(me, "case.configure")}
    return render(request, "cases/supervisor.html", context)


@require_POST
@web_view
def availability(request, pk: int):
    """ROUTE-1: a supervisor marks a member available or not; an unavailable agent gets no new cases."""
    me = actor(request)
    person = routing_queries.team_member(me, pk)
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
    case = routing_queries.managed_case(me, pk)
    chosen = request.POST.get("owner", "")
    try:
        owner = routing_queries.team_member(me, chosen) if chosen else None
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


@dataclass(frozen=True)
class _Saving:
    """What a configuration form does: create (with the chosen unit) or update, then where to go."""

    create: Callable
    update: Callable
    success: str
    then: str


KIND = _Saving(
    actions_config.create_kind, actions_config.update_kind, _l("Case kind saved."), "/cases/config/kinds/"
)
GROUP = _Saving(
    actions_config.create_group,
    actions_config.update_group,
    _l("Skill group saved."),
    "/cases/config/groups/",
)


def _configurer(request):
    me = actor(request)
    return me if access.can(me, "case.configure") else None


def _form_page(request, me, form, page, saving: _Saving, obj=None, extra=None):
    """GET: the form; POST: carry out create/update, re-rendering `page(error)` with the input kept."""
    if request.method != "POST":
        template, context = page(None)
        return render(request, template, context)
    if not form.is_valid():
        template, context = page(None)
        return render(request, template, context, status=400)
    values = {**form.cleaned_data, **(extra or {})}

    def run():
        if obj is None:
            unit = config_queries.configurable_unit(me, values.pop("unit"))
            return saving.create(me, unit=unit, **values)
        return saving.update(me, obj, **values)

    return attempt(request, run, success=str(saving.success), then=saving.then, page=page)


@web_view
def kinds(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    rows = list(config_queries.kinds(me))
    context = {
        "shipped": [k for k in rows if k.unit_id is None],
        "shipped_codes": {k.code for k in rows if k.unit_id is None},
        "own": [k for k in rows if k.unit_id is not None],
        "may_create": config_queries.configurable_units(me, subsidiaries=True).exists(),
    }
    return render(request, "cases/config_kinds.html", context)


def _kind_page(request, me, kind=None):
    units = config_queries.configurable_units(me, subsidiaries=True)
    initial = None
    if kind is not None:
        initial = {k: getattr(kind, k) for k in ("family", "name", "name_en", "ordering", "active")}
    posted = request.method == "POST"
    form = KindForm(request.POST if posted else None, initial=initial, units=units, creating=kind is None)
    rows = field_rows(request.POST) if posted else rows_of(kind.fields if kind else [])

    def page(error):
        context = {
            "form": form,
            "rows": editor_rows(rows),
            "types": type_choices(),
            "kind": kind,
            "error": error,
        }
        return "cases/config_kind.html", context

    return _form_page(request, me, form, page, KIND, kind, {"fields": field_specs(rows)})


@web_view
def kind_new(request):
    me = _configurer(request)
    return denied(request) if me is None else _kind_page(request, me)


@web_view
def kind_edit(request, pk: int):
    me = _configurer(request)
    if me is None:
        return denied(request)
    kind = config_queries.kind(me, pk)
    if kind.unit_id is None:
        return denied(request)
    return _kind_page(request, me, kind)


@web_view
def groups(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    context = {
        "groups": list(config_queries.groups(me)),
        "may_create": config_queries.configurable_units(me).exists(),
    }
    return render(request, "cases/config_groups.html", context)


def _group_page(request, me, group=None):
    initial = None
    if group is not None:
        initial = {k: getattr(group, k) for k in ("name", "office", "families", "active")}
        initial["members"] = [p.pk for p in group.members.all()]
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=config_queries.configurable_units(me),
        people=config_queries.eligible_members(me),
        creating=group is None,
    )

    def page(error):
        return "cases/config_group.html", {"form": form, "group": group, "error": error}

    return _form_page(request, me, form, page, GROUP, group)


@web_view
def group_new(request):
    me = _configurer(request)
    return denied(request) if me is None else _group_page(request, me)


@web_view
def group_edit(request, pk: int):
    me = _configurer(request)
    if me is None:
        return denied(request)
    return _group_page(request, me, config_queries.group(me, pk))
