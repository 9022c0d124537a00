"""客户关怀 pages, greetings (CARE-1): the campaigns of the subsidiaries the caller serves with the
planning form, and a campaign's page — its counts (planned / sent / delivered / failed / late), its
greetings (the phone masked) and, for calls and visits, the caller's list."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.customers.models import AudienceCategory, Tier
from kefu.customers.queries.masks import masked_phone
from kefu.followups.actions import greetings as actions
from kefu.followups.models import DeliveryState, GreetingChannel, GreetingState, Occasion
from kefu.followups.queries import care
from kefu.followups.queries import greetings as queries
from kefu.web.support import CappedPaginator, actor, apply_error, attempt, denied, web_view

PER_PAGE = 50


class CampaignForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Subsidiary"), coerce=int)
    occasion = forms.ChoiceField(label=gettext_lazy("Occasion"), choices=Occasion.choices)
    year = forms.IntegerField(label=gettext_lazy("Year"))
    channel = forms.ChoiceField(label=gettext_lazy("How to greet"), choices=GreetingChannel.choices)
    subject = forms.CharField(label=gettext_lazy("E-mail subject"), required=False, max_length=120)
    message = forms.CharField(
        label=gettext_lazy("Greeting"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Write {客户姓名} where the customer's name goes."),
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
    caller = forms.TypedChoiceField(
        label=gettext_lazy("Caller (call or visit)"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, units=(), callers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["caller"].choices = [("", "—"), *((e.pk, f"{e.name}（{e.unit.name}）") for e in callers)]
        self.initial.setdefault("year", clock.today().year)


def _callers(units):
    found = []
    for unit in units:
        found += list(care.employees_of(unit))
    return found


def _list_context(me, form) -> dict:
    found = queries.campaigns(me)
    return {"campaigns": list(found[:200]), "form": form, "may_plan": form is not None}


@web_view
def campaigns(request):
    me = actor(request)
    if not care.reach(me):
        return denied(request)
    units = care.subsidiaries(me)
    form = CampaignForm(request.POST or None, units=units, callers=_callers(units)) if units else None
    if request.method == "POST" and form is not None:
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "followups/care_greetings.html", _list_context(me, form), status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/care_greetings.html", _list_context(me, form)

        def run():
            unit = care.subsidiary(me, data["unit"])
            caller = care.employee_in(unit, data["caller"]) if data["caller"] else None
            return actions.plan(
                me,
                unit,
                occasion=data["occasion"],
                year=data["year"],
                channel=data["channel"],
                message=data["message"],
                subject=data["subject"],
                caller=caller,
                audience={"tiers": data["tiers"], "audiences": data["audiences"]},
            )

        return attempt(
            request,
            run,
            success=_("The greeting campaign was planned."),
            then=lambda c: reverse("followups:care_greeting", args=[c.pk]),
            page=page,
        )
    return render(request, "followups/care_greetings.html", _list_context(me, form))


def _campaign_context(me, found, *, only: str = "", number=None, error=None) -> dict:
    page = CappedPaginator(queries.deliveries(found, only=only), PER_PAGE).get_page(number)
    rows = list(page.object_list)
    for row in rows:
        row.phone = masked_phone(row.customer)
    may_manage = care.may(me, care.MANAGE, found.unit)
    return {
        "campaign": found,
        "counts": queries.counts(found),
        "page": page,
        "rows": rows,
        "only": only,
        "query": f"only={only}" if only else "",
        "may_start": may_manage and found.state == GreetingState.PLANNED,
        "may_mark": may_manage,
        "to_call": DeliveryState.TO_CALL,
        "error": error,
        "first_day": actions.window(found.occasion_on, found.unit)[0] if found.occasion_on else None,
    }


@web_view
def campaign(request, pk):
    me = actor(request)
    found = queries.campaign(me, pk)
    only = request.GET.get("only", "")
    if only not in ("", "late", "failed", "to_call"):
        only = ""
    context = _campaign_context(me, found, only=only, number=request.GET.get("page"))
    return render(request, "followups/care_greeting.html", context)


@web_view
def start(request, pk):
    me = actor(request)
    found = queries.campaign(me, pk)
    if request.method != "POST":
        return redirect("followups:care_greeting", pk=found.pk)
    return attempt(
        request,
        lambda: actions.start(me, found),
        success=_("The campaign started: the greetings go out in the next minutes."),
        then=reverse("followups:care_greeting", args=[found.pk]),
        page=lambda error: _refused(request, me, found, error),
    )


@web_view
def mark_done(request, pk, delivery_pk):
    me = actor(request)
    delivery = queries.delivery(me, delivery_pk)
    if request.method != "POST":
        return redirect("followups:care_greeting", pk=pk)
    return attempt(
        request,
        lambda: actions.mark_done(me, delivery),
        success=_("The greeting call or visit was recorded."),
        then=reverse("followups:care_greeting", args=[pk]) + "?only=to_call",
        page=lambda error: _refused(request, me, delivery.campaign, error),
    )


def _refused(request, me, found, error):
    return "followups/care_greeting.html", _campaign_context(me, found, error=error)
