"""应急组织 and 响应级别 pages (EMG-2, EMG-3): the bodies I may see with their role slots, holders,
deputies and who fills each slot now; forming a body from its template; binding a slot; a
subsidiary's response levels (the defaults Ⅰ–Ⅳ marked 本系统默认值)."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.errors import DomainError
from kefu.core.scopes import scope_q
from kefu.emergency import presets
from kefu.emergency.actions import bodies as actions
from kefu.emergency.actions import levels as level_actions
from kefu.emergency.models import BodyKind
from kefu.emergency.queries import bodies as queries
from kefu.emergency.queries import levels as level_queries
from kefu.emergency.queries import plans as plan_queries
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit, UnitKind
from kefu.web.support import actor, apply_error, attempt, web_view

CHECK = gettext_lazy("Please check the marked fields.")


def _people(me):
    return (
        access.scoped(Employee.objects.filter(status=EmploymentStatus.ACTIVE), me, queries.MANAGE)
        .select_related("unit")
        .order_by("unit__path", "number")
    )


class BodyForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Subsidiary or site"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=gettext_lazy("Kind of emergency body"), choices=BodyKind.choices)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.scoped(
            Unit.objects.filter(is_active=True), actor, queries.MANAGE, unit_path="path"
        ).order_by("path")


class BindForm(forms.Form):
    holder = forms.ModelChoiceField(
        label=gettext_lazy("Holder"), queryset=Employee.objects.none(), required=False
    )
    deputy = forms.ModelChoiceField(
        label=gettext_lazy("Deputy"), queryset=Employee.objects.none(), required=False
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = _people(actor)
        for name in ("holder", "deputy"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda e: f"{e.name}（{e.unit.name}）"


@web_view
def bodies(request):
    me = actor(request)
    may_create = bool(access.write_grants(me, queries.MANAGE))
    what = request.POST.get("what", "") if request.method == "POST" else ""
    body_form = BodyForm(request.POST if what == "body" else None, actor=me) if may_create else None
    bind_form = BindForm(request.POST if what == "bind" else None, actor=me) if may_create else None
    rows = list(queries.bodies(me)[:200])
    for body in rows:
        body.may_manage = queries.may_manage(me, body)
        body.slot_rows = [(slot, queries.holder_now(slot)) for slot in body.slots.all()]
    context = {
        "rows": rows,
        "body_form": body_form,
        "bind_form": bind_form,
        "templates": [
            (BodyKind(k).label, slots, source) for k, (_n, slots, source) in presets.BODY_TEMPLATES.items()
        ],
    }
    if request.method != "POST" or not may_create:
        return render(request, "emergency/bodies.html", context)
    form = {"body": body_form, "bind": bind_form}.get(what)
    here = reverse("emergency:bodies")
    if form is None or not form.is_valid():
        if form is not None:
            form.add_error(None, CHECK)
        return render(request, "emergency/bodies.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "emergency/bodies.html", context

    if what == "body":
        run = lambda: actions.create_body(me, unit=data["unit"], kind=data["kind"])  # noqa: E731
        success = _("The body was formed; bind a holder and a deputy to each slot.")
    else:
        slot = queries.slot(me, request.POST.get("slot"))
        run = lambda: actions.bind_slot(me, slot, holder=data["holder"], deputy=data["deputy"])  # noqa: E731
        success = _("The slot's holder and deputy were saved.")
    return attempt(request, run, success=success, then=here, page=page)


class LevelsForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Subsidiary"), queryset=Unit.objects.none())
    levels = forms.CharField(
        label=gettext_lazy("Levels"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("One level a line, most severe first: code | name | description"),
        max_length=4000,
    )

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.scoped(
            Unit.objects.filter(is_active=True, kind=UnitKind.SUBSIDIARY),
            actor,
            plan_queries.MANAGE,
            unit_path="path",
        ).order_by("path")


@web_view
def levels(request):
    me = actor(request)
    grants = [g for code in (*plan_queries.READERS, queries.MANAGE) for g in access.grants(me, code)]
    condition = scope_q(grants, unit_path="path", owner=None)
    if condition is None:
        access.require(me, queries.VIEW)
    units = list(Unit.objects.filter(condition, is_active=True, kind=UnitKind.SUBSIDIARY).order_by("path"))
    sections = [(unit, level_queries.levels_for(unit)) for unit in units]
    may_set = bool(access.write_grants(me, plan_queries.MANAGE))
    form = LevelsForm(request.POST or None, actor=me) if may_set else None
    context = {"sections": sections, "form": form}
    if request.method != "POST" or form is None:
        return render(request, "emergency/levels.html", context)
    if not form.is_valid():
        form.add_error(None, CHECK)
        return render(request, "emergency/levels.html", context, status=400)
    rows = []
    for line in form.cleaned_data["levels"].splitlines():
        parts = [p.strip() for p in line.split("|")]
        if any(parts):
            rows.append(
                {
                    "code": parts[0],
                    "name": parts[1] if len(parts) > 1 else "",
                    "description": parts[2] if len(parts) > 2 else "",
                }
            )

    def page(error: DomainError):
        apply_error(form, error)
        return "emergency/levels.html", context

    return attempt(
        request,
        lambda: level_actions.set_levels(me, form.cleaned_data["unit"], rows),
        success=_("The response levels were saved."),
        then=reverse("emergency:levels"),
        page=page,
    )
