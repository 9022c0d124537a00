"""Forms of the archive's care pages (SEC-4…SEC-9, CUS-6, CUS-8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.customers.governance.models import AccessKind, ImportExisting, IncidentKind
from kefu.customers.models import AudienceCategory, CustomerKind, LifecycleStage, Tier

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BorrowForm(forms.Form):
    customer = forms.IntegerField(label=_("Customer number"), min_value=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    due_at = forms.DateTimeField(label=_("Return by"), widget=DATETIME)


class AccessForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to consult"), choices=AccessKind.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)


def _hidden_choice(choices):
    return forms.ChoiceField(required=False, choices=[("", ""), *choices], widget=forms.HiddenInput)


class ExportForm(forms.Form):
    """What to export and why (SEC-5); the customer list's filters ride along as hidden fields, so the
    export holds the customers the list showed (issue 13)."""

    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    external = forms.BooleanField(
        label=_("For use outside the company (only customers who consented are included)"), required=False
    )
    q = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    tier = _hidden_choice(Tier.choices)
    audience = _hidden_choice(AudienceCategory.choices)
    stage = _hidden_choice(LifecycleStage.choices)
    kind = _hidden_choice(CustomerKind.choices)
    owner = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    at_risk = _hidden_choice([("1", "1"), ("0", "0")])

    FILTERS = ("q", "tier", "audience", "stage", "kind", "owner", "at_risk")

    def filters(self) -> dict:
        """The list's filters, as `queries.customers` takes them (call after is_valid)."""
        data = self.cleaned_data
        return {
            "q": data["q"].strip(),
            "tier": data["tier"],
            "audience": data["audience"],
            "stage": data["stage"],
            "kind": data["kind"],
            "owner_id": data["owner"],
            "at_risk": {"1": True, "0": False}.get(data["at_risk"]),
        }

    def shown_filters(self) -> list[tuple[str, str]]:
        """The filters in force, as (label, value) for the page (GET: from the list's query string)."""
        labels = {
            "q": _("Search"),
            "tier": _("Tier"),
            "audience": _("Audience"),
            "stage": _("Lifecycle stage"),
            "kind": _("Kind"),
            "owner": _("Owner"),
            "at_risk": _("At risk"),
        }
        shown = []
        for name in self.FILTERS:
            value = self[name].value()
            if value in (None, ""):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                value = dict(field.choices).get(value, value)
                if name == "at_risk":
                    value = _("Yes") if value == "1" else _("No")
            shown.append((labels[name], value))
        return shown


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit the customers belong to"), queryset=None)
    file = forms.FileField(label=_("Excel file (.xlsx)"))
    existing = forms.ChoiceField(
        label=_("Customers already in the archive (by number, phone or ID)"),
        choices=ImportExisting.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class DestructionForm(forms.Form):
    customer = forms.IntegerField(label=_("Customer number"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class IncidentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=IncidentKind.choices)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=DATETIME)
    person = forms.ModelChoiceField(label=_("Person responsible"), queryset=None)
    customers = forms.CharField(
        label=_("Customers affected (numbers, comma separated)"), required=False, max_length=500
    )
    description = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean_customers(self):
        text = self.cleaned_data["customers"].replace("，", ",")
        try:
            return [int(p) for p in text.split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError(_("Enter customer numbers separated by commas.")) from None


class MergeForm(forms.Form):
    survivor = forms.IntegerField(label=_("Keep customer number"), min_value=1)
    duplicate = forms.IntegerField(label=_("Merge customer number into it"), min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject"), ("return", "return")])
    reason = forms.CharField(required=False, max_length=500)
