"""Routing pages (ROUTE-1, CASE-6, ESC-1, SLA-2): the case page's transfer (always with a reason)
and escalation forms, and the supervisor's team page — queues, load, availability, overdue cases
and bounces — with assignment from the queue."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.cases.actions import routing as actions_routing
from kefu.cases.queries import routing as routing_queries
from kefu.cases.views import blocks
from kefu.cases.views.intake import post_form
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, denied, remaining_text, web_view


@require_POST
@web_view
def transfer(request, pk: int):
    """CASE-6: to a person or a skill group, always with a reason."""
    form = {k: request.POST.get(k, "") for k in ("reason", "to_owner", "to_group")}

    def run(me, case):
        group = routing_queries.group_named(form["to_group"], "to_group") if form["to_group"] else None
        owner = routing_queries.person_named(form["to_owner"], "to_owner") if form["to_owner"] else None
        return actions_routing.transfer(me, case, reason=form["reason"], to_owner=owner, to_group=group)

    return post_form(request, pk, run, success=_("Case transferred."), form_name="transfer", form=form)


@require_POST
@web_view
def escalate(request, pk: int):
    """ESC-1 by hand: one level up, or straight to a level in an emergency (the skipped are told)."""
    form = {
        "reason": request.POST.get("reason", ""),
        "emergency": bool(request.POST.get("emergency")),
        "level": request.POST.get("level", ""),
        "trigger": request.POST.get("trigger", ""),
    }

    def run(me, case):
        level = int(form["level"]) if form["level"].isdigit() else None  # skipping needs the emergency box
        return actions_routing.escalate(
            me,
            case,
            reason=form["reason"],
            emergency=form["emergency"],
            to_level=level,
            trigger=form["trigger"],
        )

    return post_form(request, pk, run, success=_("Case escalated."), form_name="escalate", form=form)


TEAM_URL = "/cases/team/"


@web_view
def team(request):
    me = actor(request)
    if not routing_queries.may_read_overview(me):
        return denied(request)
    found = routing_queries.team(me)
    blocks.mark_rows(found.queue + found.overdue)  # each list shows its breached, then warned clocks first
    for row in found.overdue:
        row.overdue_text = remaining_text(timedelta(minutes=row.overdue_minutes))
    context = {
        "team": found,
        "may_configure": access.can(me, "case.configure"),
        "may_manage": access.can(me, "case.manage"),  # executives read the overview, supervisors act on it
    }
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


urlpatterns = [
    path("cases/<int:pk>/transfer/", transfer, name="transfer"),
    path("cases/<int:pk>/escalate/", escalate, name="escalate"),
    path("cases/team/", team, name="team"),
    path("cases/team/people/<int:pk>/availability/", availability, name="team_availability"),
    path("cases/team/queue/<int:pk>/assign/", assign, name="team_assign"),
]
