"""QC小组 pages (QC-1): the groups I lead, belong to or oversee; a group with its topic registration
(综合部), PDCA stage, activities (《qc小组活动记录表》), the monthly check's flags and the leader's
explanation; forming a group."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.quality.actions import qcgroups as actions
from kefu.quality.models import ActivityKind, Registration, Stage
from kefu.quality.queries import qcgroups as queries
from kefu.web.support import actor, apply_error, attempt, web_view

CHECK = gettext_lazy("Please check the marked fields.")


class GroupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Group name"), max_length=100)
    unit = forms.ModelChoiceField(label=gettext_lazy("Owning department"), queryset=Unit.objects.none())
    leader = forms.ModelChoiceField(label=gettext_lazy("Group leader"), queryset=Employee.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Group members"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = access.scoped(Unit.objects.all(), actor, queries.MANAGE, unit_path="path").order_by("path")
        people = (
            access.scoped(Employee.objects.filter(status=EmploymentStatus.ACTIVE), actor, queries.MANAGE)
            .select_related("unit")
            .order_by("unit__path", "number")
        )
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = people
        self.fields["members"].queryset = people
        for name in ("leader", "members"):
            self.fields[name].label_from_instance = lambda e: (
                _("%(name)s (%(unit)s)") % {"name": e.name, "unit": e.unit.name}
            )


class ActivityForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Activity date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=gettext_lazy("Activity type"), choices=ActivityKind.choices)
    stage = forms.ChoiceField(label=gettext_lazy("PDCA stage"), choices=Stage.choices)
    minutes = forms.CharField(
        label=gettext_lazy("Activity minutes"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    result = forms.CharField(
        label=gettext_lazy("Activity results"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    attendees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Attendees"),
        queryset=Employee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = group.members.order_by("number")
        self.fields["attendees"].label_from_instance = lambda e: e.name
        self.initial.setdefault("day", clock.today())
        self.initial.setdefault("stage", group.stage)


class ExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=gettext_lazy("Explanation of the reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("PDCA stage"), choices=Stage.choices)


@web_view
def groups(request):
    me = actor(request)
    may_create = bool(access.write_grants(me, queries.MANAGE))
    form = GroupForm(request.POST or None, actor=me) if may_create else None
    context = {"rows": list(queries.groups(me)), "form": form}
    if request.method == "POST" and form is not None:
        if not form.is_valid():
            form.add_error(None, CHECK)
            return render(request, "quality/qcgroups.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "quality/qcgroups.html", context

        return attempt(
            request,
            lambda: actions.create_group(
                me,
                name=data["name"],
                unit=data["unit"],
                leader=data["leader"],
                members=list(data["members"]),
                topic=data["topic"],
            ),
            success=_(
                "The QC group was formed; submit its topic to the General Affairs Office for registration."
            ),
            then=lambda g: reverse("quality:qcgroup", args=[g.pk]),
            page=page,
        )
    return render(request, "quality/qcgroups.html", context)


@web_view
def group(request, pk: int):
    me = actor(request)
    found = queries.group(me, pk)
    what = request.POST.get("what", "") if request.method == "POST" else ""
    manage = queries.may_manage(me, found)
    leader = queries.leader_of(me, found)
    activity_form = ActivityForm(request.POST if what == "activity" else None, group=found)
    explanation_form = ExplanationForm(request.POST if what == "explain" else None)
    stage_form = StageForm(request.POST if what == "stage" else None, initial={"stage": found.stage})
    flags = queries.flags(found)
    context = {
        "group": found,
        "members": list(found.members.all()),
        "activities": queries.activities(found),
        "flags": flags,
        "open_flags": [f for f in flags if f.explained_at is None],
        "may_manage": manage,
        "is_leader": leader,
        "may_request": manage and found.registration == Registration.NONE,
        "may_register": found.registration == Registration.REQUESTED and queries.may_register(me, found),
        "registered": found.registration == Registration.REGISTERED,
        "activity_form": activity_form,
        "explanation_form": explanation_form,
        "stage_form": stage_form,
        "stages": Stage.choices,
    }
    if request.method != "POST":
        return render(request, "quality/qcgroup.html", context)
    here = reverse("quality:qcgroup", args=[found.pk])
    form = {"activity": activity_form, "explain": explanation_form, "stage": stage_form}.get(what)

    def page(error: DomainError):
        if form is not None:
            apply_error(form, error)
        else:
            context["error"] = error.message
        return "quality/qcgroup.html", context

    if what == "request":
        return attempt(
            request,
            lambda: actions.request_registration(me, found),
            success=_("The topic was submitted to the General Affairs Office for registration."),
            then=here,
            page=page,
        )
    if what == "register":
        return attempt(
            request,
            lambda: actions.register_topic(me, found),
            success=_("The topic was registered."),
            then=here,
            page=page,
        )
    if form is None or not form.is_valid():
        if form is not None:
            form.add_error(None, CHECK)
        return render(request, "quality/qcgroup.html", context, status=400)
    data = form.cleaned_data
    if what == "stage":
        run = lambda: actions.set_stage(me, found, data["stage"])  # noqa: E731
        success = _("The PDCA stage was updated.")
    elif what == "activity":

        def run():
            return actions.record_activity(
                me,
                found,
                day=data["day"],
                kind=data["kind"],
                stage=data["stage"],
                minutes=data["minutes"],
                result=data["result"],
                attendees=list(data["attendees"]),
            )

        success = _("The activity was recorded.")
    else:
        flag = queries.flag(me, request.POST.get("flag"))
        if flag.group_id != found.pk:
            flag = queries.flag(me, 0)
        run = lambda: actions.explain(me, flag, data["explanation"])  # noqa: E731
        success = _("The explanation was recorded and the reminder cleared.")
    return attempt(request, run, success=success, then=here, page=page)
