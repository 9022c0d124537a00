"""报价 pages (FEE-1): the price table in force with its clauses, a quote form with the price shown before
saving, the quotes of my scope, a quote's page and its PDF and Excel."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core.errors import DomainError
from kefu.emergency.actions import fees as actions
from kefu.emergency.exports import fees as exports
from kefu.emergency.queries import fees as queries
from kefu.emergency.queries import resources as units
from kefu.org import access
from kefu.web import printing
from kefu.web.support import actor, web_view

FIELDS = ("headcount", "plans", "progress_percent", *queries.SERVICES)


@web_view
def quotes(request):
    me = actor(request)
    if not access.can(me, queries.QUOTE):
        access.require(me, queries.VIEW)
    quote_units = units.units_for(me, queries.QUOTE)
    values = (
        {k: request.POST.get(k, "") for k in (*FIELDS, "client", "unit")} if request.method == "POST" else {}
    )
    context = {
        "rows": list(queries.quotes(me)[:100]),
        "table": queries.price_table(),
        "units": quote_units,
        "values": values,
        "priced": None,
        "services": [(code, label, per) for code, (_key, label, per) in queries.SERVICES.items()],
    }
    if request.method == "POST":
        options = {k: request.POST.get(k, "") for k in FIELDS}
        try:
            if request.POST.get("confirm") == "1":
                quote = actions.create_quote(
                    me,
                    unit=units.unit_named(request.POST.get("unit"), "unit"),
                    client=request.POST.get("client", ""),
                    **options,
                )
                messages.success(request, _("Quote %(n)s is made.") % {"n": quote.number})
                return redirect(reverse("emergency:quote", args=[quote.pk]))
            access.require(me, queries.QUOTE)
            lines, payments = actions.price(**options)
            context["priced"] = {"lines": lines, "payments": payments, "total": sum(x.amount for x in lines)}
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
    return render(request, "emergency/quotes.html", context)


@web_view
def quote(request, pk: int):
    found = queries.quote(actor(request), pk)
    return render(
        request,
        "emergency/quote.html",
        {"quote": found, "lines": list(found.lines.all()), "payments": list(found.payments.all())},
    )


@web_view
def quote_pdf(request, pk: int):
    found = queries.quote(actor(request), pk)
    response = HttpResponse(exports.quote_pdf(found), content_type=printing.PDF)
    response["Content-Disposition"] = f'inline; filename="{found.number}.pdf"'
    return response


@web_view
def quote_xlsx(request, pk: int):
    found = queries.quote(actor(request), pk)
    response = HttpResponse(exports.quote_workbook(found), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{found.number}.xlsx"'
    return response
