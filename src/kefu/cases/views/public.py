"""The public pages (CASE-2), no login: /service/ lists the subsidiaries offering the form,
/service/<code>/ is the form, then the thank-you page that shows the reference number and the secret
status link once, and /service/status/<number>/?s=<secret> the status page. A customer who lost the
link finds the case at /service/status/ with its number and the phone given (issue 13).

Cheap bot protection without an outside captcha: a honeypot field people never see, and a signed
timestamp of when the form was shown — a form sent back faster than a person can fill it is
refused. The signed token also carries the idempotency key, so sending the same form twice (a
double click, a reload) never makes two cases.
"""

import secrets

from django import forms
from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from kefu.cases.actions import public as actions_public
from kefu.cases.actions.blocks import TITLE_MAX
from kefu.cases.actions.public import DESCRIPTION_MAX, EMAIL_MAX, NAME_MAX, PHONE_MAX
from kefu.cases.http.public import client_address
from kefu.cases.queries import public as public_queries
from kefu.core import clock
from kefu.core.errors import DomainError, NotFound
from kefu.followups.actions import surveys as survey_actions
from kefu.followups.queries import surveys as survey_queries
from kefu.followups.views.forms import SurveyForm
from kefu.followups.views.surveys import english
from kefu.web.support import apply_error

SALT = "kefu.cases.public_form"


def form_token() -> str:
    """When the form was shown (kefu's clock) and the key that makes its submission idempotent."""
    return signing.dumps({"t": clock.now().timestamp(), "k": secrets.token_urlsafe(16)}, salt=SALT)


