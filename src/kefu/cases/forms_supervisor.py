"""Forms of the configuration pages (CASE-1, ROUTE-1). They only parse what was typed; the rules
(slug names, unique names, choices only for a choice field, members inside the subsidiary …) are the
actions' (`actions/config.py`), whose bilingual errors the page shows."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.cases.actions.config import FIELD_TYPES
from kefu.cases.models import Family, Office

CHOICE_SPLIT = re.compile(r"[,，、;；\n]+")
ROW_KEYS = ("field_name", "field_label", "field_type", "field_required", "field_choices")
BLANK_ROWS = 3  # empty rows offered under the kind's fields (more with the 添加一行 button)
TYPE_LABELS = {
    "text": _("Free text"),
    "number": _("Numeric"),
    "date": _("Date"),
    "choice": _("Choice"),
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
    unit = forms.TypedChoiceField(label=_("Subsidiary"), coerce=int, required=False)
    code = forms.CharField(
        label=_("Code"),
        max_length=50,
        required=False,
        help_text=_(
            "Lower-case letters, digits, _ or -. The code of a shipped kind replaces it for this subsidiary."
        ),
    )
    family = forms.ChoiceField(label=_("Behaves as"), choices=Family.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("English name"), max_length=100, required=False)
    ordering = forms.IntegerField(label=_("Order"), min_value=0, max_value=32767, initial=100)
    active = forms.BooleanField(label=_("Active (offered for new cases)"), required=False, initial=True)

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
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False)
    code = forms.CharField(label=_("Code"), max_length=50, required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    office = forms.ChoiceField(label=_("Office"), choices=Office.choices)
    families = forms.MultipleChoiceField(
        label=_("Families it takes"),
        choices=Family.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Members"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Active employees of the group's own subsidiary."),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, units=(), people=(), creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(p.pk, f"{p.name} · {p.unit.name}") for p in people]
        _unit_and_code(self, units, creating)
