"""The notification settings on the profile page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kefu.engine.notifications import channels
from kefu.engine.notifications.models import Language


class PreferenceForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of my notifications"), choices=Language.choices)
    email_enabled = forms.BooleanField(label=_("Also send my notifications by e-mail"), required=False)
    sms_enabled = forms.BooleanField(
        label=_("Also send my notifications as text messages to my mobile"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if channels.get("sms") is None:  # no text gateway here: nothing to choose
            del self.fields["sms_enabled"]
