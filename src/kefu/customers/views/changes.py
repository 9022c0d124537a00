"""CUS-4 change requests: the info officers' queue, page by page, and the decision on one request."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError
from kefu.customers import entries
from kefu.customers.actions import changes as actions
from kefu.customers.models import ChangeRequestState
from kefu.customers.queries import changes as queries
from kefu.customers.queries import masks
from kefu.org import access
from kefu.web.support import actor, denied, web_view

REQUESTS_PER_PAGE = 20  # a change request is a card with its proposal and the decision forms


class ChangeRequestFilterForm(forms.Form):
    """CUS-4 queue filter: pending (the default), approved, rejected or all."""

    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[*ChangeRequestState.choices, ("all", gettext_lazy("All"))],
    )

    def chosen(self) -> str:
        """The state to list ("" = all); pending when nothing or something invalid was asked for."""
        if not self.is_valid() or not self.cleaned_data["state"]:
            return ChangeRequestState.PENDING
        state = self.cleaned_data["state"]
        return "" if state == "all" else state


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


@web_view
def change_requests(request):
    """CUS-4 queue: change requests on customers in the verifier's scope, by state, page by page."""
    me = actor(request)
    if not access.can(me, "customer.verify"):
        return denied(request)
    form = ChangeRequestFilterForm(request.GET or None)
    state = form.chosen()
    found = queries.change_requests(me, state=state).order_by("-requested_at", "-pk")
    page = Paginator(found, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    names = entries.references(entries.proposal_references(page.object_list))
    for item in page.object_list:
        item.proposal = entries.proposal(item, masks.may_see_full(me, item.customer), names)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "state": state,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": query.urlencode(),
        "reject_form": RejectForm(),
    }
    return render(request, "customers/change_requests.html", context)


@web_view
@require_POST
def change_request_decide(request, pk: int):
    me = actor(request)
    item = queries.change_request(me, pk)
    try:
        if request.POST.get("decision") == "approve":
            actions.approve_change(me, item)
            messages.success(request, _("The change was approved and applied."))
        else:
            actions.reject_change(me, item, request.POST.get("reason", ""))
            messages.success(request, _("The change was rejected."))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("customers:change_requests")
