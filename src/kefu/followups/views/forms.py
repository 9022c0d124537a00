"""Forms of the revisit pages: the queue's filters and the attempt (《回访记录表》 line)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.followups.models import Outcome, RevisitAttempt


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


class QuestionnaireForm(forms.Form):
    """A new version of a questionnaire: one item per line, `code|中文|English|rating or text`."""

    unit = forms.ChoiceField(label=_("For"))
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line: code|Chinese label|English label|rating or text"),
    )

    def __init__(self, *args, units=(), group: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("group", _("Group default"))] if group else []
        self.fields["unit"].choices = choices + [(str(u.pk), u.name) for u in units]

    def parsed(self) -> list[dict]:
        rows = []
        for line in self.cleaned_data["items"].splitlines():
            if line.strip():
                parts = [p.strip() for p in line.split("|")] + ["", "", "", ""]
                rows.append({"code": parts[0], "zh": parts[1], "en": parts[2], "kind": parts[3]})
        return rows


def items_text(questionnaire) -> str:
    return "\n".join(f"{i['code']}|{i['zh']}|{i['en']}|{i['kind']}" for i in questionnaire.items)


MONTH_CHOICES = [
    ("1", _("This month")),
    ("3", _("Last 3 months")),
    ("6", _("Last 6 months")),
    ("12", _("Last 12 months")),
]
