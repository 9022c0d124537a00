"""排班表 pages (WFM-1): the rotas of the teams in scope with the draft form, a rota as a calendar
(days × shifts) with its lifecycle buttons, gaps, staff comments and emergency call-in, the team
calendar by week or month, the Excel export and each person's .ics feed (no login, hashed token)."""

from datetime import date, datetime, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.errors import DomainError, NotFound
from kefu.org import access
from kefu.web.support import actor, apply_error, attempt, denied, web_view
from kefu.workforce import ics, reports
from kefu.workforce.actions import rotas as actions
from kefu.workforce.models import RotaState
from kefu.workforce.queries import coverage as coverage_queries
from kefu.workforce.queries import rotas as queries
from kefu.workforce.views.forms import CallInForm, CommentForm, DraftForm

VIEW, MANAGE = "rota.view", "rota.manage"
WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def day_label(day: date) -> str:
    return f"{day.month}月{day.day}日 {WEEKDAYS[day.weekday()]}"


def _hours(starts, ends) -> str:
    return f"{starts:%H:%M}–{ends:%H:%M}"


def grid(templates, shifts, first: date, last: date):
    """(columns, rows) for the days first..last: columns [(shift name, hours)], one per shift template
    plus 其他班次 when a shift has no template of the team (an emergency call-in, a shift of other
    hours); rows [(day, label, [(column name, [names])])]."""
    codes = {t.code for t in templates}
    cells, others = {}, False
    for shift in shifts:
        starts = clock.local(shift.starts_at)
        day = starts.date()
        code = shift.template.code if shift.template is not None else None
        name = shift.employee.name + (_("(emergency)") if shift.called_in else "")
        if code not in codes:
            code, others = None, True
            name = f"{name} {_hours(starts, clock.local(shift.ends_at))}"
        cells.setdefault((day, code), []).append(name)
    columns = [(t.name, _hours(t.starts, t.ends)) for t in templates]
    keys = [t.code for t in templates]
    if others:
        columns.append((_("Other shifts"), ""))
        keys.append(None)
    rows = []
    day = first
    while day <= last:
        rows.append(
            (
                day,
                day_label(day),
                [(column[0], cells.get((day, key), [])) for column, key in zip(columns, keys, strict=True)],
            )
        )
        day += timedelta(days=1)
    return columns, rows


def _may_manage(me, unit) -> bool:
    return access.can(me, MANAGE) and access.write_in_scope(me, MANAGE, unit=unit, owner_id=None)


@web_view
def rotas(request):
    me = actor(request)
    rows = list(queries.rotas(me)[:100])
    for row in rows:
        row.missing = sum(g["missing"] for g in row.gaps or ())
    teams = [t for t in queries.teams(me) if _may_manage(me, t)] if access.can(me, MANAGE) else []
    form = DraftForm(request.POST or None)
    context = {"rows": rows, "teams": teams, "form": form}
    if request.method == "POST":
        team = queries.team(me, int(request.POST.get("unit") or 0))
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "workforce/rotas.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "workforce/rotas.html", context

        return attempt(
            request,
            lambda: actions.draft(me, team, data["starts_on"], data["ends_on"]),
            success=_("The rota was drafted."),
            then=lambda rota: reverse("workforce:rota", args=[rota.pk]),
            page=page,
        )
    return render(request, "workforce/rotas.html", context)


def _rota_context(me, rota):
    templates = list(coverage_queries.templates(rota.unit))
    names = {t.code: t.name for t in templates}
    gaps = [
        (
            day_label(date.fromisoformat(g["day"])),
            names.get(g["template"], g["template"]),
            g["missing"],
            g["skill"],
        )
        for g in rota.gaps
    ]
    columns, rows = grid(templates, queries.shifts(rota), rota.starts_on, rota.ends_on)
    return {
        "rota": rota,
        "templates": templates,
        "columns": columns,
        "rows": rows,
        "gaps": gaps,
        "missing": sum(g["missing"] for g in rota.gaps),
        "comments": list(queries.comments(rota)),
        "may_manage": _may_manage(me, rota.unit),
        "may_comment": rota.state == RotaState.FEEDBACK,
        "next_state": actions.NEXT.get(rota.state),
        "comment_form": CommentForm(),
        "call_in_form": CallInForm(people=coverage_queries.members(rota.unit)),
        "published": rota.state == RotaState.PUBLISHED,
    }


