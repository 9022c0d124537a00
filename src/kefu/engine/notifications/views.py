"""The inbox page (NTF-1): unread first, mark one or all read (HTMX or plain forms), open the target;
the live poll of every open page (issue 13, `live.py`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import parse_etags
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kefu.core.middleware import background
from kefu.engine.notifications import actions, live, queries
from kefu.engine.notifications.forms import PreferenceForm
from kefu.web.support import actor, is_htmx, web_view

PAGE_SIZE = 30


@web_view
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    rows = queries.inbox(request.user, unread=unread_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "query": "unread=1" if unread_only else ""}
    return render(request, "notifications/inbox.html", context)


@web_view
@require_POST
def mark_read(request, pk: int):
    notification = actions.mark_read(actor(request), pk)
    if is_htmx(request):
        # the row, read now, and the top-bar badge out of band
        return render(request, "notifications/_mark_read.html", {"item": notification})
    return redirect("notifications:inbox")


@web_view
def open_target(request, pk: int):
    """Follow a notification's link; opening it counts as reading it."""
    notification = actions.mark_read(actor(request), pk)
    return redirect(notification.link or "notifications:inbox")


@web_view
@require_POST
def mark_all_read(request):
    count = actions.mark_all_read(actor(request))
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notifications:inbox")


@web_view
@require_POST
def preferences(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        actions.save_preference(
            actor(request),
            language=form.cleaned_data["language"],
            email_enabled=form.cleaned_data["email_enabled"],
            sms_enabled=form.cleaned_data.get("sms_enabled"),  # None: not offered, kept as it was
        )
        messages.success(request, _("Your notification settings were saved."))
    else:
        messages.error(request, _("Your notification settings were not saved: please check them."))
    return redirect("/profile/#notifications")


@web_view
@require_GET
@background
def live_state(request):
    """304 while the badge and the watched lists are as the page last saw them (its If-None-Match);
    else the badge, the unread count for the tab title and each watched list's version."""
    state = live.state(request.user, live.watched(request.GET.get("watch", "")))
    etag = state.etag(request.user, get_language())
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response = HttpResponseNotModified()
    else:
        badge = render_to_string("notifications/_badge.html", {"inbox": {"unread": state.unread}})
        response = JsonResponse({"unread": state.unread, "badge": badge, "versions": state.versions})
    response["ETag"] = etag
    return response
