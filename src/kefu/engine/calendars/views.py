"""Work calendar pages (CAL-1, CAL-3): calendars and windows, coverage of the official holiday data,
overrides, and the import of a year's schedule. Everything here needs `calendar.manage`."""

from datetime import date, timedelta
from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.engine.calendars import actions, api, importing, queries
from kefu.engine.calendars.forms import HolidayImportForm, OverrideForm
from kefu.engine.calendars.models import DayKind, Weekday
from kefu.org import access
from kefu.web.support import actor, apply_error, denied, web_view


def manages_calendars(view):
    """Only holders of `calendar.manage` (403 page otherwise); the view receives their Actor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        me = actor(request)
        if not access.can(me, "calendar.manage"):
            return denied(request)
        return view(request, me, *args, **kwargs)

    return wrapper


def _today():
    return clock.today()


def _page(request, *, import_form=None, override_form=None, status=200):
    today = _today()
    context = {
        "calendars": queries.calendars(),
        "coverage": queries.coverage(today),
        "warnings": api.coverage_warnings(today),
        "overrides": queries.overrides(today.replace(month=1, day=1)),
        "import_form": import_form or HolidayImportForm(initial={"year": today.year + 1}),
        "override_form": override_form or OverrideForm(),
        "today": today,
    }
    return render(request, "calendars/index.html", context, status=status)


@web_view
@manages_calendars
def index(request, me):
    return _page(request)


def _label(entry) -> str:
    if entry is None:
        return "—"
    kind = DayKind(entry["kind"]).label
    return f"{kind} {entry['name']}".strip()


@web_view
@require_POST
@manages_calendars
def import_year(request, me):
    """Step 1 of an import: check the upload and show what it would change; nothing is written."""
    form = HolidayImportForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            text = data["text"] or ""
            if data.get("file"):
                text = importing.decode_upload(data["file"].read())
            diff = actions.preview_holiday_year(
                me, data["year"], importing.parse_text(text), note=data["note"] or ""
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            rows = [
                {**row, "before_label": _label(row["before"]), "after_label": _label(row["after"])}
                for row in diff["changes"]
            ]
            return render(request, "calendars/import_preview.html", {"diff": diff, "rows": rows})
    return _page(request, import_form=form, status=400)


@web_view
@require_POST
@manages_calendars
def import_confirm(request, me):
    """Step 2: apply exactly the previewed content (the signed token), refused if the year changed since."""
    try:
        holiday_year = actions.confirm_holiday_year(me, request.POST.get("token", ""))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("calendars:index")
    messages.success(
        request,
        _("The schedule of %(year)s was imported: %(count)s days.")
        % {"year": holiday_year.year, "count": holiday_year.days.count()},
    )
    return redirect("calendars:index")


@web_view
@require_POST
@manages_calendars
def override_create(request, me):
    form = OverrideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            actions.set_override(me, data["calendar"], data["date"], data["kind"], data["note"] or "")
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("The override was saved."))
            return redirect("calendars:index")
    return _page(request, override_form=form, status=400)


@web_view
@require_POST
@manages_calendars
def override_remove(request, me, pk: int):
    actions.remove_override(me, queries.override(pk))
    messages.success(request, _("The override was removed."))
    return redirect("calendars:index")


def _month_of(value: str, today: date) -> date:
    """`?m=YYYY-MM` → the month's first day; anything else (or out of range) → this month."""
    try:
        year, number = (int(part) for part in value.split("-"))
        return date(year, number, 1) if actions.MIN_YEAR <= year <= actions.MAX_YEAR else today.replace(day=1)
    except ValueError:
        return today.replace(day=1)


@web_view
def month(request, code: str):
    """A month of one calendar (issue 13): working days, holidays by name, 调休 workdays, today."""
    calendar = queries.calendar(code)
    today = _today()
    first = _month_of(request.GET.get("m", ""), today)
    previous = first - timedelta(days=1)
    following = first + timedelta(days=31)
    weeks = queries.month(calendar, first.year, first.month)
    on_fallback = not api.coverage([first.year])[first.year].official
    warnings = (
        [api.coverage_warning(first.year)] if calendar.follows_statutory_holidays and on_fallback else []
    )
    context = {
        "calendar": calendar,
        "first": first,
        "weeks": weeks,
        "weekdays": [label for _, label in Weekday.choices],
        "today": today,
        "previous": f"{previous.year}-{previous.month:02d}",
        "next": f"{following.year}-{following.month:02d}",
        "this_month": f"{today.year}-{today.month:02d}",
        "warnings": warnings,
        "can_manage": access.can(actor(request), "calendar.manage"),
    }
    return render(request, "calendars/month.html", context)
