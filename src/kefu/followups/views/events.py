"""客户关怀 pages, cultural-exchange events (CARE-3): the events with the planning form and the months
flagged without one; an event's page with its invitations, answers and attendance; and the public
answer page a customer opens from their own link (no login)."""

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.customers.models import AudienceCategory, Tier
from kefu.followups.actions import events as actions
from kefu.followups.models import EventState, Rsvp
from kefu.followups.queries import care
from kefu.followups.queries import events as queries
from kefu.web.support import actor, apply_error, attempt, denied, web_view


class EventForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Subsidiary"), coerce=int)
    title = forms.CharField(label=gettext_lazy("Event"), max_length=200)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    starts_on = forms.DateField(
        label=gettext_lazy("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("Usually a Saturday: the event lasts the days the policy sets."),
    )

    tiers = forms.MultipleChoiceField(
        label=gettext_lazy("Customer tiers (none ticked: all)"),
        choices=Tier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Customer categories (none ticked: all)"),
        choices=AudienceCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


@web_view
def events(request):
    me = actor(request)
    if not care.reach(me):
        return denied(request)
    units = care.subsidiaries(me)
    form = EventForm(request.POST or None, units=units) if units else None
    context = {"events": list(queries.events(me)[:200]), "gaps": list(queries.gaps(me)[:24]), "form": form}
    if request.method == "POST" and form is not None:
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "followups/care_events.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/care_events.html", context

        return attempt(
            request,
            lambda: actions.plan(
                me,
                care.subsidiary(me, data["unit"]),
                title=data["title"],
                place=data["place"],
                starts_on=data["starts_on"],
                audience={"tiers": data["tiers"], "audiences": data["audiences"]},
            ),
            success=_("The event was planned."),
            then=lambda found: reverse("followups:care_event", args=[found.pk]),
            page=page,
        )
    return render(request, "followups/care_events.html", context)


def _context(me, found, error=None) -> dict:
    may_manage = care.may(me, care.MANAGE, found.unit) and found.state != EventState.CANCELLED
    return {
        "event": found,
        "invitations": list(queries.invitations(found)[:500]),
        "may_invite": may_manage and found.ends_on >= clock.today(),
        "may_record": may_manage,
        "begun": found.starts_on <= clock.today(),
        "error": error,
    }


@web_view
def event(request, pk):
    me = actor(request)
    found = queries.event(me, pk)
    if request.method != "POST":
        return render(request, "followups/care_event.html", _context(me, found))
    here = reverse("followups:care_event", args=[found.pk])
    refused = lambda error: ("followups/care_event.html", _context(me, found, error))  # noqa: E731
    what = request.POST.get("do", "")
    if what == "invite":
        return attempt(
            request,
            lambda: actions.invite(me, found),
            success=_("The customers were invited."),
            then=here,
            page=refused,
        )
    if what == "cancel":
        return attempt(
            request,
            lambda: actions.cancel(me, found),
            success=_("The event was cancelled."),
            then=here,
            page=refused,
        )
    if what in ("yes", "no", "came", "absent"):
        invitation = queries.invitation(me, request.POST.get("invitation", ""))
        if invitation.event_id != found.pk:
            return redirect(here)
        if what in ("yes", "no"):
            run = lambda: actions.record(me, invitation, rsvp=what)  # noqa: E731
        else:
            run = lambda: actions.record(me, invitation, attended=what == "came")  # noqa: E731
        return attempt(request, run, success=_("Saved."), then=here, page=refused)
    return redirect(here)


def rsvp(request, token):
    """The customer's answer page (no login): their invitation, and two buttons."""
    invitation = actions.invitation_of_token(token)
    if invitation is None:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            invitation = actions.answer(invitation, request.POST.get("rsvp", ""))
        except DomainError as failure:
            error = failure
        else:
            return redirect(request.path + "?answered=1")
    context = {
        "invitation": invitation,
        "event": invitation.event,
        "error": error,
        "answered": request.GET.get("answered") == "1",
        "yes": Rsvp.YES,
        "no": Rsvp.NO,
    }
    return render(request, "followups/care_rsvp.html", context, status=400 if error else 200)
