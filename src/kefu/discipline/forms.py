"""Forms of the discipline ledger (DIS-1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core.http_support import INT_MAX
from kefu.discipline.catalogue import CATALOGUE, FREE_MEASURES
from kefu.discipline.models import Measure, ProposalStatus


def offence_choices():
    return [(o.code, f"{o.name_zh}（{o.rule}）") for o in CATALOGUE.values()]


def penalty_choices():
    """The offences HR records a penalty for by hand (a reward comes from the appraisal, APR-1)."""
    return [(o.code, f"{o.name_zh}（{o.rule}）") for o in CATALOGUE.values() if o.kind == "penalty"]


class ProposalForm(forms.Form):
    """HR records a proposal by hand; the ladder computes the measure unless the offence has none."""

    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    offence = forms.ChoiceField(label=_("Offence"), choices=penalty_choices)
    measure = forms.ChoiceField(
        label=_("Measure (only for an offence without a ladder)"),
        required=False,
        choices=[("", "—"), *[(m, Measure(m).label) for m in FREE_MEASURES]],
    )
    quantity = forms.IntegerField(
        label=_("Customers concerned (per-customer fine)"), min_value=1, max_value=1000, initial=1
    )
    evidence = forms.CharField(label=_("Evidence"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees
        self.fields["employee"].label_from_instance = lambda e: f"{e.name}（{e.number} · {e.unit.name}）"


class FilterForm(forms.Form):
    """The ledger's filters (GET); invalid values are ignored rather than refused."""

    status = forms.ChoiceField(required=False, choices=[("", "—"), *ProposalStatus.choices])
    offence = forms.ChoiceField(required=False, choices=lambda: [("", "—"), *offence_choices()])
    employee = forms.IntegerField(required=False, min_value=1, max_value=INT_MAX)  # a database key