@web_view
def rota(request, pk: int):
    me = actor(request)
    found = queries.rota(me, pk)
    return render(request, "workforce/rota.html", _rota_context(me, found))


@web_view
@require_POST
def advance(request, pk: int):
    me = actor(request)
    found = queries.rota(me, pk)

    def page(error: DomainError):
        context = _rota_context(me, found)
        context["error"] = error.message
        return "workforce/rota.html", context

    return attempt(
        request,
        lambda: actions.advance(me, found, confirm_gaps=request.POST.get("confirm_gaps") == "1"),
        success=_("The rota moved to the next step."),
        then=reverse("workforce:rota", args=[pk]),
        page=page,
    )


@web_view
@require_POST
def comment(request, pk: int):
    me = actor(request)
    found = queries.rota(me, pk)
    form = CommentForm(request.POST)

    def page(error: DomainError):
        context = _rota_context(me, found)
        apply_error(form, error)
        context["comment_form"] = form
        return "workforce/rota.html", context

    text = form.data.get("text", "")
    return attempt(
        request,
        lambda: actions.comment(me, found, text),
        success=_("Your comment was sent."),
        then=reverse("workforce:rota", args=[pk]),
        page=page,
    )


@web_view
@require_POST
def call_in(request, pk: int):
    me = actor(request)
    found = queries.rota(me, pk)
    if not _may_manage(me, found.unit):
        return denied(request)
    form = CallInForm(request.POST, people=coverage_queries.members(found.unit))
    context = _rota_context(me, found)
    context["call_in_form"] = form
    if not form.is_valid():
        form.add_error(None, _("Please check the marked fields."))
        return render(request, "workforce/rota.html", context, status=400)
    data = form.cleaned_data
    employee = queries.employee(me, int(data["employee"]))

    def aware(value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=clock.zone())

    def page(error: DomainError):
        apply_error(form, error)
        return "workforce/rota.html", context

    return attempt(
        request,
        lambda: actions.call_in(
            me, employee, aware(data["starts_at"]), aware(data["ends_at"]), reason=data["reason"]
        ),
        success=_("The person was called in and notified."),
        then=reverse("workforce:rota", args=[pk]),
        page=page,
    )


@web_view
def export(request, pk: int):
    me = actor(request)
    found = queries.rota(me, pk)
    context = _rota_context(me, found)
    body = reports.rota_workbook(
        f"{found.unit.name} 排班表 {found.starts_on:%Y-%m-%d} 至 {found.ends_on:%Y-%m-%d}",
        [f"{name} {hours}".strip() for name, hours in context["columns"]],
        [(label, [names for _n, names in cells]) for _day, label, cells in context["rows"]],
        [(label, shift, missing) for label, shift, missing, _skill in context["gaps"]],
    )
    response = HttpResponse(body, content_type=reports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="rota-{found.pk}.xlsx"'
    return response


@web_view
def calendar(request, unit_pk: int):
    """A team's published shifts by week or by month (WFM-1)."""
    me = actor(request)
    team = queries.team(me, unit_pk) if access.can(me, VIEW) else None
    if team is None:
        return denied(request)
    view = "month" if request.GET.get("view") == "month" else "week"
    try:
        anchor = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        anchor = clock.today()
    if view == "week":
        first = anchor - timedelta(days=anchor.weekday())
        last, before, after = first + timedelta(days=6), first - timedelta(days=7), first + timedelta(days=7)
    else:
        first = anchor.replace(day=1)
        after = (first + timedelta(days=32)).replace(day=1)
        last, before = after - timedelta(days=1), (first - timedelta(days=1)).replace(day=1)
    templates = list(coverage_queries.templates(team))
    columns, rows = grid(templates, queries.published_shifts(team, first, last), first, last)
    context = {
        "team": team,
        "view": view,
        "templates": templates,
        "columns": columns,
        "rows": rows,
        "first": first,
        "last": last,
        "before": before.isoformat(),
        "after": after.isoformat(),
        "anchor": anchor.isoformat(),
        "today": clock.today().isoformat(),
    }
    return render(request, "workforce/calendar.html", context)


def feed(request, token: str):
    """The .ics feed of one person's published shifts: no login, the token compared by its hash."""
    owner = queries.feed_owner(token)
    if owner is None:
        raise Http404(NotFound("日历", "calendar").message)
    body = ics.feed(owner.name, queries.feed_shifts(owner), host=request.get_host().split(":")[0] or "kefu")
    return HttpResponse(body, content_type=ics.CONTENT_TYPE)
