"""The public pages (CASE-2), no login: the subsidiaries offering the form, the form, the thank-you
page that shows the reference number and the secret status link once, and the status page."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from kefu.cases.actions import public as actions_public
from kefu.cases.forms_public import MessageForm, PublicCaseForm, RatingForm
from kefu.cases.http.public import client_address
from kefu.cases.queries import public as public_queries
from kefu.core.errors import DomainError, NotFound
from kefu.web.support import apply_error


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
def status(request, number: str):
    secret = request.POST.get("s") or request.GET.get("s") or ""
    try:
        case = public_queries.find(number, secret)
    except NotFound:
        return render(request, "cases/public/not_found.html", status=404)
    message_form, rating_form, error = MessageForm(), RatingForm(), None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate":
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
    }
    failed = error is not None or message_form.errors or rating_form.errors
    response = render(request, "cases/public/status.html", context, status=400 if failed else 200)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"  # no-referrer would send "Origin: null" and fail CSRF
    return response
