"""校准会 pages (QA-1): the sessions of my scope, opening one on a case with several inspectors, and a
session with every inspector's scores and the spread per item and of the total."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.cases.queries import intake as case_queries
from kefu.core.errors import DomainError, Invalid
from kefu.org import access
from kefu.org.models import Employee
from kefu.quality.actions import calibration as actions
from kefu.quality.queries import calibration as queries
from kefu.quality.queries import inspections as inspection_queries
from kefu.web.support import actor, web_view


@web_view
def sessions(request):
    me = actor(request)
    access.require(me, queries.INSPECT)
    employee = access.employee_of(me.principal)
    people = inspection_queries.inspectors_for(employee.unit) if employee else []
    if request.method == "POST":
        try:
            number = request.POST.get("case", "").strip()
            case = case_queries.cases(me).filter(number=number).first()
            if case is None:
                raise Invalid(
                    "quality_calibration_case", "找不到该工单编号", "No such case", {"case": "unknown"}
                )
            ids = [int(x) for x in request.POST.getlist("inspectors") if x.isdigit()]
            chosen = list(Employee.objects.filter(pk__in=ids))
            session = actions.open_session(me, case, inspectors=chosen, title=request.POST.get("title", ""))
            messages.success(request, _("The calibration session is open."))
            return redirect(reverse("quality:calibration", args=[session.pk]))
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
            return redirect(reverse("quality:calibrations"))
    context = {"rows": list(queries.sessions(me)[:100]), "people": people}
    return render(request, "quality/calibrations.html", context)


@web_view
def session(request, pk: int):
    me = actor(request)
    found = queries.session(me, pk)
    employee = access.employee_of(me.principal)
    data = queries.spread(found)
    mine = next((i for i in data["inspections"] if employee and i.inspector_id == employee.pk), None)
    return render(request, "quality/calibration.html", {"session": found, "mine": mine, **data})
