"""Forms of the policy page: parse input; the rules (stricter only, effective dates) live in actions."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ValueForm(forms.Form):
    value = forms.DecimalField(label=_("New value"), max_digits=16, decimal_places=4)
    effective_from = forms.DateField(label=_("Effective from"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class OverrideForm(ValueForm):
    unit = forms.ModelChoiceField(label=_("Subsidiary"), queryset=None)

    field_order = ["unit", "value", "effective_from", "reason"]

    def __init__(self, *args, subsidiaries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = subsidiaries
