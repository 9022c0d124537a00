"""Incident pages (EMG-4, EMG-5): the list (open first, the activation clock shown), the report form
(phone-friendly; `?case=<id>` raises a case to an incident), and the command-centre page — status,
level, the clock counting down from the occurrence, the buttons the viewer may use, the checklist,
resources, changes, notices and the timeline — refreshed by a static script polling `state/`."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.queries import intake as case_queries
from kefu.core import clock, sealed
from kefu.core.errors import DomainError
from kefu.emergency.actions import incidents as actions
from kefu.emergency.models import OPEN_STATUSES, ChangeKind, IncidentStatus, NoticeAudience, PlanType
from kefu.emergency.queries import incidents as queries
from kefu.emergency.queries import levels as level_queries
from kefu.emergency.queries import plans as plan_queries
from kefu.org import access
from kefu.org.queries import employee_named
from kefu.web.support import actor, remaining_text, web_view

S = IncidentStatus


def _clock(incident) -> dict:
    """The activation clock from the occurrence (EMG-4): remaining or overdue; stopped once activated."""
    now = clock.now()
    if incident.activated_at is not None:
        minutes = int((incident.activated_at - incident.occurred_at).total_seconds() // 60)
        return {"stopped": True, "late": incident.activated_late, "minutes": minutes, "overdue": False}
    left = incident.activate_by - now
    overdue = left.total_seconds() < 0
    return {
        "stopped": False,
        "overdue": overdue or incident.breached_at is not None,
        "text": remaining_text(-left if overdue else left),
        "late": overdue,
    }


@web_view
def incidents(request):
    me = actor(request)
    rows = list(queries.incidents(me)[:200])
    for row in rows:
        row.clock = _clock(row)
        row.is_open = row.status in OPEN_STATUSES
    return render(
        request,
        "emergency/incidents.html",
        {"rows": rows, "may_report": bool(queries.units_for_report(me))},
    )


def _report_context(me, request, case=None) -> dict:
    return {
        "units": queries.units_for_report(me),
        "types": PlanType.choices,
        "case": case,
        "form": request.POST if request.method == "POST" else {},
        "now": clock.local().strftime("%Y-%m-%dT%H:%M"),
    }


def _raised_with_photos(uploads, me, case, **fields):
    """A case raised to an incident with the report's photos: all or nothing."""
    uploads = list(uploads)
    for upload in uploads:
        actions.check_photo(case.unit, upload)  # every photo checked before anything is written
    with transaction.atomic():
        made = actions.raise_from_case(me, case, **fields)
        if uploads:
            actions.add_photos(me, made, uploads)
    return made


@web_view
def new(request):
    me = actor(request)
    case = case_queries.case(me, request.GET.get("case")) if request.GET.get("case") else None
    if request.method == "POST":
        try:
            if case is not None:
                made = _raised_with_photos(
                    request.FILES.getlist("photos"),
                    me,
                    case,
                    plan_type=request.POST.get("plan_type", ""),
                    title=request.POST.get("title", ""),
                    occurred_at=request.POST.get("occurred_at") or None,
                    place=request.POST.get("place", ""),
                    scope=request.POST.get("scope", ""),
                )
            else:
                made = actions.report_with_photos(
                    me,
                    request.FILES.getlist("photos"),
                    unit=plan_queries.unit_named(request.POST.get("unit"), "unit"),
                    plan_type=request.POST.get("plan_type", ""),
                    title=request.POST.get("title", ""),
                    occurred_at=request.POST.get("occurred_at", ""),
                    detected_at=request.POST.get("detected_at") or None,
                    place=request.POST.get("place", ""),
                    scope=request.POST.get("scope", ""),
                    description=request.POST.get("description", ""),
                )
            messages.success(request, _("The incident is reported; the command centre is alerted."))
            return redirect(reverse("emergency:incident", args=[made.pk]))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            context = _report_context(me, request, case)
            context["error"] = error.message
            return render(request, "emergency/incident_new.html", context, status=error.status)
    return render(request, "emergency/incident_new.html", _report_context(me, request, case))


def _run(me, incident, post, files) -> str:
    """One form of the command-centre page; the message shown after it."""
    what = post.get("what", "")
    if what == "photo":
        actions.add_photos(me, incident, files.getlist("photos"))
        return _("The photos are uploaded.")
    if what == "acknowledge":
        actions.acknowledge(me, incident)
        return _("The alert was acknowledged; the reminders stop.")
    if what == "triage":
        actions.triage(me, incident, plan_type=post.get("plan_type") or None, level=post.get("level", ""))
        return _("Triage recorded.")
    if what == "activate":
        actions.activate(me, incident, level=post.get("level", ""))
        return _("The emergency response is activated; the checklist is ready.")
    if what == "level":
        actions.set_level(me, incident, post.get("level", ""))
        return _("The response level is set.")
    if what in ("done", "undone"):
        actions.task_done(me, queries.task(incident, post.get("task")), done=what == "done")
        return _("The checklist is updated.")
    if what == "assign":
        task = queries.task(incident, post.get("task"))
        actions.task_assign(me, task, employee_named(post.get("assignee"), "assignee"))
        return _("The checklist is updated.")
    if what == "resource":
        found = queries.resource_for(incident, post.get("resource"))
        actions.use_resource(me, incident, found, post.get("quantity"), post.get("note", ""))
        return _("The resource used is recorded.")
    if what == "change":
        actions.record_change(
            me,
            incident,
            kind=post.get("kind", ""),
            text=post.get("text", ""),
            starts_at=post.get("starts_at") or None,
            ends_at=post.get("ends_at") or None,
        )
        return _("The change is recorded.")
    if what == "notice":
        actions.publish(me, incident, audience=post.get("audience", ""), text=post.get("text", ""))
        return _("The notice is published.")
    if what == "recover":
        actions.recover(me, incident, report=post.get("recovery_report", ""), impact=post.get("impact", ""))
        return _("The recovery is recorded.")
    if what == "lift":
        actions.lift(me, incident)
        return _("The emergency is lifted.")
    if what == "review":
        actions.review(
            me,
            incident,
            cause=post.get("cause", ""),
            prevention=post.get("prevention", ""),
            lessons=post.get("lessons", ""),
        )
        return _("The review is recorded.")
    if what == "archive":
        owner = employee_named(post.get("owner"), "owner") if post.get("owner") else None
        actions.archive(
            me, incident, owner=owner, due_on=post.get("due_on", ""), revision=post.get("revision", "")
        )
        return _("The incident is archived; the plan revision task is created.")
    return ""


