"""制度 pages (DOC-1): the policies I may see — those waiting for my acknowledgement first — and the issue
form for a manager; a policy with the version in force (its text laid out for a phone), my
acknowledgement, the superseded versions, "who has read version N" for managers, and a new version."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.documents.actions import policies as actions
from kefu.documents.queries import common
from kefu.documents.queries import policies as queries
from kefu.engine.policy import api as policy_pack
from kefu.org import access
from kefu.org.models import Unit
from kefu.web.support import actor, apply_error, attempt, web_view

CHECK = gettext_lazy("Please check the marked fields.")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PolicyForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Issuing unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=gettext_lazy("Policy title"), max_length=200)
    effective_on = forms.DateField(label=gettext_lazy("Effective date"), widget=DATE)
    body = forms.CharField(
        label=gettext_lazy("Policy text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=actions.BODY_LIMIT,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = common.manage_units(actor)
        self.initial.setdefault("effective_on", clock.today())


class VersionForm(forms.Form):
    effective_on = forms.DateField(label=gettext_lazy("Effective date"), widget=DATE)
    body = forms.CharField(
        label=gettext_lazy("Policy text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=actions.BODY_LIMIT,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the text of the version in force."),
    )
    note = forms.CharField(label=gettext_lazy("What changed"), max_length=300, required=False)


def paragraphs(body: str) -> list[str]:
    """The text as paragraphs (one per line; empty lines dropped): each a block that wraps on a phone."""
    return [line for line in body.split("\n") if line.strip()]


@web_view
def policies(request):
    me = actor(request)
    form = PolicyForm(request.POST or None, actor=me) if access.write_grants(me, common.MANAGE) else None
    context = {
        "pending": queries.my_pending(me),
        "rows": queries.with_counts(list(queries.policies(me)[:500]), me),
        "form": form,
        "may_see_readers": queries.may_see_readers(me),
    }
    if request.method != "POST" or form is None:
        return render(request, "documents/policies.html", context)
    if not form.is_valid():
        form.add_error(None, CHECK)
        return render(request, "documents/policies.html", context, status=400)
    data = form.cleaned_data

    def page(error: DomainError):
        apply_error(form, error)
        return "documents/policies.html", context

    return attempt(
        request,
        lambda: actions.issue(
            me,
            unit=data["unit"],
            title=data["title"],
            body=data["body"],
            effective_on=data["effective_on"],
            note=data["note"],
        ),
        success=_("The policy was issued and distributed to the unit's staff."),
        then=lambda p: reverse("documents:policy", args=[p.pk]),
        page=page,
    )


@web_view
def policy(request, pk: int):
    me = actor(request)
    found = queries.policy(me, pk)
    version = queries.current(found)
    what = request.POST.get("what", "") if request.method == "POST" else ""
    manage = queries.may_manage(me, found)
    form = VersionForm(request.POST if what == "version" else None, initial={"effective_on": clock.today()})
    readers = queries.readers(me, version) if version else []
    context = {
        "policy": found,
        "version": version,
        "paragraphs": paragraphs(version.body) if version else [],
        "mine": queries.my_reading(me, version) if version else None,
        "versions": queries.versions(found),
        "readers": readers,
        "read_count": sum(1 for r in readers if r.acknowledged_at),
        "remind_every": policy_pack.lookup(actions.REMIND_EVERY).value,
        "may_manage": manage,
        "version_form": form,
    }
    if request.method != "POST":
        return render(request, "documents/policy.html", context)
    here = reverse("documents:policy", args=[found.pk])

    def page(error: DomainError):
        if what == "version":
            apply_error(form, error)
        else:
            context["error"] = error.message
        return "documents/policy.html", context

    if what == "ack" and version is not None:
        return attempt(
            request,
            lambda: actions.acknowledge(me, version),
            success=_("Your acknowledgement was recorded."),
            then=here,
            page=page,
        )
    if what != "version" or not form.is_valid():
        form.add_error(None, CHECK)
        return render(request, "documents/policy.html", context, status=400)
    data = form.cleaned_data
    return attempt(
        request,
        lambda: actions.new_version(
            me, found, effective_on=data["effective_on"], body=data["body"] or None, note=data["note"]
        ),
        success=_("The new version was issued; everyone acknowledges it again."),
        then=here,
        page=page,
    )
