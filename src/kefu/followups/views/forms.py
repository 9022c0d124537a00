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


RATING_CHOICES = [
    ("satisfied", _("Satisfied")),
    ("neutral", _("Neutral")),
    ("unsatisfied", _("Not satisfied")),
]


class SurveyForm(forms.Form):
    """The questionnaire as a form: one row of three one-tap choices per rated item, then free text."""

    def __init__(self, *args, questionnaire, english: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rated = []
        for item in questionnaire.items:
            label = item["en"] if english else item["zh"]
            if item["kind"] == "rating":
                self.fields[f"r_{item['code']}"] = forms.ChoiceField(
                    label=label,
                    choices=RATING_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please tap one answer.")},
                )
                self.rated.append(item["code"])
            else:
                self.fields["words"] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )

    def ratings(self) -> dict:
        return {code: self.cleaned_data[f"r_{code}"] for code in self.rated}

    def words(self) -> str:
        return self.cleaned_data.get("words", "")


ROWS = 6


class QuestionnaireForm(forms.Form):
    """A new version of a questionnaire: up to ROWS items, each a code, its labels and its kind."""

    unit = forms.ChoiceField(label=_("For"))

    def __init__(self, *args, units=(), group: bool = False, current=None, **kwargs):
        items = list(current.items) if current is not None else []
        initial = kwargs.pop("initial", None) or {}
        for i, item in enumerate(items[:ROWS]):
            initial.update({f"code_{i}": item["code"], f"zh_{i}": item["zh"], f"en_{i}": item["en"]})
            initial[f"kind_{i}"] = item["kind"]
        super().__init__(*args, initial=initial, **kwargs)
        choices = [("group", _("Group default"))] if group else []
        self.fields["unit"].choices = choices + [(str(u.pk), u.name) for u in units]
        for i in range(ROWS):
            self.fields[f"code_{i}"] = forms.CharField(label=_("Item code"), required=False, max_length=30)
            self.fields[f"zh_{i}"] = forms.CharField(label=_("Chinese label"), required=False, max_length=100)
            self.fields[f"en_{i}"] = forms.CharField(label=_("English label"), required=False, max_length=100)
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=_("Item kind"),
                required=False,
                choices=[("rating", _("Satisfied / Neutral / Not satisfied")), ("text", _("Free text"))],
            )

    def rows(self):
        return [[self[f"code_{i}"], self[f"zh_{i}"], self[f"en_{i}"], self[f"kind_{i}"]] for i in range(ROWS)]

    def parsed(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "code": data[f"code_{i}"],
                "zh": data[f"zh_{i}"],
                "en": data[f"en_{i}"],
                "kind": data[f"kind_{i}"],
            }
            for i in range(ROWS)
            if data.get(f"code_{i}") or data.get(f"zh_{i}")
        ]


MONTH_CHOICES = [
    ("1", _("This month")),
    ("3", _("Last 3 months")),
    ("6", _("Last 6 months")),
    ("12", _("Last 12 months")),
]


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
    every_months = forms.TypedChoiceField(
        label=_("Repeat"),
        choices=[
            ("", _("Once")),
            ("1", _("Every month")),
            ("3", _("Every quarter")),
            ("6", _("Every half year")),
            ("12", _("Every year")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )

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
