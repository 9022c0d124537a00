"""Configuration pages (CASE-1, ROUTE-1): a subsidiary's own case kinds with their fields, and the
skill groups that take cases. The forms only parse what was typed; the rules (slug names, unique
names, choices only for a choice field, members inside the subsidiary …) are the actions'
(`actions/config.py`), whose bilingual errors the page shows."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _l

from kefu.cases.actions import config as actions_config
from kefu.cases.actions.config import FIELD_TYPES
from kefu.cases.models import Family, Office
from kefu.cases.queries import config as config_queries
from kefu.org import access
from kefu.web.support import actor, attempt, denied, web_view

CHOICE_SPLIT = re.compile(r"[,，、;；\n]+")


ROW_KEYS = ("field_name", "field_label", "field_type", "field_required", "field_choices")


BLANK_ROWS = 3  # empty rows offered under the kind's fields (more with the 添加一行 button)


TYPE_LABELS = {
    "text": _l("Free text"),
    "number": _l("Numeric"),
    "date": _l("Date"),
    "choice": _l("Choice"),
}


def _unit_and_code(form, units, creating: bool) -> None:
    """Unit and code are chosen when creating and fixed afterwards."""
    if creating:
        form.fields["unit"].choices = [(u.pk, u.name) for u in units]
        form.fields["unit"].required = True
        form.fields["code"].required = True
    else:
        del form.fields["unit"]
        del form.fields["code"]


class KindForm(forms.Form):
    unit = forms.TypedChoiceField(label=_l("Subsidiary"), coerce=int, required=False)
    code = forms.CharField(
        label=_l("Code"),
        max_length=50,
        required=False,
        help_text=_l(
            "Lower-case letters, digits, _ or -. The code of a shipped kind replaces it for this subsidiary."
        ),
    )
    family = forms.ChoiceField(label=_l("Behaves as"), choices=Family.choices)
    name = forms.CharField(label=_l("Name"), max_length=100)
    name_en = forms.CharField(label=_l("English name"), max_length=100, required=False)
    ordering = forms.IntegerField(label=_l("Order"), min_value=0, max_value=32767, initial=100)
    active = forms.BooleanField(label=_l("Active (offered for new cases)"), required=False, initial=True)

    def __init__(self, *args, units=(), creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        _unit_and_code(self, units, creating)


def field_rows(post) -> list[dict]:
    """The field editor's rows as typed (kept for re-rendering); wholly empty rows are dropped."""
    columns = [post.getlist(key) for key in ROW_KEYS]
    rows = []
    for index in range(max((len(c) for c in columns), default=0)):
        name, label, kind, required, choices = (c[index] if index < len(c) else "" for c in columns)
        if not (name.strip() or label.strip() or choices.strip()):
            continue
        rows.append(
            {
                "name": name.strip(),
                "label": label.strip(),
                "type": kind,
                "required": required,
                "choices": choices,
            }
        )
    return rows


def field_specs(rows: list[dict]) -> list[dict]:
    """Rows → the kind's field list for `actions.config` (choices split on 、 , ; or new lines)."""
    specs = []
    for row in rows:
        spec = {"name": row["name"], "label": row["label"], "type": row["type"] or "text"}
        spec["required"] = row["required"] == "yes"
        choices = [c.strip() for c in CHOICE_SPLIT.split(row["choices"] or "") if c.strip()]
        if choices:
            spec["choices"] = choices
        specs.append(spec)
    return specs


def rows_of(fields: list[dict]) -> list[dict]:
    """A kind's stored fields as editor rows."""
    return [
        {
            "name": f.get("name", ""),
            "label": f.get("label", ""),
            "type": f.get("type", "text"),
            "required": "yes" if f.get("required") else "",
            "choices": "、".join(f.get("choices") or []),
        }
        for f in fields or []
    ]


def editor_rows(rows: list[dict]) -> list[dict]:
    return [*rows, *({"type": "text"} for _ in range(BLANK_ROWS))]


def type_choices() -> list[tuple[str, str]]:
    return [(t, TYPE_LABELS[t]) for t in FIELD_TYPES]


