"""The command centre's complaint-surge alerts (EMG-5): the list, one surge with the cases counted and
why it was raised, and the acknowledgement that stops the reminders."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.models import Family
from kefu.core.errors import DomainError
from kefu.emergency.actions import surges as actions
from kefu.emergency.queries import surges as queries
from kefu.web.support import actor, attempt, web_view


@web_view
def surges(request):
    me = actor(request)
    rows = list(queries.surges(me)[:200])
    for row in rows:
        row.family_label = Family(row.family).label
    return render(request, "emergency/surges.html", {"rows": rows})


@web_view
def surge(request, pk: int):
    me = actor(request)
    found = queries.surge(me, pk)
    found.family_label = Family(found.family).label
    context = {
        "surge": found,
        "cases": list(queries.counted_cases(found)),
        "may_acknowledge": queries.may_acknowledge(me, found),
    }
    if request.method != "POST":
        return render(request, "emergency/surge.html", context)

    def page(error: DomainError):
        context["error"] = error.message
        return "emergency/surge.html", context

    return attempt(
        request,
        lambda: actions.acknowledge(me, found),
        success=_("The alert was acknowledged; the reminders stop."),
        then=reverse("emergency:surge", args=[found.pk]),
        page=page,
    )
