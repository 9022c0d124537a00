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