def _offers(me, incident) -> dict:
    """Which forms the viewer may use now: only those (EMG-3 powers, the command centre, the state)."""
    command = queries.may_command(me, incident)
    powers = queries.powers_of(me, incident)
    status = incident.status
    return {
        "acknowledge": command and incident.next_alert_at is not None,
        "triage": command and status in (S.REPORTED, S.TRIAGED),
        "activate": "activate" in powers and status in (S.REPORTED, S.TRIAGED),
        "level": "set_level" in powers
        and status in (S.REPORTED, S.TRIAGED, S.ACTIVATED, S.RESPONDING, S.RECOVERED),
        "tick": command and status in (S.ACTIVATED, S.RESPONDING),
        "respond": command and status in (S.ACTIVATED, S.RESPONDING, S.RECOVERED),
        "notice": "publish" in powers and status in (S.ACTIVATED, S.RESPONDING, S.RECOVERED),
        "recover": command and status in (S.ACTIVATED, S.RESPONDING),
        "lift": "lift" in powers and status == S.RECOVERED,
        "review": command and status == S.LIFTED,
        "archive": command and status == S.REVIEWED,
    }


@web_view
def incident(request, pk: int):
    me = actor(request)
    found = queries.incident(me, pk)
    if request.method == "POST":
        try:
            message = _run(me, found, request.POST, request.FILES)
            if message:
                messages.success(request, message)
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
        return redirect(reverse("emergency:incident", args=[found.pk]))
    offers = _offers(me, found)
    me_employee = access.employee_of(me.principal)
    tasks = queries.tasks(found)
    for task in tasks:
        task.may_tick = offers["tick"] or (
            me_employee is not None
            and task.assignee_id == me_employee.pk
            and found.status in (S.ACTIVATED, S.RESPONDING)
        )
    context = {
        "incident": found,
        "clock": _clock(found),
        "offers": offers,
        "tasks": tasks,
        "done_count": sum(1 for t in tasks if t.done_at),
        "resources_used": queries.resources_used(found),
        "changes": queries.changes(found),
        "notices": queries.notices(found),
        "timeline": queries.timeline(found),
        "photos": queries.photos(found),
        "may_add_photo": found.status != S.ARCHIVED
        and (
            queries.is_staff_of(me, found.unit)
            or access.record_in_scope(me, queries.COMMAND, unit=found.unit, owner_id=None)
        ),
        "levels": level_queries.levels_for(found.unit),
        "types": PlanType.choices,
        "change_kinds": ChangeKind.choices,
        "audiences": NoticeAudience.choices,
        "resources": queries.resources_of(found) if offers["respond"] else [],
        "people": queries.colleagues(found) if offers["tick"] or offers["archive"] else [],
        "state_url": reverse("emergency:incident_state", args=[found.pk]),
    }
    return render(request, "emergency/incident.html", context)


@web_view
def photo(request, pk: int, photo: int):
    """A photo of the scene, opened from its sealed file (SEC-1), audited (SEC-5); only for who sees the
    incident (404 otherwise)."""
    me = actor(request)
    found = queries.incident(me, pk)
    item = queries.photo(found, photo)
    actions.photo_viewed(me, item)
    response = FileResponse(sealed.open_stored(item.file), as_attachment=False, filename=item.name)
    response["Content-Type"] = item.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@web_view
def state(request, pk: int):
    """What the command-centre page polls: a token that changes when the page would (JSON)."""
    found = queries.incident(actor(request), pk)
    last = found.events.order_by("-at", "-pk").values_list("pk", flat=True).first()
    return JsonResponse(
        {
            "version": f"{found.status}:{last}:{found.alerts}:{found.acknowledged_at is not None}",
            "seconds_left": int((found.activate_by - clock.now()).total_seconds()),
        }
    )


def case_link(me, case) -> list[tuple[str, str, str]]:
    """EMG-5 on the case page: "升级为突发事件" for who handles the case (registered from apps.ready)."""
    if not access.may_write(me, "case.handle", unit=case.unit, owner_id=case.owner_id):
        return []
    return [
        ("raise-incident", _("Raise to an incident"), f"{reverse('emergency:incident_new')}?case={case.pk}")
    ]
