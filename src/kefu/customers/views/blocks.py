"""Building blocks of the customer pages: a button's post on a customer's page."""

from django.contrib import messages
from django.shortcuts import redirect

from kefu.core.errors import DomainError
from kefu.customers.queries import archive as queries
from kefu.web.support import actor


def post_action(request, pk, run, success):
    """Run `run(actor, customer)` for the customer `pk` in the caller's scope and go back to its page
    with `success` or the refusal's message (a 403 or 404 is raised, not shown)."""
    me = actor(request)
    customer = queries.customer(me, pk)
    try:
        run(me, customer)
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("customers:detail", customer.pk)
