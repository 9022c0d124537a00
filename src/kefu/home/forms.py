"""Forms of the personal pages and the audit viewer."""

from datetime import datetime, time, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.core import actions as core_actions
from kefu.core import clock
from kefu.web.forms import BoundedDateField, DateInput


class TokenForm(forms.Form):
    """A new API token: a name and the last day it is valid — at most the pack's token lifetime (SEC-10)."""

    name = forms.CharField(label=_("Token name"), max_length=100)
    expires_on = BoundedDateField(label=_("Valid until (inclusive)"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lifetime = core_actions.token_lifetime()
        self.latest = clock.now() + lifetime.duration()
        text = lifetime.display()
        if lifetime.default_not_from_seeds:
            text = f"{text} {_('(default, not set by the source policies)')}"
        field = self.fields["expires_on"]
        field.help_text = _("Leave empty for the longest lifetime: %(lifetime)s.") % {"lifetime": text}
        field.widget.attrs["max"] = clock.local(self.latest).date().isoformat()

    def expires_at(self):
        """End of the chosen day in the site's time zone (Asia/Shanghai), on the last day the latest allowed."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=clock.zone())
        return min(end, self.latest) if day == clock.local(self.latest).date() else end


PICK = _("Type or pick from the list")


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor (username)"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "audit-actions", "placeholder": PICK}),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "audit-object-types", "placeholder": PICK}),
    )
    object_id = forms.CharField(label=_("Object ID"), required=False, max_length=64)
    date_from = BoundedDateField(label=_("From"), required=False, widget=DateInput())
    date_to = BoundedDateField(label=_("To"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "actor_name": data.get("actor") or "",
            "action": data.get("action") or "",
            "object_type": data.get("object_type") or "",
            "object_id": data.get("object_id") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
