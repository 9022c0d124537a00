"""Organisation pages: units and sites, employees, roles (ORG-1…ORG-4). Delegations: views_delegations.

Thin: forms parse, queries read within the caller's scope, actions write. Domain errors show on the
form; out-of-scope objects are 404 and missing permissions 403 (kefu.web.support.web_view).
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.crypto import mask_phone
from kefu.core.errors import DomainError
from kefu.org import access, actions, queries
from kefu.org.forms import (
    EmployeeFilterForm,
    EmployeeForm,
    PasswordResetForm,
    RoleForm,
    SiteForm,
    UnitForm,
    permission_label,
)
from kefu.org.models import EmploymentStatus
from kefu.web.support import actor, apply_error, denied, record_id, render_list, web_view

EMPLOYEES_PER_PAGE = 30


# ── units and sites (ORG-1) ──────────────────────────────────────────────────────────────────


@web_view
def units(request):
    me = actor(request)
    if not access.can(me, "org.view"):
        return denied(request)
    context = {
        "units": queries.units_with_counts(me),
        "sites": queries.sites(me),
        "can_manage": access.can(me, "org.manage"),
    }
    return render(request, "org/units.html", context)


def _form_page(request, template, form, *, status=200, **extra):
    return render(request, template, {"form": form, **extra}, status=status)


@web_view
def unit_create(request):
    me = actor(request)
    if not access.can(me, "org.manage"):
        return denied(request)
    scope_units = queries.units(me)
    initial = {}
    if record_id(request.GET.get("parent")):
        initial["parent"] = scope_units.filter(pk=record_id(request.GET["parent"])).first()
    form = UnitForm(request.POST or None, units=scope_units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            unit = actions.create_unit(
                me, kind=data["kind"], name=data["name"], code=data["code"], parent=data["parent"]
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Unit %(name)s was created.") % {"name": unit.name})
            return redirect("org:units")
    return _form_page(request, "org/unit_form.html", form)


@web_view
def unit_edit(request, pk: int):
    me = actor(request)
    unit = queries.unit(me, pk)
    if not access.can(me, "org.manage"):
        return denied(request)
    initial = {"name": unit.name, "code": unit.code, "parent": unit.parent, "is_active": unit.is_active}
    form = UnitForm(request.POST or None, units=queries.units(me), editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.update_unit(
                me,
                unit,
                name=data["name"],
                code=data["code"],
                parent=data["parent"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Unit %(name)s was saved.") % {"name": data["name"]})
            return redirect("org:units")
    return _form_page(request, "org/unit_form.html", form, unit=unit)


@web_view
def site_form(request, pk: int | None = None):
    """A site, new (no pk) or edited (ORG-1)."""
    return _record_form(
        request,
        pk,
        name="site",
        find=queries.site,
        permission="org.manage",
        fields=("name", "kind", "unit", "address"),
        form=lambda me, data, initial: SiteForm(data, units=queries.units(me), initial=initial),
        save=actions.save_site,
        saved=_("Site %(name)s was saved."),
        then="org:units",
    )


def _record_form(request, pk, *, name, find, permission, fields, form, save, saved, then):
    """The page that creates (pk None) or edits one configuration record — a site, a role — in
    `org/<name>_form.html`: the record read within the caller's scope (else 404), `permission` needed
    (else 403), the form filled from the record's `fields`. A valid POST calls the action
    `save(me, <name>=record, **data)`: a domain error shows on the form, else the message `saved` (with
    the saved record's name) and back to `then`."""
    me = actor(request)
    record = find(me, pk) if pk is not None else None
    if not access.can(me, permission):
        return denied(request)
    initial = {field: getattr(record, field) for field in fields} if record is not None else {}
    bound = form(me, request.POST or None, initial)
    if request.method == "POST" and bound.is_valid():
        try:
            result = save(me, **{name: record}, **bound.cleaned_data)
        except DomainError as error:
            apply_error(bound, error)
        else:
            messages.success(request, saved % {"name": result.name})
            return redirect(then)
    return _form_page(request, f"org/{name}_form.html", bound, **{name: record})


# ── employees (ORG-2, ORG-3, ORG-6) ──────────────────────────────────────────────────────────


@web_view
def employees(request):
    me = actor(request)
    if not access.can(me, "org.view"):
        return denied(request)
    form = EmployeeFilterForm(request.GET or None, units=queries.units(me), posts=queries.posts())
    found = queries.employees(me, **form.filters())
    page = Paginator(found, EMPLOYEES_PER_PAGE).get_page(request.GET.get("page"))
    for employee in page.object_list:
        employee.masked_phone = _masked(employee)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": access.can(me, "org.manage"),
    }
    return render_list(request, "org/employees.html", "org/employee_results.html", context)


