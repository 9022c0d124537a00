"""The mail queues page (CASE-2): received and sent mail with state and errors; retry what failed."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.engine.mail import actions, queries
from kefu.engine.mail.models import InboundState, OutboundState
from kefu.web.support import actor, denied, web_view

PAGE_SIZE = 50
BOXES = {"in": InboundState, "out": OutboundState}


@web_view
def index(request):
    me = actor(request)
    if not queries.is_admin(me):
        return denied(request)
    box = request.GET.get("box") if request.GET.get("box") in BOXES else "in"
    states = BOXES[box]
    state = request.GET.get("state") if request.GET.get("state") in states.values else ""
    rows = queries.inbound(me, state=state) if box == "in" else queries.outbound(me, state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "box": box,
        "state": state,
        "states": states.choices,
        "page": page,
        "query": f"box={box}&state={state}",
    }
    return render(request, "mail/index.html", context)


@web_view
@require_POST
def retry_inbound(request, pk: int):
    actions.retry_inbound(actor(request), pk)
    messages.success(request, _("The message will be handed to its handler again."))
    return redirect(f"{reverse('mail:index')}?box=in&state=failed")


@web_view
@require_POST
def retry_outbound(request, pk: int):
    actions.retry_outbound(actor(request), pk)
    messages.success(request, _("The message will be sent again."))
    return redirect(f"{reverse('mail:index')}?box=out&state=failed")
