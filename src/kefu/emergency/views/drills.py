"""应急演练 pages (DRL-1): the drill list (plans still due a drill this year at the top, then the drills coming
up, those held and to evaluate (待评估), the evaluated ones) with the scheduling form; a drill's page with its
forms (reschedule, cancel, record held with participants and step timings, evaluate, corrective actions);
the annual execution summary with its PDF and Excel."""

from datetime import time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import DomainError, Invalid
from kefu.emergency.actions import drills as actions
from kefu.emergency.exports import drills as exports
from kefu.emergency.models import DrillGrade, DrillStatus, StepResult
from kefu.emergency.queries import drills as queries
from kefu.emergency.queries import plans as plan_queries
from kefu.org import access
from kefu.web import printing
from kefu.web.support import actor, web_view


def _require_reader(me) -> None:
    if not any(access.can(me, code) for code in queries.READERS):
        access.require(me, queries.VIEW)


def _time(value) -> time | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise Invalid(
            "drill_steps", "步骤时间格式不正确（例如 09:30）", "A step time is not a time", {"steps": "time"}
        ) from None


@web_view
def drills(request):
    me = actor(request)
    _require_reader(me)
    if request.method == "POST":
        try:
            drill = actions.schedule(
                me,
                plan_queries.plan(me, request.POST.get("plan")),
                scheduled_for=request.POST.get("scheduled_for", ""),
                scenario=request.POST.get("scenario", ""),
                place=request.POST.get("place", ""),
                organiser=plan_queries.employee_named(request.POST.get("organiser"), "organiser"),
            )
            messages.success(request, _("The drill is scheduled."))
            return redirect(reverse("emergency:drill", args=[drill.pk]))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
            return redirect(reverse("emergency:drills"))
    plans = queries.plan_choices(me)
    context = {
        "due": queries.due_plans(me),
        **queries.grouped(me),
        "year": clock.today().year,
        "plans": plans,
        "people": queries.people_for(plans),
        "me_id": getattr(access.employee_of(me.principal), "pk", None),
    }
    return render(request, "emergency/drills.html", context)


def _held(request, me, found) -> None:
    held_at = actions._moment(request.POST.get("held_at", ""), "held_at", "实施时间")
    day = clock.local(held_at).date()
    people = {}
    for value in request.POST.getlist("absent"):
        people[value] = False
    for value in request.POST.getlist("attended"):
        people[value] = True
    participants = [(plan_queries.employee_named(pk, "participants"), flag) for pk, flag in people.items()]
    steps = []
    for step in found.version.steps.order_by("position"):
        p = step.position
        start, finish = _time(request.POST.get(f"start_{p}")), _time(request.POST.get(f"finish_{p}"))
        result, note = request.POST.get(f"result_{p}", ""), request.POST.get(f"note_{p}", "")
        if start or finish or result or note.strip():
            steps.append(
                actions.StepTiming(
                    p, actions.combine(day, start), actions.combine(day, finish), None, result, note
                )
            )
    actions.record_held(
        me,
        found,
        held_at=held_at,
        summary=request.POST.get("summary", ""),
        participants=participants,
        steps=steps,
    )


@web_view
def drill(request, pk: int):
    me = actor(request)
    found = queries.drill(me, pk)
    if request.method == "POST":
        form = request.POST.get("form", "")
        try:
            if form == "reschedule":
                actions.reschedule(
                    me,
                    found,
                    scheduled_for=request.POST.get("scheduled_for", ""),
                    place=request.POST.get("place"),
                )
                messages.success(request, _("The drill is rescheduled."))
            elif form == "cancel":
                actions.cancel(me, found, reason=request.POST.get("reason", ""))
                messages.success(request, _("The drill is cancelled."))
            elif form == "held":
                _held(request, me, found)
                messages.success(request, _("The drill is recorded as held. Please evaluate it."))
            elif form == "evaluate":
                actions.evaluate(
                    me,
                    found,
                    score=request.POST.get("score", ""),
                    grade=request.POST.get("grade", ""),
                    evaluation=request.POST.get("evaluation", ""),
                )
                messages.success(request, _("The evaluation is saved."))
            elif form == "action":
                actions.add_action(
                    me,
                    found,
                    text=request.POST.get("text", ""),
                    owner=plan_queries.employee_named(request.POST.get("owner"), "owner"),
                    due_on=request.POST.get("due_on", ""),
                    revise_plan=request.POST.get("revise_plan") == "1",
                )
                messages.success(request, _("The corrective action is added."))
            elif form == "close":
                row = queries.action(me, request.POST.get("action"))
                if row.drill_id != found.pk:
                    raise Invalid("drill_action_other", "整改措施不属于此演练", "Not this drill's action", {})
                actions.close_action(me, row, note=request.POST.get("note", ""))
                messages.success(request, _("The corrective action is closed."))
            else:
                raise Invalid("drill_form", "未知的操作", "Unknown form", {"form": "unknown"})
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        return redirect(reverse("emergency:drill", args=[found.pk]))
    manage = queries.may_manage(me, found.unit)
    context = {
        "drill": found,
        **queries.detail(found),
        "may_manage": manage,
        "people": queries.people_of(found.unit) if manage else [],
        "grades": DrillGrade.choices,
        "results": StepResult.choices,
        "S": DrillStatus,
        "now": clock.local(),
        "today": clock.today(),
    }
    return render(request, "emergency/drill.html", context)


def _summary(request):
    me = actor(request)
    _require_reader(me)
    try:
        year = queries.year_named(request.GET.get("year"))
    except Invalid:
        year = clock.today().year
    return queries.summary(queries.summary_unit(me, request.GET.get("unit")), year), me


@web_view
def summary(request):
    found, me = _summary(request)
    context = {
        "found": found,
        "totals": exports.totals(found),
        "units": queries.summary_units(me),
        "years": list(range(clock.today().year, clock.today().year - 6, -1)),
    }
    return render(request, "emergency/drill_summary.html", context)


@web_view
def summary_pdf(request):
    found, _me = _summary(request)
    response = HttpResponse(exports.summary_pdf(found), content_type=printing.PDF)
    response["Content-Disposition"] = f'inline; filename="drills-{found.year}.pdf"'
    return response


@web_view
def summary_xlsx(request):
    found, _me = _summary(request)
    response = HttpResponse(exports.summary_workbook(found), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="drills-{found.year}.xlsx"'
    return response
