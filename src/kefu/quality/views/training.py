"""培训考核 pages (TRN-1): my courses and exams (take an exam, scored on the server; retake after
failing), whether I am still in onboarding ("培训考核未通过，暂不分派工单"); for HR and the manager the
courses, the results per person, training sessions, enrolment and the onboarding of new agents."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kefu.core.errors import DomainError
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.quality.actions import training as actions
from kefu.quality.queries import training as queries
from kefu.web.support import actor, apply_error, attempt, web_view

CHECK = gettext_lazy("Please check the marked fields.")
GATE = gettext_lazy("Training exams not yet passed: no cases are assigned")


def _people(me):
    return (
        access.scoped(Employee.objects.filter(status=EmploymentStatus.ACTIVE), me, queries.MANAGE)
        .select_related("unit")
        .order_by("unit__path", "number")
    )


class CourseForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Course title"), max_length=200)
    unit = forms.ModelChoiceField(label=gettext_lazy("Owning unit"), queryset=Unit.objects.none())
    required_for_new = forms.BooleanField(
        label=gettext_lazy("Required of new agents (they start work after passing its exam)"), required=False
    )
    materials = forms.CharField(
        label=gettext_lazy("Training materials"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.scoped(
            Unit.objects.all(), actor, queries.MANAGE, unit_path="path"
        ).order_by("path")


class PersonForm(forms.Form):
    employee = forms.ModelChoiceField(
        label=pgettext_lazy("training", "Person"), queryset=Employee.objects.none()
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = _people(actor)
        self.fields["employee"].label_from_instance = lambda e: (
            _("%(name)s (%(unit)s)") % {"name": e.name, "unit": e.unit.name}
        )


class SessionForm(forms.Form):
    """TRN-1: a training session of a course — when it starts (not in the past) and where."""

    starts_at = forms.DateTimeField(
        label=gettext_lazy("Starts at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=100, required=False)


@web_view
def training(request):
    me = actor(request)
    employee = access.employee_of(me.principal)
    manager = bool(access.write_grants(me, queries.MANAGE))
    what = request.POST.get("what", "") if request.method == "POST" else ""
    course_form = CourseForm(request.POST if what == "course" else None, actor=me) if manager else None
    onboarding_form = PersonForm(request.POST if what == "onboard" else None, actor=me) if manager else None
    context = {
        "employee": employee,
        "onboarding": queries.in_onboarding(employee) if employee else None,
        "gate": GATE,
        "enrolments": queries.my_enrolments(employee) if employee else [],
        "courses": list(queries.courses(me)) if queries.may_read_results(me) else [],
        "onboardings": list(queries.onboardings(me)),
        "course_form": course_form,
        "onboarding_form": onboarding_form,
    }
    if request.method != "POST":
        return render(request, "quality/training.html", context)
    form = {"course": course_form, "onboard": onboarding_form}.get(what)
    if form is None or not form.is_valid():
        if form is not None:
            form.add_error(None, CHECK)
        return render(request, "quality/training.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "quality/training.html", context

    if what == "course":
        return attempt(
            request,
            lambda: actions.create_course(
                me,
                title=data["title"],
                unit=data["unit"],
                required_for_new=data["required_for_new"],
                materials=data["materials"],
            ),
            success=_("The course was created; now set its exam."),
            then=lambda c: reverse("quality:course", args=[c.pk]),
            page=page,
        )
    return attempt(
        request,
        lambda: actions.start_onboarding(me, data["employee"]),
        success=_("Onboarding arranged: no cases are assigned until the exams are passed."),
        then=reverse("quality:training"),
        page=page,
    )


@web_view
def course(request, pk: int):
    me = actor(request)
    found = queries.course(me, pk)
    employee = access.employee_of(me.principal)
    exam = queries.exam_of(found)
    enrolment = queries.enrolment(found, employee)
    manager = queries.may_manage(me, found)
    what = request.POST.get("what", "") if request.method == "POST" else ""
    enrol_form = PersonForm(request.POST if what == "enrol" else None, actor=me) if manager else None
    session_form = SessionForm(request.POST if what == "session" else None) if manager else None
    questions = list(exam.questions.all()) if exam else []
    results = queries.results(me, found)
    attempts = queries.attempts_by_person(found) if results else {}
    for row in results:
        row.attempts = attempts.get(row.employee_id, [])
        row.best = max((a.score for a in row.attempts), default=None)
    context = {
        "course": found,
        "exam": exam,
        "questions": questions,
        "enrolment": enrolment,
        "may_take": exam is not None and enrolment is not None and enrolment.passed_at is None and questions,
        "my_attempts": queries.my_attempts(employee, exam) if employee and exam else [],
        "sessions": list(queries.sessions(found)),
        "results": results,
        "enrol_form": enrol_form,
        "session_form": session_form,
        "chosen": {},
    }
    if request.method != "POST":
        return render(request, "quality/course.html", context)
    here = reverse("quality:course", args=[found.pk])
    if what == "take" and exam is not None:
        answers = {str(q.pk): request.POST.get(f"q{q.pk}", "") for q in questions}
        context["chosen"] = answers

        try:
            result = actions.submit_attempt(me, exam, answers)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            context["error"] = error.message
            return render(request, "quality/course.html", context, status=error.status)
        verdict = _("passed") if result.passed else _("not passed, you may retake it")
        messages.success(
            request,
            _("Score %(score)s (pass mark %(mark)s): %(verdict)s.")
            % {"score": result.score, "mark": exam.pass_score, "verdict": verdict},
        )
        return redirect(here)
    form = session_form if what == "session" else enrol_form
    if form is None or not form.is_valid():
        if form is not None:
            form.add_error(None, CHECK)
        return render(request, "quality/course.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "quality/course.html", context

    if form is session_form:
        return attempt(
            request,
            lambda: actions.add_session(me, found, starts_at=data["starts_at"], place=data["place"]),
            success=_("The training session was added."),
            then=here,
            page=page,
        )
    return attempt(
        request,
        lambda: actions.enrol(me, found, data["employee"]),
        success=_("Enrolled."),
        then=here,
        page=page,
    )
