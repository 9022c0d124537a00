"""回访 pages (FUP-1, FUP-2): the revisit queue of a 回访专员 (due first, overdue red, filters) and a
task's page with its script, its 《回访记录表》 lines and the attempt form."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.followups.actions import attempts as attempt_actions
from kefu.followups.queries import surveys as survey_queries
from kefu.followups.queries import tasks as queries
from kefu.followups.views.campaigns import revisit_nav
from kefu.followups.views.forms import AttemptForm, QueueFilterForm, SurveyForm
from kefu.followups.views.surveys import english
from kefu.org import access
from kefu.web.support import CappedPaginator, actor, apply_error, attempt, denied, remaining_text, web_view

PER_PAGE = 30


def _mark(task, now):
    task.overdue = task.state == "open" and task.due_at < now
    left = task.due_at - now if task.state == "open" else None
    task.left_text = remaining_text(abs(left)) if left is not None else ""
    task.who = task.case.contact_name if task.case_id else (task.customer.name if task.customer_id else "")
    task.waiting_window = queries.waiting_for(task, now)
    return task


@web_view
def queue(request):
    """回访队列: the caller's open revisits, the earliest due first; overdue ones in red."""
    me = actor(request)
    if not access.can(me, "revisit.handle"):
        return denied(request)
    employee = access.employee_of(me.principal)
    form = QueueFilterForm(request.GET or None)
    found = queries.tasks(me, employee=employee, **form.filters())
    page = CappedPaginator(found, PER_PAGE).get_page(request.GET.get("page"))
    now = clock.now()
    rows = [_mark(t, now) for t in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode(), **revisit_nav(me)}
    template = (
        "followups/_queue_rows.html"
        if request.headers.get("HX-Request") == "true"
        else "followups/queue.html"
    )
    return render(request, template, context)


def _task_context(me, task, form) -> dict:
    return {
        "task": _mark(task, clock.now()),
        "attempts": queries.attempts(task),
        "script": queries.script(me, task),
        "form": form,
        "may_record": task.state == "open"
        and access.may_write(me, "revisit.handle", unit=task.unit, owner_id=task.assignee_id),
        "window": (task.customer or (task.case.customer if task.case_id else None)),
        "survey_form": SurveyForm(questionnaire=_questionnaire(task), english=english())
        if task.case_id
        else None,
        "survey_answers": survey_queries.answers_of_case(task.case_id),
        "may_survey": task.case_id is not None
        and access.may_write(me, "revisit.handle", unit=task.unit, owner_id=task.assignee_id),
    }


def _questionnaire(task):
    """CSAT-1: the questionnaire of the case's survey, else the one in force for its unit."""
    existing = survey_queries.of_case(task.case)
    return existing.questionnaire if existing else survey_queries.current_questionnaire(task.case.unit)


@web_view
def detail(request, pk):
    me = actor(request)
    task = queries.task(me, pk)
    form = AttemptForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "followups/task.html", _task_context(me, task, form), status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/task.html", _task_context(me, task, form)

        return attempt(
            request,
            lambda: attempt_actions.record(
                me,
                task,
                outcome=data["outcome"],
                at=data["at"],
                method=data["method"],
                third_party=data["third_party"],
                words=data["words"],
                follow_up=data["follow_up"] or "reopen",
            ),
            success=_("The revisit was recorded."),
            then=reverse("followups:task", args=[task.pk]),
            page=page,
        )
    return render(request, "followups/task.html", _task_context(me, task, form))
