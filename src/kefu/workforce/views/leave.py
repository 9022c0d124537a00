"""休息报备 pages (LV-1…LV-5): my requests with the request form (what remains of the paid-rest quota
shown), one request with its approval steps and the approver's decision, and the team leave calendar
with who is unavailable now (rota + leave + the supervisor's override)."""

from datetime import date, timedelta

from django import forms
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.cases.queries import routing
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus
from kefu.web.support import actor, apply_error, attempt, denied, web_view
from kefu.workforce.actions import leave as actions
from kefu.workforce.models import LeaveKind
from kefu.workforce.queries import availability
from kefu.workforce.queries import leave as queries

CALENDAR_DAYS = 14


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=LeaveKind.choices)
    starts_on = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    half_day = forms.BooleanField(label=gettext_lazy("The last day is half a day"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)
    arrangement = forms.CharField(
        label=gettext_lazy("Work arrangement"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    substitute = forms.TypedChoiceField(
        label=gettext_lazy("Substitute"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].choices = [("", _("None (the team queue)"))] + [
            (p.pk, p.name) for p in people
        ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
            ("return", gettext_lazy("Return for changes")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)


def _colleagues(me):
    if me is None:
        return []
    return list(
        Employee.objects.filter(
            unit__path__startswith=routing.subsidiary_path(me.unit), status=EmploymentStatus.ACTIVE
        )
        .exclude(pk=me.pk)
        .order_by("unit__path", "number")[:200]
    )


@web_view
def mine(request):
    me = actor(request)
    employee = access.employee_of(me.principal)
    form = LeaveForm(request.POST or None, people=_colleagues(employee)) if employee else None
    context = {
        "form": form,
        "requests": list(queries.mine(me)),
        "quota": queries.quota(employee) if employee else None,
        "may_see_team": queries.may_see_team(me),
    }
    if request.method != "POST" or form is None:
        return render(request, "workforce/leave_mine.html", context)
    if not form.is_valid():
        form.add_error(None, _("Please check the marked fields."))
        return render(request, "workforce/leave_mine.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "workforce/leave_mine.html", context

    return attempt(
        request,
        lambda: actions.request(
            me,
            kind=data["kind"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            half_day=data["half_day"],
            reason=data["reason"],
            arrangement=data["arrangement"],
            substitute=data["substitute"],
        ),
        success=_("Your request was sent for approval."),
        then=lambda found: reverse("workforce:leave", args=[found.pk]),
        page=page,
    )


def _detail(me, found, form=None, error=None) -> dict:
    approval = queries.approval_of(found)
    pending = workflow.pending_approval(found)
    mine = (
        pending.steps.filter(status=workflow.StepStatus.PENDING, approvers=me.principal).first()
        if pending is not None and me.principal is not None
        else None
    )
    return {
        "leave": found,
        "steps": (
            list(approval.steps.order_by("index").select_related("decided_by").prefetch_related("approvers"))
            if approval
            else []
        ),
        "my_step": mine,
        "form": form or DecisionForm(),
        "error": error,
    }


@web_view
def detail(request, pk):
    me = actor(request)
    found = queries.request(me, pk)
    if request.method != "POST":
        return render(request, "workforce/leave.html", _detail(me, found))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "workforce/leave.html", _detail(me, found, form), status=400)
    data = form.cleaned_data
    return attempt(
        request,
        lambda: actions.decide(me, found, data["decision"], reason=data["reason"]),
        success=_("Your decision was recorded."),
        then=reverse("workforce:leave", args=[found.pk]),
        page=lambda error: ("workforce/leave.html", _detail(me, found, form, error)),
    )


MAX_CALENDAR_REACH = 3660  # days either side of today the team calendar may show


@web_view
def team(request):
    me = actor(request)
    if not queries.may_see_team(me):
        return denied(request)
    today = clock.today()
    try:
        start = date.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        start = today
    if abs((start - today).days) > MAX_CALENDAR_REACH:  # far past or future: no one plans that far
        start = today
    rows = queries.team_calendar(me, start, CALENDAR_DAYS)
    days = [start + timedelta(days=i) for i in range(CALENDAR_DAYS)]
    calendar = []
    for day in days:
        begin = queries.local_start(day)
        end = begin + timedelta(days=1)
        calendar.append((day, [r for r in rows if r.starts_at < end and r.ends_at > begin]))
    context = {
        "calendar": calendar,
        "now": availability.team(me),
        "previous": (start - timedelta(days=CALENDAR_DAYS)).isoformat(),
        "next": (start + timedelta(days=CALENDAR_DAYS)).isoformat(),
    }
    return render(request, "workforce/leave_team.html", context)


urlpatterns = [
    path("leave/", mine, name="leave_mine"),
    path("leave/team/", team, name="leave_team"),
    path("leave/<int:pk>/", detail, name="leave"),
]
