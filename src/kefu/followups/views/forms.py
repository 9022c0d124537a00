"""Forms of the revisit pages: the queue's filters, the attempt (《回访记录表》 line), the plans, the
campaigns and the month report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.customers.models import AudienceCategory, Tier
from kefu.followups.models import Outcome, RevisitAttempt, Trigger


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Revisit state"),
        required=False,
        choices=[("open", _("To revisit")), ("ended", _("Ended")), ("all", _("All"))],
    )
    view = forms.ChoiceField(
        label=_("Whose"), required=False, choices=[("mine", _("Mine")), ("all", _("All in my scope"))]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "state": data.get("state") or "open",
            "mine": (data.get("view") or "mine") == "mine",
            "overdue": bool(data.get("overdue")),
        }


class AttemptForm(forms.Form):
    at = forms.DateTimeField(
        label=_("Revisit time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=_("Leave empty for now."),
    )
    method = forms.ChoiceField(label=_("Revisit method"), choices=RevisitAttempt.Method.choices)
    outcome = forms.ChoiceField(label=_("Revisit outcome"), choices=Outcome.choices)
    third_party = forms.BooleanField(label=_("Spoke with somebody other than the customer"), required=False)
    words = forms.CharField(
        label=_("Customer's words"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    follow_up = forms.ChoiceField(
        label=_("If not satisfied"),
        choices=[("reopen", _("Reopen the case")), ("new_case", _("Open a linked follow-up case"))],
        required=False,
    )


class CampaignForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Subsidiary"), queryset=None, empty_label=None)
    name = forms.CharField(label=_("Campaign name"), max_length=100)
    starts_on = forms.DateField(label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Ends on"), widget=forms.DateInput(attrs={"type": "date"}))
    tiers = forms.MultipleChoiceField(
        label=_("Customer tiers"), choices=Tier.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    audiences = forms.MultipleChoiceField(
        label=_("Audience categories"),
        choices=AudienceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    closed_within_days = forms.IntegerField(
        label=_("Only customers with a case closed within (days)"),
        required=False,
        min_value=1,
        max_value=3660,
    )
    sample_percent = forms.IntegerField(label=_("Sample (%)"), required=False, min_value=1, max_value=100)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def rule(self) -> dict:
        data = self.cleaned_data
        return {
            key: data[key]
            for key in ("tiers", "audiences", "closed_within_days", "sample_percent")
            if data.get(key) not in (None, "", [])
        }


class MonthForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Subsidiary"), queryset=None, empty_label=None)
    month = forms.CharField(
        label=_("Month"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}), required=False
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_month(self):
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return year, month


class PlanForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Subsidiary"), queryset=None, empty_label=None)
    trigger = forms.ChoiceField(label=_("Revisit plan"), choices=Trigger.choices)
    kinds = forms.MultipleChoiceField(
        label=_("Case kinds revisited after resolution"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tier = forms.ChoiceField(
        label=_("Customer tier (periodic)"), choices=[("", "—"), *Tier.choices], required=False
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, units=(), kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["kinds"].choices = kinds