@web_view
def employee_detail(request, pk: int):
    me = actor(request)
    return _employee_page(request, me, queries.employee(me, pk), PasswordResetForm())


def _employee_page(request, me, employee, reset_form):
    context = {
        "employee": employee,
        "masked_phone": _masked(employee),
        "unit_chain": queries.unit_chain(employee.unit),
        "assignments": queries.assignments_of(employee),
        "supervisors": employee.supervisors.select_related("unit"),
        "can_manage": access.can(me, "org.manage"),
        "reset_form": reset_form,
    }
    return render(request, "org/employee_detail.html", context)


def _masked(employee) -> str:
    return mask_phone(employee.phone) if employee.phone else ""


def _employee_form(request, me, *, employee=None, data=None, initial=None):
    colleagues = queries.employees(me, status=EmploymentStatus.ACTIVE)
    if employee is not None:
        colleagues = colleagues.exclude(pk=employee.pk)
    return EmployeeForm(
        data,
        units=queries.units(me),
        posts=queries.posts(),
        sites=queries.sites(me),
        colleagues=colleagues,
        roles=queries.roles(me) if access.can(me, "role.manage") else None,
        editing=employee is not None,
        initial=initial,
    )


@web_view
def employee_create(request):
    me = actor(request)
    if not access.can(me, "org.manage"):
        return denied(request)
    form = _employee_form(request, me, data=request.POST or None, initial={"employment_type": "regular"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles", None)
        try:
            with transaction.atomic():  # the account, the employee and the roles: all or nothing
                employee, initial_password = actions.create_employee(me, **data)
                if roles:
                    actions.set_roles(me, employee, list(roles))
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Employee %(name)s was created.") % {"name": employee.name})
            if data.get("password"):
                return redirect("org:employee", pk=employee.pk)
            return render(
                request,
                "org/password_shown.html",
                {"employee": employee, "password": initial_password, "created": True},
            )
    return _form_page(request, "org/employee_form.html", form)


@web_view
def employee_edit(request, pk: int):
    me = actor(request)
    employee = queries.employee(me, pk)
    if not access.can(me, "org.manage"):
        return denied(request)
    fields = ["name", "number", "unit", "post", "site", "employment_type", "confirmed_on", "status", "email"]
    initial = {f: getattr(employee, f) for f in fields}
    initial["supervisors"] = list(employee.supervisors.all())
    initial["roles"] = [a.role for a in queries.assignments_of(employee)]
    form = _employee_form(request, me, employee=employee, data=request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        roles = data.pop("roles", None)
        supervisors = list(data.pop("supervisors"))
        if not data["phone"]:
            data.pop("phone")  # empty keeps the number on file
        try:
            with transaction.atomic():
                actions.update_employee(me, employee, supervisors=supervisors, **data)
                if roles is not None and {r.pk for r in roles} != {r.pk for r in initial["roles"]}:
                    actions.set_roles(me, employee, list(roles))
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Employee %(name)s was saved.") % {"name": data["name"]})
            return redirect("org:employee", pk=employee.pk)
    return _form_page(
        request,
        "org/employee_form.html",
        form,
        employee=employee,
        masked_phone=_masked(employee),
    )


@web_view
@require_POST
def employee_reset_password(request, pk: int):
    me = actor(request)
    employee = queries.employee(me, pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            password = actions.reset_password(me, employee, password=form.cleaned_data["password"])
        except DomainError as error:
            if error.status == 403:
                raise
            apply_error(form, error)
        else:
            if form.cleaned_data["password"]:
                messages.success(request, _("The password was reset."))
                return redirect("org:employee", pk=employee.pk)
            return render(request, "org/password_shown.html", {"employee": employee, "password": password})
    return _employee_page(request, me, employee, form)


# ── roles (ORG-3, ORG-4) ─────────────────────────────────────────────────────────────────────


@web_view
def roles(request):
    me = actor(request)
    if not access.can(me, "org.view"):
        return denied(request)
    rows = list(queries.roles(me))
    for role in rows:
        role.permission_labels = [permission_label(code) for code in role.permissions]
    context = {"roles": rows, "can_manage": access.can(me, "role.manage")}
    return render(request, "org/roles.html", context)


@web_view
def role_form(request, pk: int | None = None):
    """A role, new (no pk) or edited (ORG-3, ORG-4)."""
    return _record_form(
        request,
        pk,
        name="role",
        find=queries.role,
        permission="role.manage",
        fields=("code", "name", "description", "scope", "supervisory_only", "permissions"),
        form=lambda me, data, initial: RoleForm(data, initial=initial),
        save=actions.save_role,
        saved=_("Role %(name)s was saved."),
        then="org:roles",
    )
