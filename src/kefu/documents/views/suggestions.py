"""合理化建议 pages (DOC-1): my suggestions and those of the units I oversee, the form any staff member
uses; one suggestion with the review (accept, or decline with a reason) and the implementation forms."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core.errors import DomainError
from kefu.documents.actions import suggestions as actions
from kefu.documents.models import SuggestionStatus
from kefu.documents.queries import suggestions as queries
from kefu.documents.views.policies import CHECK
from kefu.web.support import actor, apply_error, attempt, web_view


class SuggestionForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Suggestion title"), max_length=200)
    body = forms.CharField(
        label=gettext_lazy("Your suggestion"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("accept", gettext_lazy("Accept")), ("decline", gettext_lazy("Decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
        help_text=gettext_lazy("Required when declining."),
    )


class ImplementForm(forms.Form):
    implementation = forms.CharField(
        label=gettext_lazy("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


@web_view
def suggestions(request):
    me = actor(request)
    form = SuggestionForm(request.POST or None)
    context = {"rows": list(queries.suggestions(me)[:200]), "form": form}
    if request.method != "POST":
        return render(request, "documents/suggestions.html", context)
    if not form.is_valid():
        form.add_error(None, CHECK)
        return render(request, "documents/suggestions.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "documents/suggestions.html", context

    return attempt(
        request,
        lambda: actions.submit(me, title=data["title"], body=data["body"]),
        success=_("Thank you: your suggestion was sent for review."),
        then=lambda s: reverse("documents:suggestion", args=[s.pk]),
        page=page,
    )


@web_view
def suggestion(request, pk: int):
    me = actor(request)
    found = queries.suggestion(me, pk)
    what = request.POST.get("what", "") if request.method == "POST" else ""
    review = ReviewForm(request.POST if what == "review" else None)
    implement = ImplementForm(request.POST if what == "implement" else None)
    manage = queries.may_review(me, found)
    context = {
        "suggestion": found,
        "may_review": manage and found.status == SuggestionStatus.SUBMITTED,
        "may_implement": manage and found.status == SuggestionStatus.ACCEPTED,
        "review_form": review,
        "implement_form": implement,
    }
    if request.method != "POST":
        return render(request, "documents/suggestion.html", context)
    form = {"review": review, "implement": implement}.get(what)
    if form is None or not form.is_valid():
        if form is not None:
            form.add_error(None, CHECK)
        return render(request, "documents/suggestion.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "documents/suggestion.html", context

    if what == "review":
        run = lambda: actions.review(  # noqa: E731
            me, found, accept=data["decision"] == "accept", reason=data["reason"]
        )
    else:
        run = lambda: actions.implement(me, found, implementation=data["implementation"])  # noqa: E731
    return attempt(
        request,
        run,
        success=_("The suggestion was updated and its author told."),
        then=reverse("documents:suggestion", args=[found.pk]),
        page=page,
    )
