"""我的班次 and 调班审批 pages (WFM-1): each person's published shifts with the change/swap request
form and their calendar link; the 排班管理员 and team lead approve or reject requests."""

from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, apply_error, attempt, web_view
from kefu.workforce.actions import changes as actions
from kefu.workforce.actions import rotas as rota_actions
from kefu.workforce.models import ChangeState
from kefu.workforce.queries import coverage as coverage_queries
from kefu.workforce.queries import rotas as queries
from kefu.workforce.views.forms import ChangeForm
from kefu.workforce.views.rotas import MANAGE, day_label


def _label(shift) -> str:
    start, end = clock.local(shift.starts_at), clock.local(shift.ends_at)
    name = shift.template.name if shift.template is not None else _("Emergency shift")
    return f"{day_label(start.date())} {name} {start:%H:%M}–{end:%H:%M}"


def _context(me, form=None):
    now = clock.now()
    mine = list(queries.my_shifts(me, since=now))
    for shift in mine:
        shift.label = _label(shift)
    employee = access.employee_of(me.user)
    people = [p for p in coverage_queries.members(employee.unit) if p.pk != employee.pk] if employee else []
    theirs = []
    if mine:
        theirs = [s for s in queries.team_shifts(employee.unit, since=now) if s.employee_id != employee.pk]
        for shift in theirs:
            shift.label = f"{shift.employee.name} {_label(shift)}"
    states = dict(ChangeState.choices)
    rows = list(queries.changes(me)[:50])
    for row in rows:
        row.state_name = states.get(row.state, "")
        row.shift_label = _label(row.shift)
        row.may_decide = row.state == ChangeState.PENDING and access.write_in_scope(
            me, MANAGE, unit=employee.unit if employee else None, owner_id=None
        )
    return {
        "shifts": mine,
        "form": form or ChangeForm(mine=mine, people=people, theirs=theirs),
        "changes": rows,
        "may_request": bool(mine) and bool(people),
    }


@web_view
def mine(request):
    me = actor(request)
    return render(request, "workforce/mine.html", _context(me))


@web_view
@require_POST
def request_change(request):
    me = actor(request)
    context = _context(me)
    form = ChangeForm(request.POST)
    form.fields = context["form"].fields
    context["form"] = form
    if not form.is_valid():
        form.add_error(None, _("Please check the marked fields."))
        return render(request, "workforce/mine.html", context, status=400)
    data = form.cleaned_data
    shift = queries.shift(me, int(data["shift"]))
    colleague = queries.employee(me, int(data["colleague"]))
    theirs = queries.shift(me, int(data["their_shift"])) if data["their_shift"] else None

    def page(error: DomainError):
        apply_error(form, error)
        return "workforce/mine.html", context

    return attempt(
        request,
        lambda: actions.request(me, shift, colleague, reason=data["reason"], their_shift=theirs),
        success=_("Your request was sent to the scheduler."),
        then=reverse("workforce:mine"),
        page=page,
    )


@web_view
@require_POST
def decide(request, pk: int):
    me = actor(request)
    change = queries.change(me, pk)
    approve = request.POST.get("approve") == "1"

    def page(error: DomainError):
        context = _context(me)
        context["error"] = error.message
        return "workforce/mine.html", context

    return attempt(
        request,
        lambda: actions.decide(me, change, approve=approve),
        success=_("The request was approved.") if approve else _("The request was rejected."),
        then=reverse("workforce:mine"),
        page=page,
    )


@web_view
@require_POST
def new_feed(request):
    me = actor(request)
    token = rota_actions.issue_feed(me)
    url = request.build_absolute_uri(reverse("workforce:ics", args=[token]))
    messages.success(request, _("Your calendar link (shown once): %(url)s") % {"url": url})
    return render(request, "workforce/mine.html", {**_context(me), "feed_url": url})
