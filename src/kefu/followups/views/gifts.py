"""客户关怀 pages, holiday gifts (CARE-2): the gift lists with the form opening one, and a list's page —
its gifts (each within the pack's limit), submitting it for approval before the holiday, the
approver's decision, and the issue register."""

from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kefu.core import clock
from kefu.core.errors import DomainError, Invalid
from kefu.followups.actions import gifts as actions
from kefu.followups.models import GiftListState, GiftReceipt, Occasion
from kefu.followups.queries import care
from kefu.followups.queries import gifts as queries
from kefu.web.support import actor, apply_error, attempt, denied, web_view

FESTIVALS = [c for c in Occasion.choices if c[0] != Occasion.BIRTHDAY]


class GiftListForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Subsidiary"), coerce=int)
    occasion = forms.ChoiceField(label=gettext_lazy("Festival"), choices=FESTIVALS)
    year = forms.IntegerField(label=gettext_lazy("Year"))

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.initial.setdefault("year", clock.today().year)


class ItemForm(forms.Form):
    customer = forms.IntegerField(label=gettext_lazy("Customer number"), min_value=1)
    gift = forms.CharField(label=gettext_lazy("Gift"), max_length=100)
    price = forms.CharField(label=gettext_lazy("Price (yuan)"), max_length=20)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
            ("return", gettext_lazy("Return for changes")),
        ],
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)


@web_view
def gift_lists(request):
    me = actor(request)
    if not care.reach(me):
        return denied(request)
    units = care.subsidiaries(me)
    form = GiftListForm(request.POST or None, units=units) if units else None
    context = {"lists": list(queries.gift_lists(me)[:200]), "form": form}
    if request.method == "POST" and form is not None:
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(request, "followups/care_gifts.html", context, status=400)
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/care_gifts.html", context

        return attempt(
            request,
            lambda: actions.create_list(
                me, care.subsidiary(me, data["unit"]), occasion=data["occasion"], year=data["year"]
            ),
            success=_("The gift list was opened."),
            then=lambda found: reverse("followups:care_gift", args=[found.pk]),
            page=page,
        )
    return render(request, "followups/care_gifts.html", context)


def _context(me, found, *, item_form=None, decision_form=None, error=None) -> dict:
    may_manage = care.may(me, care.MANAGE, found.unit)
    editable = found.state in actions.EDITABLE
    return {
        "gift_list": found,
        "items": list(queries.items(found)),
        "item_form": item_form or ItemForm(),
        "decision_form": decision_form or DecisionForm(),
        "may_edit": may_manage and editable,
        "may_issue": may_manage and found.state == GiftListState.APPROVED,
        "step": queries.my_pending_step(me, found),
        "error": error,
        "received": GiftReceipt.RECEIVED,
        "returned": GiftReceipt.RETURNED,
    }


@web_view
def gift_list(request, pk):
    me = actor(request)
    found = queries.gift_list(me, pk)
    if request.method != "POST":
        return render(request, "followups/care_gift.html", _context(me, found))
    what = request.POST.get("do", "")
    here = reverse("followups:care_gift", args=[found.pk])
    if what == "add":
        form = ItemForm(request.POST)
        if not form.is_valid():
            form.add_error(None, _("Please check the marked fields."))
            return render(
                request, "followups/care_gift.html", _context(me, found, item_form=form), status=400
            )
        data = form.cleaned_data

        def page(error: DomainError):
            apply_error(form, error)
            return "followups/care_gift.html", _context(me, found, item_form=form)

        def run():
            try:
                customer = care.customer_in(found.unit, data["customer"])
            except DomainError as error:
                raise Invalid(
                    "care_customer",
                    "本公司没有该编号的客户",
                    "No such customer in this subsidiary",
                    {"customer": "invalid"},
                ) from error
            return actions.add_item(me, found, customer=customer, gift=data["gift"], price=data["price"])

        return attempt(request, run, success=_("The gift was added."), then=here, page=page)
    if what == "decide":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return render(
                request, "followups/care_gift.html", _context(me, found, decision_form=form), status=400
            )
        data = form.cleaned_data
        return attempt(
            request,
            lambda: actions.decide(me, found, data["decision"], reason=data["reason"]),
            success=_("Your decision was recorded."),
            then=here,
            page=lambda error: (
                "followups/care_gift.html",
                _context(me, found, decision_form=form, error=error),
            ),
        )
    refused = lambda error: ("followups/care_gift.html", _context(me, found, error=error))  # noqa: E731
    if what == "submit":
        return attempt(
            request,
            lambda: actions.submit(me, found),
            success=_("The list was sent for approval."),
            then=here,
            page=refused,
        )
    if what in ("remove", "issue", "received", "returned"):
        item = queries.item(me, request.POST.get("item", ""))
        if item.gift_list_id != found.pk:
            return redirect(here)
        run = {
            "remove": lambda: actions.remove_item(me, item),
            "issue": lambda: actions.issue(me, item),
            "received": lambda: actions.confirm(me, item, GiftReceipt.RECEIVED),
            "returned": lambda: actions.confirm(me, item, GiftReceipt.RETURNED),
        }[what]
        return attempt(request, run, success=_("Saved."), then=here, page=refused)
    return redirect(here)