class GroupForm(forms.Form):
    unit = forms.TypedChoiceField(label=_l("Unit"), coerce=int, required=False)
    code = forms.CharField(label=_l("Code"), max_length=50, required=False)
    name = forms.CharField(label=_l("Name"), max_length=100)
    office = forms.ChoiceField(label=_l("Office"), choices=Office.choices)
    families = forms.MultipleChoiceField(
        label=_l("Families it takes"),
        choices=Family.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.TypedMultipleChoiceField(
        label=_l("Members"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_l("Active employees of the group's own subsidiary."),
    )
    active = forms.BooleanField(label=_l("In use"), required=False, initial=True)

    def __init__(self, *args, units=(), people=(), creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(p.pk, f"{p.name} · {p.unit.name}") for p in people]
        _unit_and_code(self, units, creating)


@dataclass(frozen=True)
class _Saving:
    """What a configuration form does: create (with the chosen unit) or update, then where to go."""

    create: Callable
    update: Callable
    success: str
    then: str


KIND = _Saving(
    actions_config.create_kind, actions_config.update_kind, _l("Case kind saved."), "/cases/config/kinds/"
)


GROUP = _Saving(
    actions_config.create_group,
    actions_config.update_group,
    _l("Skill group saved."),
    "/cases/config/groups/",
)


def _configurer(request):
    me = actor(request)
    return me if access.can(me, "case.configure") else None


def _form_page(request, me, form, page, saving: _Saving, obj=None, extra=None):
    """GET: the form; POST: carry out create/update, re-rendering `page(error)` with the input kept."""
    if request.method != "POST":
        template, context = page(None)
        return render(request, template, context)
    if not form.is_valid():
        template, context = page(None)
        return render(request, template, context, status=400)
    values = {**form.cleaned_data, **(extra or {})}

    def run():
        if obj is None:
            unit = config_queries.configurable_unit(me, values.pop("unit"))
            return saving.create(me, unit=unit, **values)
        return saving.update(me, obj, **values)

    return attempt(request, run, success=str(saving.success), then=saving.then, page=page)


@web_view
def kinds(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    rows = list(config_queries.kinds(me))
    context = {
        "shipped": [k for k in rows if k.unit_id is None],
        "shipped_codes": {k.code for k in rows if k.unit_id is None},
        "own": [k for k in rows if k.unit_id is not None],
        "may_create": config_queries.configurable_units(me, subsidiaries=True).exists(),
    }
    return render(request, "cases/config_kinds.html", context)


def _kind_page(request, me, kind=None):
    units = config_queries.configurable_units(me, subsidiaries=True)
    initial = None
    if kind is not None:
        initial = {k: getattr(kind, k) for k in ("family", "name", "name_en", "ordering", "active")}
    posted = request.method == "POST"
    form = KindForm(request.POST if posted else None, initial=initial, units=units, creating=kind is None)
    rows = field_rows(request.POST) if posted else rows_of(kind.fields if kind else [])

    def page(error):
        context = {
            "form": form,
            "rows": editor_rows(rows),
            "types": type_choices(),
            "kind": kind,
            "error": error,
        }
        return "cases/config_kind.html", context

    return _form_page(request, me, form, page, KIND, kind, {"fields": field_specs(rows)})


@web_view
def kind_new(request):
    me = _configurer(request)
    return denied(request) if me is None else _kind_page(request, me)


@web_view
def kind_edit(request, pk: int):
    me = _configurer(request)
    if me is None:
        return denied(request)
    kind = config_queries.kind(me, pk)
    if kind.unit_id is None:
        return denied(request)
    return _kind_page(request, me, kind)


@web_view
def groups(request):
    me = _configurer(request)
    if me is None:
        return denied(request)
    context = {
        "groups": list(config_queries.groups(me)),
        "may_create": config_queries.configurable_units(me).exists(),
    }
    return render(request, "cases/config_groups.html", context)


def _group_page(request, me, group=None):
    initial = None
    if group is not None:
        initial = {k: getattr(group, k) for k in ("name", "office", "families", "active")}
        initial["members"] = [p.pk for p in group.members.all()]
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        units=config_queries.configurable_units(me),
        people=config_queries.eligible_members(me),
        creating=group is None,
    )

    def page(error):
        return "cases/config_group.html", {"form": form, "group": group, "error": error}

    return _form_page(request, me, form, page, GROUP, group)


@web_view
def group_new(request):
    me = _configurer(request)
    return denied(request) if me is None else _group_page(request, me)


@web_view
def group_edit(request, pk: int):
    me = _configurer(request)
    if me is None:
        return denied(request)
    return _group_page(request, me, config_queries.group(me, pk))


urlpatterns = [
    path("cases/config/kinds/", kinds, name="config_kinds"),
    path("cases/config/kinds/new/", kind_new, name="config_kind_new"),
    path("cases/config/kinds/<int:pk>/", kind_edit, name="config_kind"),
    path("cases/config/groups/", groups, name="config_groups"),
    path("cases/config/groups/new/", group_new, name="config_group_new"),
    path("cases/config/groups/<int:pk>/", group_edit, name="config_group"),
]
