"""Forms of the organisation pages. They parse and validate input; the rules live in actions."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kefu.org.models import EmploymentStatus, EmploymentType, Scope, SiteKind, UnitKind
from kefu.org.permissions import CATALOGUE

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def permission_label(code: str) -> str:
    perm = CATALOGUE.get(code)
    if perm is None:
        return code
    english = (translation.get_language() or "").startswith("en")
    return perm.en if english else perm.zh


def permission_choices(codes=None) -> list[tuple[str, str]]:
    wanted = CATALOGUE if codes is None else [c for c in CATALOGUE if c in set(codes)]
    return [(code, permission_label(code)) for code in wanted]


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown as an indented tree (ORG-1)."""

    def label_from_instance(self, obj):
        return "\u3000" * obj.depth + obj.name


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.number} · {obj.unit.name}）"


class EmployeeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.number} · {obj.unit.name}）"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    """<input type="datetime-local">; Django reads the naive value in the site's zone (Asia/Shanghai)."""

    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def datetime_local_field(label):
    return forms.DateTimeField(
        label=label, widget=DateTimeLocalInput(), input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"]
    )


class UnitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.SlugField(label=_("Code"), max_length=50, help_text=_("Letters, digits and hyphens."))
    parent = UnitChoiceField(label=_("Parent unit"), queryset=None, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)

    def __init__(self, *args, units, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = units
        if editing:
            del self.fields["kind"]  # the kind fixes the place in the tree; it is chosen once
        else:
            del self.fields["is_active"]


class SiteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Name, number or username"), "type": "search"}),
    )
    unit = UnitChoiceField(label=_("Unit and below"), queryset=None, required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *EmploymentStatus.choices]
    )
    post = forms.ModelChoiceField(label=_("Post"), queryset=None, required=False, empty_label=_("All"))

    def __init__(self, *args, units, posts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("All")
        self.fields["post"].queryset = posts

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "q": data.get("q") or "",
            "unit_id": data["unit"].pk if data.get("unit") else None,
            "status": data.get("status") or "",
            "post_id": data["post"].pk if data.get("post") else None,
        }


class EmployeeForm(forms.Form):
    username = forms.CharField(
        label=_("Username"), max_length=150, help_text=_("Personal account; never shared.")
    )
    name = forms.CharField(label=_("Full name"), max_length=50)
    number = forms.CharField(label=_("Employee number"), max_length=30)
    unit = UnitChoiceField(label=_("Unit"), queryset=None)
    post = forms.ModelChoiceField(label=_("Post"), queryset=None)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    employment_type = forms.ChoiceField(label=_("Employment type"), choices=EmploymentType.choices)
    confirmed_on = forms.DateField(label=_("Confirmed on (转正)"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=EmploymentStatus.choices)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    supervisors = EmployeeMultipleChoiceField(label=_("Supervisors"), queryset=None, required=False)
    roles = forms.ModelMultipleChoiceField(
        label=_("Roles"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once."),
    )

    def __init__(self, *args, units, posts, sites, colleagues, roles, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["post"].queryset = posts
        self.fields["site"].queryset = sites
        self.fields["supervisors"].queryset = colleagues
        if roles is None:
            del self.fields["roles"]  # the user may not assign roles
        else:
            self.fields["roles"].queryset = roles
        if editing:
            del self.fields["username"]
            del self.fields["password"]
            self.fields["phone"].help_text = _("Leave empty to keep the current number.")
        else:
            del self.fields["status"]


class PasswordResetForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Leave empty to generate one; it is shown once."),
    )


class RoleForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=50)
    name = forms.CharField(label=_("Name"), max_length=50)
    description = forms.CharField(label=_("Description"), max_length=255, required=False)
    scope = forms.ChoiceField(label=_("Data scope"), choices=Scope.choices)
    supervisory_only = forms.BooleanField(
        label=_("Supervisory only"),
        required=False,
        help_text=_("May view and comment, never act or approve (ORG-4)."),
    )
    permissions = forms.MultipleChoiceField(
        label=_("Permissions"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["permissions"].choices = permission_choices()


class DelegationForm(forms.Form):
    delegator = EmployeeChoiceField(label=_("Delegator"), queryset=None)
    delegate = EmployeeChoiceField(label=_("Delegate (acts for the delegator)"), queryset=None)
    permissions = forms.MultipleChoiceField(
        label=_("Permissions delegated"), widget=forms.CheckboxSelectMultiple
    )
    starts_at = datetime_local_field(_("Starts at"))
    ends_at = datetime_local_field(_("Ends at"))
    reason = forms.CharField(label=_("Reason"), max_length=255, widget=forms.TextInput())

    def __init__(self, *args, delegators, delegates, held, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegator"].queryset = delegators
        self.fields["delegate"].queryset = delegates
        self.fields["permissions"].choices = permission_choices(held)
