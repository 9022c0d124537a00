"""Pages of 逾期报备 (HRD-1): the list of open reports with the form that records one
(/cases/hardship/), the report's page with its calls, reminders and the form that logs a call
(/cases/<pk>/hardship/), and the audited player of a recording."""

from datetime import datetime

from django.http import FileResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.cases.actions import hardship as actions_hardship
from kefu.cases.models import OPEN_STATES, CallOutcome, CallTarget, Willingness
from kefu.cases.queries import hardship as hardship_queries
from kefu.cases.queries import intake as queries
from kefu.core import clock, sealed
from kefu.core.errors import Invalid
from kefu.org import access
from kefu.web.support import actor, attempt, web_view

LIST_LIMIT = 200
NEW_FIELDS = (
    "phone",
    "name",
    "overdue_on",
    "hardship",
    "willingness",
    "window_start",
    "window_end",
    "emergency_name",
    "emergency_phone",
)
CALL_FIELDS = ("target", "outcome", "at", "phone", "note")


def _list_context(me, **extra) -> dict:
    context = {
        "reports": list(hardship_queries.reports(me)[:LIST_LIMIT]),
        "willingness": Willingness.choices,
        "may_record": access.can(me, actions_hardship.HANDLE),
        "form": {"window_start": "12:00", "window_end": "14:00"},
        "error": None,
    }
    context.update(extra)
    return context


@web_view
def reports(request):
    me = actor(request)
    return render(request, "cases/hardship_list.html", _list_context(me))


@require_POST
@web_view
def create(request):
    me = actor(request)
    form = {k: request.POST.get(k, "") for k in NEW_FIELDS}

    def run():
        unit = queries.receiving_unit(me, None)
        return actions_hardship.create_report(me, unit=unit, recording=request.FILES.get("recording"), **form)

    return attempt(
        request,
        run,
        success=_("Hardship report recorded; the assigned agent will be reminded to call."),
        then=lambda report: _after_create(me, report),
        page=lambda error: ("cases/hardship_list.html", _list_context(me, form=form, error=error)),
    )


def _after_create(me, report) -> str:
    """The report's page — or the list, when routing (ROUTE-1) gave the case to someone the recorder
    may not see the cases of."""
    visible = hardship_queries.reports(me).filter(pk=report.pk).exists()
    return f"/cases/{report.case_id}/hardship/" if visible else "/cases/hardship/"


def _report_context(me, report, **extra) -> dict:
    context = {
        "report": report,
        "case": report.case,
        "is_open": report.case.state in OPEN_STATES,
        "window": actions_hardship.window_text(report.window_start, report.window_end),
        "calls": list(hardship_queries.calls(report)),
        "reminders": list(hardship_queries.reminders(report)),
        "targets": CallTarget.choices,
        "outcomes": CallOutcome.choices,
        "form": {"at": clock.local().strftime("%Y-%m-%dT%H:%M")},
        "error": None,
    }
    context.update(extra)
    return context


@web_view
def report_page(request, pk: int):
    me = actor(request)
    report = hardship_queries.report(me, pk)
    return render(request, "cases/hardship.html", _report_context(me, report))


def _moment(text: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=clock.zone())
    except ValueError:
        raise Invalid(
            "hardship_call_at", "请填写通话时间", "Give the time of the call", {"at": "invalid"}
        ) from None


@require_POST
@web_view
def log_call(request, pk: int):
    me = actor(request)
    report = hardship_queries.report(me, pk)
    form = {k: request.POST.get(k, "") for k in CALL_FIELDS}

    def run():
        return actions_hardship.log_call(
            me,
            report,
            target=form["target"],
            outcome=form["outcome"],
            at=_moment(form["at"]),
            phone=form["phone"],
            note=form["note"],
            recording=request.FILES.get("recording"),
        )

    return attempt(
        request,
        run,
        success=_("Call logged."),
        then=f"/cases/{pk}/hardship/",
        page=lambda error: ("cases/hardship.html", _report_context(me, report, form=form, error=error)),
    )


@web_view
def recording(request, pk: int, attachment: int):
    """A recording, played in the page; every listen is audited (HRD-1)."""
    me = actor(request)
    report = hardship_queries.report(me, pk)
    item = hardship_queries.recording(report, attachment)
    actions_hardship.listened(me, report, item)
    response = FileResponse(sealed.open_stored(item.file), filename=item.name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("cases/hardship/", reports, name="hardship_list"),
    path("cases/hardship/new/", create, name="hardship_new"),
    path("cases/<int:pk>/hardship/", report_page, name="hardship"),
    path("cases/<int:pk>/hardship/calls/", log_call, name="hardship_call"),
    path("cases/<int:pk>/hardship/recordings/<int:attachment>/", recording, name="hardship_recording"),
]