class PublicCaseForm(forms.Form):
    kind = forms.ChoiceField(label=_l("What is it about?"), widget=forms.RadioSelect)
    title = forms.CharField(label=_l("Subject"), max_length=TITLE_MAX)
    description = forms.CharField(
        label=_l("Details"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(label=_l("Your name"), max_length=NAME_MAX)
    phone = forms.CharField(
        label=_l("Mobile phone"),
        required=False,
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_l("E-mail"),
        required=False,
        max_length=EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # never shown to people (hidden by the stylesheet, skipped by keyboard and screen readers)
    website = forms.CharField(
        label=_l("Leave this field empty"),
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
            raise forms.ValidationError(_l("The form has expired; please send it again.")) from None
        if clock.now().timestamp() - shown < settings.KEFU_PUBLIC_MIN_FILL_SECONDS:
            raise forms.ValidationError(_l("That was very fast; please check your entry and send it again."))
        self.idempotency_key = key
        return self.cleaned_data["token"]

    def clean(self):
        data = super().clean()
        if data.get("website"):
            raise forms.ValidationError(_l("Your submission could not be accepted."))
        if "token" in self.errors:
            # a new token, so the person can simply send again after checking their entry
            self.data = self.data.copy()
            self.data["token"] = form_token()
            token_error = self.errors.pop("token")
            if not self.errors:  # else the fields' own errors say what to fix; "too fast" would mislead
                raise forms.ValidationError(token_error)
        if not data.get("phone") and not data.get("email") and "email" not in self.errors:
            self.add_error("phone", _l("Leave a mobile phone number or an e-mail address."))
        return data

    def contact(self) -> dict:
        data = self.cleaned_data
        return {"name": data["name"], "phone": data["phone"], "email": data["email"]}


class LookupForm(forms.Form):
    number = forms.CharField(
        label=_l("Reference number"),
        max_length=public_queries.NUMBER_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "KF-20260101-000001"}),
    )
    phone = forms.CharField(
        label=_l("Mobile phone you gave"),
        max_length=PHONE_MAX,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_l("Add a message"), max_length=DESCRIPTION_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )


class RatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_l("Are you satisfied with our answer?"),
        choices=[("yes", _l("Yes, satisfied")), ("no", _l("No, not satisfied"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_l("What is not right? (needed when not satisfied)"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _unit_or_404(code: str):
    try:
        return public_queries.subsidiary(code)
    except NotFound:
        raise Http404 from None


def _refused(request, error: DomainError, template: str, context: dict):
    """A rate limit answers 429 with both languages; other domain errors show on the form (400)."""
    if error.status == 429:
        return render(request, "cases/public/limited.html", {"error": error}, status=429)
    apply_error(context["form"], error)
    return render(request, template, context, status=400)


def index(request):
    return render(request, "cases/public/index.html", {"units": public_queries.subsidiaries()})


@require_http_methods(["GET", "POST"])
def submit(request, code: str):
    unit = _unit_or_404(code)
    kinds = public_queries.kinds_offered(unit)
    form = PublicCaseForm(request.POST or None, kinds=kinds)
    context = {"unit": unit, "form": form}
    if request.method != "POST":
        return render(request, "cases/public/form.html", context)
    if not form.is_valid():
        return render(request, "cases/public/form.html", context, status=400)
    data = form.cleaned_data
    try:
        done = actions_public.submit(
            unit=unit,
            kind=data["kind"],
            title=data["title"],
            description=data["description"],
            contact=form.contact(),
            ip=client_address(request),
            channel="web",
            idempotency_key=form.idempotency_key,
        )
    except DomainError as error:
        return _refused(request, error, "cases/public/form.html", context)
    status_url = request.build_absolute_uri(public_queries.status_path(done.case, done.secret))
    response = render(
        request, "cases/public/thanks.html", {"unit": unit, "case": done.case, "status_url": status_url}
    )
    response["Cache-Control"] = "no-store"  # the secret link is shown once and kept nowhere
    response["Referrer-Policy"] = "same-origin"  # no-referrer would send "Origin: null" and fail CSRF
    return response


@require_http_methods(["GET", "POST"])
def lookup(request):
    """The lost link (issue 13): the case number and the phone given when reporting open the status
    page with a new link; any mismatch gets the same neutral answer; attempts are rate-limited."""
    form = LookupForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            found = actions_public.lookup(
                number=data["number"], phone=data["phone"], ip=client_address(request)
            )
        except DomainError as error:
            return _refused(request, error, "cases/public/lookup.html", context)
        response = redirect(public_queries.status_path(found.case, found.secret))
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        return response
    status = 400 if form.is_bound else 200
    return render(request, "cases/public/lookup.html", context, status=status)


@require_http_methods(["GET", "POST"])
def status(request, number: str):
    secret = request.POST.get("s") or request.GET.get("s") or ""
    try:
        case = public_queries.find(number, secret)
    except NotFound:
        return render(request, "cases/public/not_found.html", status=404)
    message_form, rating_form, error = MessageForm(), RatingForm(), None
    survey = survey_queries.of_case(case)  # CSAT-1: once the case closed, its survey is answered here too
    survey_form = SurveyForm(questionnaire=survey.questionnaire, english=english()) if survey else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "survey" and survey is not None:
                survey_form = SurveyForm(request.POST, questionnaire=survey.questionnaire, english=english())
                if survey_form.is_valid():
                    survey_actions.answer_on_status_page(
                        case,
                        ratings=survey_form.ratings(),
                        words=survey_form.words(),
                        ip=client_address(request),
                    )
                    return redirect(public_queries.status_path(case, secret) + "#survey")
            elif action == "rate":
                rating_form = RatingForm(request.POST)
                if rating_form.is_valid():
                    data = rating_form.cleaned_data
                    actions_public.rate(case, satisfied=data["satisfied"], reason=data["reason"])
                    return redirect(public_queries.status_path(case, secret))
            else:
                message_form = MessageForm(request.POST)
                if message_form.is_valid():
                    actions_public.customer_message(case, message_form.cleaned_data["body"])
                    return redirect(public_queries.status_path(case, secret))
        except DomainError as exc:
            error = exc
    context = {
        "case": case,
        "secret": secret,
        "state_zh": public_queries.STATE_TEXT[case.state][0],
        "state_en": public_queries.STATE_TEXT[case.state][1],
        "expected": public_queries.expected_times(case),
        "messages_": public_queries.messages(case),
        "may_rate": public_queries.may_rate(case),
        "may_write": case.state not in ("closed", "archived"),
        "message_form": message_form,
        "rating_form": rating_form,
        "error": error,
        "survey": survey,
        "survey_form": survey_form,
        "survey_answer": survey_queries.current_answer(survey) if survey else None,
    }
    failed = (
        error is not None
        or message_form.errors
        or rating_form.errors
        or (survey_form is not None and survey_form.errors)
    )
    response = render(request, "cases/public/status.html", context, status=400 if failed else 200)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # no-referrer would send "Origin: null" and fail CSRF
    return response


urlpatterns = [
    path("service/", index, name="public_index"),
    path("service/status/", lookup, name="public_lookup"),
    path("service/status/<str:number>/", status, name="public_status"),
    path("service/<slug:code>/", submit, name="public_form"),
]
