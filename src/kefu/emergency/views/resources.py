"""应急物资 pages (RES-1): the register of my scope with its filters and the registration form, the Excel
export, and an item's page with its inspections and stock movements and the forms to record them."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.emergency.actions import resources as actions
from kefu.emergency.exports import resources as exports
from kefu.emergency.models import InspectionResult, Movement, ResourceKind
from kefu.emergency.queries import resources as queries
from kefu.org import access
from kefu.org.queries import employee_named
from kefu.web.support import actor, web_view

PAGE_ROWS = 200


def _filters(request) -> dict:
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    return {
        "state": state if state in ("expired", "soon") else "",
        "kind": kind if kind in ResourceKind.values else "",
        "q": request.GET.get("q", "").strip()[:100],
    }


@web_view
def register(request):
    me = actor(request)
    if not (access.can(me, queries.VIEW) or access.can(me, queries.MANAGE)):
        access.require(me, queries.VIEW)
    if request.method == "POST":
        try:
            item = actions.register_item(
                me,
                unit=queries.unit_named(request.POST.get("unit"), "unit"),
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", ""),
                location=request.POST.get("location", ""),
                quantity=request.POST.get("quantity", ""),
                custodian=employee_named(request.POST.get("custodian"), "custodian"),
                inspect_every_days=request.POST.get("inspect_every_days", ""),
                next_inspection=request.POST.get("next_inspection") or None,
                expires_on=request.POST.get("expires_on") or None,
            )
            messages.success(request, _("The resource is registered."))
            return redirect(reverse("emergency:resource", args=[item.pk]))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
            return redirect(reverse("emergency:resources"))
    chosen = _filters(request)
    rows = list(queries.filtered(me, **chosen)[:PAGE_ROWS])
    today = clock.today()
    for r in rows:
        r.is_overdue = r.next_inspection < today
        r.is_expired = r.expires_on is not None and r.expires_on < today
    units = queries.units_for(me, queries.MANAGE)
    context = {
        "rows": rows,
        "chosen": chosen,
        "kinds": ResourceKind.choices,
        "units": units,
        "custodians": queries.custodians_for(me) if units else [],
        "page_rows": PAGE_ROWS,
    }
    return render(request, "emergency/resources.html", context)


@web_view
def export(request):
    me = actor(request)
    rows = queries.filtered(me, **_filters(request))
    response = HttpResponse(exports.register_workbook(rows), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="resources-{clock.today():%Y%m%d}.xlsx"'
    return response


@web_view
def resource(request, pk: int):
    me = actor(request)
    item = queries.resource(me, pk)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "inspection":
                actions.record_inspection(
                    me,
                    item,
                    result=request.POST.get("result", ""),
                    inspected_on=request.POST.get("inspected_on") or None,
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The inspection is recorded."))
            else:
                actions.move(
                    me,
                    item,
                    kind=request.POST.get("kind", ""),
                    amount=request.POST.get("amount", ""),
                    note=request.POST.get("note", ""),
                )
                messages.success(request, _("The stock movement is recorded."))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        return redirect(reverse("emergency:resource", args=[item.pk]))
    today = clock.today()
    context = {
        "item": item,
        **queries.history(item),
        "may_manage": queries.may_manage(me, item),
        "results": InspectionResult.choices,
        "movement_kinds": Movement.Kind.choices,
        "is_overdue": item.next_inspection < today,
        "is_expired": item.expires_on is not None and item.expires_on < today,
    }
    return render(request, "emergency/resource.html", context)
