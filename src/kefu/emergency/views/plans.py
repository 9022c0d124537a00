"""应急预案 pages (EMG-1, EMG-3, EMG-6): the plans I may see with their acknowledgement counts; a plan
with its staff runbook card, checklist steps, powers, the confidential full text (only for the roles the
version names; each read audited), my acknowledgement, versions, revision tasks and a new version; the
template picker."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.emergency import presets
from kefu.emergency.actions import plans as actions
from kefu.emergency.models import Confidentiality, PlanType, Power, RevisionReason
from kefu.emergency.queries import plans as queries
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit
from kefu.web.support import actor, apply_error, attempt, web_view

CHECK = gettext_lazy("Please check the marked fields.")


def _units(me):
    return access.scoped(Unit.objects.filter(is_active=True), me, queries.MANAGE, unit_path="path").order_by(
        "path"
    )


class TemplateForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Subsidiary or site"), queryset=Unit.objects.none())
    plan_type = forms.ChoiceField(label=gettext_lazy("Plan type"), choices=PlanType.choices)
    effective_on = forms.DateField(
        label=gettext_lazy("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units(actor)
        self.initial.setdefault("effective_on", clock.today())


class VersionForm(forms.Form):
    effective_on = forms.DateField(
        label=gettext_lazy("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confidentiality = forms.ChoiceField(
        label=gettext_lazy("Confidentiality level"), choices=Confidentiality.choices
    )
    runbook = forms.CharField(
        label=gettext_lazy("Staff runbook card"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    full_text = forms.CharField(
        label=gettext_lazy("Full text (confidential)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the current version's full text."),
    )
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=300, required=False)
    revision = forms.TypedChoiceField(
        label=gettext_lazy("Answers the revision task"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, open_tasks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revision"].choices = [("", "—")] + [(t.pk, t.description[:40]) for t in open_tasks]


class RevisionForm(forms.Form):
    description = forms.CharField(
        label=gettext_lazy("What to revise"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000
    )
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=RevisionReason.choices)
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Employee.objects.none())
    due_on = forms.DateField(
        label=gettext_lazy("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, unit=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = (policy.subsidiary_of(unit) or unit).path
        self.fields["owner"].queryset = (
            Employee.objects.filter(status=EmploymentStatus.ACTIVE, unit__path__startswith=path)
            .select_related("unit")
            .order_by("unit__path", "number")
        )
        self.fields["owner"].label_from_instance = lambda e: f"{e.name}（{e.unit.name}）"


@web_view
def plans(request):
    me = actor(request)
    rows = queries.with_counts(list(queries.plans(me)[:500]))
    context = {
        "rows": rows,
        "may_create": bool(access.write_grants(me, queries.MANAGE)),
        "may_see_bodies": any(access.can(me, code) for code in (*queries.READERS, "emergency.body.manage")),
    }
    return render(request, "emergency/plans.html", context)


@web_view
def templates(request):
    me = actor(request)
    may_create = bool(access.write_grants(me, queries.MANAGE))
    form = (
        TemplateForm(request.POST or None, actor=me, initial={"plan_type": request.GET.get("type", "")})
        if may_create
        else None
    )
    shipped = [
        {"key": key, "type_name": PlanType(key).label, "title": title, "runbook": runbook, "steps": steps}
        for key, (title, runbook, steps) in presets.PLAN_TEMPLATES.items()
    ]
    context = {"templates": shipped, "form": form}
    if request.method == "POST" and form is not None:
        if not form.is_valid():
            form.add_error(None, CHECK)
            return render(request, "emergency/templates.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "emergency/templates.html", context

        return attempt(
            request,
            lambda: actions.create_from_template(
                me, unit=data["unit"], plan_type=data["plan_type"], effective_on=data["effective_on"]
            ),
            success=_("The plan was created from the template and distributed to the unit's staff."),
            then=lambda p: reverse("emergency:plan", args=[p.pk]),
            page=page,
        )
    return render(request, "emergency/templates.html", context)


@web_view
def plan(request, pk: int):
    me = actor(request)
    found = queries.plan(me, pk)
    version = queries.current(found)
    what = request.POST.get("what", "") if request.method == "POST" else ""
    manage = queries.may_manage(me, found)
    revisions = queries.revisions(found)
    open_tasks = [t for t in revisions if t.done_at is None]
    initial = {}
    if version is not None:
        initial = {
            "effective_on": clock.today(),
            "confidentiality": version.confidentiality,
            "runbook": version.runbook,
        }
    version_form = VersionForm(
        request.POST if what == "version" else None, open_tasks=open_tasks, initial=initial
    )
    revision_form = RevisionForm(request.POST if what == "revision" else None, unit=found.unit)
    mine = queries.my_distribution(me, version) if version else None
    may_read = bool(version) and queries.may_read_full(me, version)
    full_text = None
    if what == "read" and version is not None:
        full_text = queries.full_text(me, version, purpose="页面：查阅应急预案全文 / plan page")
    powers = []
    if version is not None:
        for value, label in Power.choices:
            keys = (version.powers or {}).get(value, [])
            powers.append((label, [presets.slot_label(k) for k in keys]))
    steps = list(version.steps.all()) if version else []
    for step in steps:
        step.slot_label = presets.slot_label(step.slot)
    context = {
        "plan": found,
        "version": version,
        "steps": steps,
        "powers": powers,
        "versions": queries.versions(found),
        "mine": mine,
        "may_read": may_read,
        "full_text": full_text,
        "may_manage": manage,
        "revisions": revisions,
        "version_form": version_form,
        "revision_form": revision_form,
        "acknowledgements": queries.acknowledgements(version) if (manage and version) else [],
    }
    if request.method != "POST" or what == "read":
        return render(request, "emergency/plan.html", context)
    here = reverse("emergency:plan", args=[found.pk])

    def page(error: DomainError):
        form = {"version": version_form, "revision": revision_form}.get(what)
        if form is not None:
            apply_error(form, error)
        else:
            context["error"] = error.message
        return "emergency/plan.html", context

    if what == "ack" and version is not None:
        return attempt(
            request,
            lambda: actions.acknowledge(me, version),
            success=_("Your acknowledgement was recorded."),
            then=here,
            page=page,
        )
    form = {"version": version_form, "revision": revision_form}.get(what)
    if form is None or not form.is_valid():
        if form is not None:
            form.add_error(None, CHECK)
        return render(request, "emergency/plan.html", context, status=400)
    data = form.cleaned_data
    if what == "revision":
        run = lambda: actions.create_revision(  # noqa: E731
            me,
            found,
            description=data["description"],
            owner=data["owner"],
            due_on=data["due_on"],
            reason=data["reason"],
        )
        success = _("The revision task was opened and its owner told.")
    else:
        task = next((t for t in open_tasks if t.pk == data["revision"]), None)
        run = lambda: actions.new_version(  # noqa: E731
            me,
            found,
            effective_on=data["effective_on"],
            confidentiality=data["confidentiality"],
            runbook=data["runbook"],
            full_text=data["full_text"] or None,
            note=data["note"],
            revision=task,
        )
        success = _("The new version was issued and distributed; everyone acknowledges it again.")
    return attempt(request, run, success=success, then=here, page=page)
