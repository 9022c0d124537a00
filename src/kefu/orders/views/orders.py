"""订单 pages (ORD-1): the orders of my scope by state with the new-order form (lines from the catalogue,
PRC-1), and an order's page with the step its state allows — the customer's confirmation, the finance
release, the shipment with the courier's phone, the arrival revisit, cancellation, returns."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.catalogue.queries import items as catalogue
from kefu.core import clock
from kefu.core.crypto import mask_phone
from kefu.core.errors import DomainError
from kefu.customers.queries import archive as customers
from kefu.orders.actions import orders as actions
from kefu.orders.models import OrderState, PaymentMethod, ReturnKind
from kefu.orders.queries import orders as queries
from kefu.org import access
from kefu.org.models import Unit
from kefu.web.support import actor, web_view

LINES = 3  # line rows on the new-order form


def _allowed(me) -> None:
    if not any(access.can(me, c) for c in queries.CODES):
        access.require(me, queries.VIEW)


def _choices(me) -> list:
    """The catalogue items orderable today in the subsidiaries where the caller takes orders."""
    anchors = [g.anchor_path for g in access.write_grants(me, queries.CREATE)]
    today = clock.today()
    found = []
    for unit in Unit.objects.filter(kind="subsidiary", is_active=True).order_by("path"):
        if any(unit.path.startswith(a) or a.startswith(unit.path) for a in anchors):
            found.extend(catalogue.chargeable(unit.path, today))
    return found


@web_view
def orders(request):
    me = actor(request)
    _allowed(me)
    state = request.GET.get("state", "")
    may_create = bool(access.write_grants(me, queries.CREATE))
    values = {}
    if request.method == "POST" and may_create:
        values = {k: request.POST.get(k, "") for k in request.POST}
        try:
            customer = customers.customer(me, request.POST.get("customer"))
            lines = [
                {
                    "item_id": request.POST.get(f"item_{n}", ""),
                    "quantity": request.POST.get(f"quantity_{n}", ""),
                    "price": request.POST.get(f"price_{n}", ""),
                }
                for n in range(1, LINES + 1)
            ]
            order = actions.create(me, customer, lines=lines, note=request.POST.get("note", ""))
            messages.success(request, _("Order %(n)s is recorded.") % {"n": order.number})
            return redirect(reverse("orders:order", args=[order.pk]))
        except DomainError as error:
            messages.error(request, error.message)
    rows = list(queries.orders(me, state=state)[:100])
    context = {
        "rows": rows,
        "state": state,
        "states": OrderState.choices,
        "may_create": may_create,
        "customers": list(customers.customers(me)[:200]) if may_create else [],
        "choices": _choices(me) if may_create else [],
        "line_numbers": range(1, LINES + 1),
        "values": values,
    }
    return render(request, "orders/orders.html", context)


def _may(me, code: str, order, *, owner: bool = True) -> bool:
    return access.may_write(me, code, unit=order.unit, owner_id=order.owner_id if owner else None)


@web_view
def order(request, pk: int):
    me = actor(request)
    found = queries.order(me, pk)
    return render(
        request,
        "orders/order.html",
        {
            "order": found,
            "lines": list(found.lines.all()),
            "returns": list(found.returns.all()),
            "carrier_phone": mask_phone(found.carrier_phone) if found.carrier_phone else "",
            "may_confirm": found.state == OrderState.AWAITING_CONFIRMATION
            and _may(me, queries.CREATE, found),
            "may_release": found.state == OrderState.AWAITING_FINANCE
            and _may(me, queries.RELEASE, found, owner=False),
            "may_ship": found.state == OrderState.RELEASED and _may(me, queries.SHIP, found),
            "may_cancel": found.state in actions.OPEN_STATES and _may(me, queries.CREATE, found),
            "may_return": found.state in (OrderState.SHIPPED, OrderState.RETURNED)
            and _may(me, queries.RETURN, found, owner=False),
            "methods": PaymentMethod.choices,
            "return_kinds": ReturnKind.choices,
            "clauses": {
                "check": queries.CLAUSE_CHECK,
                "confirm": queries.CLAUSE_CONFIRM,
                "finance": queries.CLAUSE_FINANCE,
                "ship": queries.CLAUSE_SHIP,
                "revisit": queries.CLAUSE_REVISIT,
            },
        },
    )


STEPS = {
    "confirm": lambda me, o, p: actions.confirm(
        me, o, payment_method=p.get("payment_method", ""), note=p.get("note", "")
    ),
    "release": lambda me, o, p: actions.release(me, o, paid=p.get("paid", "")),
    "ship": lambda me, o, p: actions.ship(
        me,
        o,
        carrier=p.get("carrier", ""),
        carrier_phone=p.get("carrier_phone", ""),
        tracking=p.get("tracking", ""),
    ),
    "cancel": lambda me, o, p: actions.cancel(me, o, reason=p.get("reason", "")),
    "return": lambda me, o, p: actions.return_goods(
        me, o, kind=p.get("kind", ""), reason=p.get("reason", ""), refund=p.get("refund", "")
    ),
}
DONE = {
    "confirm": "The customer's confirmation is recorded; the order awaits finance.",
    "release": "The payment is verified; the order may be shipped.",
    "ship": "The shipment is recorded.",
    "cancel": "The order is cancelled.",
    "return": "The return or exchange is recorded.",
}


@web_view
def step(request, pk: int, name: str):
    me = actor(request)
    found = queries.order(me, pk)
    if request.method == "POST" and name in STEPS:
        try:
            STEPS[name](me, found, request.POST)
            messages.success(request, _(DONE[name]))
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
    return redirect(reverse("orders:order", args=[found.pk]))
