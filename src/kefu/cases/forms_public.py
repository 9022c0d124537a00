"""Forms of the public intake pages (CASE-2). Cheap bot protection without an outside captcha: a
honeypot field people never see, and a signed timestamp of when the form was shown — a form sent back
faster than a person can fill it is refused. The signed token also carries the idempotency key, so
sending the same form twice (a double click, a reload) never makes two cases."""

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from kefu.cases.actions.blocks import TITLE_MAX
from kefu.cases.actions.public import DESCRIPTION_MAX, EMAIL_MAX, NAME_MAX, PHONE_MAX
from kefu.core import clock

SALT = "kefu.cases.public_form"


def form_token() -> str:
    """When the form was shown (kefu's clock) and the key that makes its submission idempotent."""
    return signing.dumps({"t": clock.now().timestamp(), "k": secrets.token_urlsafe(16)}, salt=SALT)


class PublicCaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("What is it about?"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Subject"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(label=_("Your name"), max_length=NAME_MAX)
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # never shown to people (hidden by the stylesheet, skipped by keyboard and screen readers)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.name) for k in kinds]
        if not self.is_bound:
            self.initial.setdefault("token", form_token())
            if kinds:
                self.initial.setdefault("kind", kinds[0].code)

    def clean_token(self):
        try:
            data = signing.loads(self.cleaned_data["token"], salt=SALT)
            shown = float(data["t"])
            key = str(data["k"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            raise forms.ValidationError(_("The form has expired; please send it again.")) from None
        if clock.now().timestamp() - shown < settings.KEFU_PUBLIC_MIN_FILL_SECONDS:
            raise forms.ValidationError(_("That was very fast; please check your entry and send it again."))
        self.idempotency_key = key
        return self.cleaned_data["token"]

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_("Your submission could not be accepted."))
        if "token" in self.errors:
            # a new token, so the person can simply send again after checking their entry
            self.data = self.data.copy()
            self.data["token"] = form_token()
            raise forms.ValidationError(self.errors.pop("token"))
        if not data.get("phone") and not data.get("email") and "email" not in self.errors:
            self.add_error("phone", _("Leave a mobile phone number or an e-mail address."))
        return data

    def contact(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "phone": data["phone"], "email": data["email"]}


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Add a message"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with our answer?"),
        choices=[("yes", _("Yes, satisfied")), ("no", _("No, not satisfied"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("What is not right? (needed when not satisfied)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
