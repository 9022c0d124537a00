"""价目表 pages (PRC-1): the catalogue of my scope with the price in effect today, the changes awaiting
approval (approve or reject, by another person), the proposal form, and an item's versions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.catalogue.actions import items as actions
from kefu.catalogue.models import ChangeKind
from kefu.catalogue.queries import items as queries
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.web.support import actor, web_view

FIELDS = ("kind", "unit", "item", "code", "name", "measure", "price", "effective_on", "reason")


def _allowed(me) -> None:
    if not any(access.can(me, c) for c in (queries.VIEW, queries.PROPOSE, queries.APPROVE)):
        access.require(me, queries.VIEW)


@web_view
def catalogue(request):
    me = actor(request)
    _allowed(me)
    today = clock.today()
    values = {k: request.POST.get(k, "") for k in FIELDS} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            kind = values["kind"]
            item = (
                queries.item(me, values["item"]) if kind in (ChangeKind.PRICE, ChangeKind.WITHDRAW) else None
            )
            unit = queries.unit_named(values["unit"], "unit") if kind == ChangeKind.NEW else None
            version = actions.propose(
                me,
                kind=kind,
                effective_on=values["effective_on"],
                reason=values["reason"],
                price=values["price"] if kind != ChangeKind.WITHDRAW else None,
                unit=unit,
                item=item,
                code=values["code"],
                name=values["name"],
                measure=values["measure"],
            )
            messages.success(request, _("The change is proposed; it takes effect only once approved."))
            return redirect(reverse("catalogue:item", args=[version.item_id]))
        except DomainError as error:
            if error.status == 404 and values.get("kind") not in (ChangeKind.PRICE, ChangeKind.WITHDRAW):
                raise
            messages.error(request, error.message)
    rows = queries.rows(me, today)
    return render(
        request,
        "catalogue/catalogue.html",
        {
            "rows": rows,
            "today": today,
            "pending": [v for r in rows for v in r.pending],
            "subsidiaries": queries.subsidiaries_for(me, queries.PROPOSE),
            "may_approve": bool(access.write_grants(me, queries.APPROVE)),
            "kinds": ChangeKind.choices,
            "values": values,
            "clause_change": queries.CLAUSE_CHANGE,
            "clause_charge": queries.CLAUSE_CHARGE,
        },
    )


@web_view
def item(request, pk: int):
    me = actor(request)
    found = queries.item(me, pk)
    today = clock.today()
    current = queries.price_on(found, today)
    versions = queries.versions(found)
    return render(
        request,
        "catalogue/item.html",
        {
            "item": found,
            "current": current,
            "versions": [(v, queries.lapsed(v, today)) for v in versions],
            "today": today,
            "may_approve": access.may_write(me, queries.APPROVE, unit=found.unit, owner_id=None),
            "clause_change": queries.CLAUSE_CHANGE,
        },
    )


@web_view
def decide(request, pk: int):
    me = actor(request)
    version = queries.version(me, pk)
    if request.method == "POST":
        approve = request.POST.get("decision") == "approve"
        try:
            actions.decide(me, version, approve=approve, note=request.POST.get("note", ""))
            messages.success(request, _("Approved.") if approve else _("Rejected."))
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
    return redirect(reverse("catalogue:item", args=[version.item_id]))
