"""收费 on a case (PRC-1, seed 004: "不准乱收费"): the case page links here; the charges of the case and a
form that charges an item of the catalogue at its price in effect — anything else is refused with the
clause."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.queries import intake as cases
from kefu.catalogue.actions import charges as actions
from kefu.catalogue.queries import charges as queries
from kefu.catalogue.queries import items as catalogue
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.engine.policy import api as policy
from kefu.org import access
from kefu.web.support import actor, web_view


def case_link(me, case) -> list[tuple[str, str, str]]:
    """PRC-1: 收费 on the case page, for those who may see the case's charges."""
    if not access.record_in_scope(me, "case.view", unit=case.unit, owner_id=case.owner_id):
        return []
    return [("case-charges", _("Charges"), reverse("catalogue:case_charges", args=[case.pk]))]


@web_view
def case_charges(request, pk: int):
    me = actor(request)
    case = cases.case(me, pk)
    values = {k: request.POST.get(k, "") for k in ("item", "quantity", "price", "note")}
    if request.method == "POST":
        try:
            charge = actions.charge_case(
                me,
                case,
                item_id=values["item"],
                quantity=values["quantity"],
                price=values["price"],
                note=values["note"],
            )
            messages.success(request, _("Charged %(amount)s yuan.") % {"amount": charge.amount})
            return redirect(reverse("catalogue:case_charges", args=[case.pk]))
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
    rows = queries.of_case(case)
    subsidiary = policy.subsidiary_of(case.unit)
    today = clock.today()
    return render(
        request,
        "catalogue/case_charges.html",
        {
            "case": case,
            "rows": rows,
            "total": queries.total(rows),
            "choices": catalogue.chargeable(subsidiary.path, today) if subsidiary else [],
            "may_charge": access.may_write(me, actions.HANDLE, unit=case.unit, owner_id=case.owner_id),
            "values": values if request.method == "POST" else {"quantity": "1"},
            "clause_charge": catalogue.CLAUSE_CHARGE,
        },
    )
