"""Forms of the archive's care pages (SEC-4…SEC-9, CUS-6, CUS-8)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.customers.governance.models import AccessKind, IncidentKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class BorrowForm(forms.Form):
    customer = forms.IntegerField(label=_("Customer number"), min_value=1)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    due_at = forms.DateTimeField(label=_("Return by"), widget=DATETIME)


class AccessForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to consult"), choices=AccessKind.choices)
    purpose = forms.CharField(label=_("Purpose"), max_length=500)


class ExportForm(forms.Form):
    purpose = forms.CharField(label=_("Purpose"), max_length=500)
    external = forms.BooleanField(
        label=_("For use outside the company (only customers who consented are included)"), required=False
    )


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit the customers belong to"), queryset=None)
    file = forms.FileField(label=_("Excel file (.xlsx)"))

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
