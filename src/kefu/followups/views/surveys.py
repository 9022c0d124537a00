"""Survey pages (CSAT-1): the public survey at /survey/<token>/ (no login, one-handed on a phone:
three big one-tap answers per item, then words), the phone survey recorded from a revisit task's
page, and the questionnaire page for whoever configures cases."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.cases.http.public import client_address
from kefu.core.errors import DomainError
from kefu.followups.actions import surveys as actions
from kefu.followups.queries import surveys as queries
from kefu.followups.queries import tasks as task_queries
from kefu.followups.views.forms import QuestionnaireForm, SurveyForm
from kefu.org import access
from kefu.org.models import Scope
from kefu.web.support import actor, apply_error, denied, web_view

CONFIGURE = "revisit.configure"


def english() -> bool:
    return (translation.get_language() or "").lower().startswith("en")


def _public(response):
    response["Cache-Control"] = "no-store"  # the token is the customer's secret
    response["Referrer-Policy"] = "same-origin"
    return response


def _gone(request, error: DomainError):
    if error.status == 429:
        return _public(render(request, "cases/public/limited.html", {"error": error}, status=429))
    return _public(render(request, "followups/survey_gone.html", {"error": error}, status=error.status))


@require_http_methods(["GET", "POST"])
def survey(request, token: str):
    """The customer's survey page; a second answer replaces the first (both kept)."""
    try:
        found = queries.of_token(token)
    except DomainError as error:
        return _gone(request, error)
    form = SurveyForm(request.POST or None, questionnaire=found.questionnaire, english=english())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                answer = actions.answer_by_token(
                    token=token, ratings=form.ratings(), words=form.words(), ip=client_address(request)
                )
            except DomainError as error:
                if error.status in (404, 410, 429):
                    return _gone(request, error)
                apply_error(form, error)
                status = error.status
            else:
                return _public(
                    render(request, "followups/survey_thanks.html", {"answer": answer, "case": found.case})
                )
        else:
            status = 400
    context = {"survey": found, "form": form, "answered": queries.current_answer(found)}
    return _public(render(request, "followups/survey.html", context, status=status))


@web_view
@require_http_methods(["POST"])
def phone(request, pk):
    """A phone survey recorded from the revisit task page (source: phone, by: the caller)."""
    me = actor(request)
    task = task_queries.task(me, pk)
    if task.case_id is None:
        return redirect("followups:task", pk=task.pk)
    survey_questionnaire = queries.current_questionnaire(task.case.unit)
    existing = queries.of_case(task.case)
    form = SurveyForm(
        request.POST, questionnaire=existing.questionnaire if existing else survey_questionnaire
    )
    if form.is_valid():
        try:
            actions.by_phone(me, task, ratings=form.ratings(), words=form.words())
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("The phone survey was recorded."))
    else:
        messages.error(request, _("Please tap one answer for every item."))
    return redirect(reverse("followups:task", args=[task.pk]) + "#phone-survey")


@web_view
@require_http_methods(["GET", "POST"])
def questionnaires(request):
    """The questionnaires: the group default and each subsidiary's, a new version per change."""
    me = actor(request)
    if not access.can(me, CONFIGURE):
        return denied(request)
    group = access.widest_scope(me, CONFIGURE) == Scope.GROUP
    units = queries.configurable_units(me)
    current = queries.questionnaires(me)
    form = QuestionnaireForm(
        request.POST or None, units=units, group=group, current=current[0] if current else None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            unit_key = form.cleaned_data["unit"]
            unit = None if unit_key == "group" else next(u for u in units if str(u.pk) == unit_key)
            try:
                row = actions.configure(me, unit, form.parsed())
            except DomainError as error:
                if error.status in (403, 404):
                    raise
                apply_error(form, error)
                status = error.status
            else:
                messages.success(
                    request, _("Questionnaire version %(version)s saved.") % {"version": row.version}
                )
                return redirect("followups:questionnaires")
        else:
            status = 400
    context = {"rows": current, "form": form, "english": english()}
    return render(request, "followups/survey_questionnaires.html", context, status=status)
