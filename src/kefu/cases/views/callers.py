"""The caller's history on 新建工单 (issue 13): the phone typed in the new contact looks up the caller
(HTMX, on change or with 查询) and answers the contact fieldset again — the archive's name filled in,
the caller's open and recent cases and their 报备 status below (`queries.callers`)."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from kefu.cases.queries import callers
from kefu.cases.views.intake import CONTACT_FIELDS
from kefu.org import access
from kefu.web.support import actor, denied, web_view


@require_GET
@web_view
def caller(request):
    """The new-contact fieldset for the typed contact, with the caller's history (same rights as the
    new-case page: case.handle and an employee, whose unit receives the case)."""
    me = actor(request)
    employee = access.employee_of(me.principal)
    if not access.can(me, "case.handle") or employee is None:
        return denied(request)
    contact = {name: request.GET.get(f"contact_{name}", "").strip()[:254] for name in CONTACT_FIELDS}
    found = callers.caller(me, contact["phone"], unit=employee.unit)
    if found is not None and found.customer is not None and not contact["name"]:
        contact["name"] = found.customer.name
    context = {"form": {"contact": contact}, "caller": found, "looked_up": True}
    return render(request, "cases/_new_contact.html", context)


urlpatterns = [
    path("cases/new/caller/", caller, name="caller"),
]
