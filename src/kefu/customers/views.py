"""Customer archive pages (CUS-1…CUS-4, CUS-7, CUS-9, SEC-2, SEC-5).

Thin: forms parse, queries read within the caller's scope, actions write. Phones are masked in lists;
the customer page shows full data only to holders of customer.view_full, and that read is audited.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kefu.core.errors import DomainError, Invalid
from kefu.customers import actions, entries, queries, rules, timeline
from kefu.customers.forms import (
    ENCRYPTED,
    AssignForm,
    ChangeRequestFilterForm,
    ContactForm,
    ContactRecordForm,
    CustomerFilterForm,
    CustomerForm,
    RejectForm,
    owner_choices,
)
from kefu.customers.models import ChangeRequestState, CustomerKind
from kefu.org import access
from kefu.org.models import Employee, Unit
from kefu.org.queries import employee_named
from kefu.web.support import actor, apply_error, denied, is_htmx, web_view

PER_PAGE = 30
REQUESTS_PER_PAGE = 20  # a change request is a card with its proposal and the decision forms


def _units(me):
    return access.scoped(Unit.objects.filter(is_active=True), me, "customer.manage", unit_path="path")


def _people(me):
    paths = [g.anchor_path for g in access.grants(me, "customer.manage") if g.scope != "own"]
    mine = access.employee_of(me.principal)
    if mine is not None:
        paths.append(mine.unit.path)
    return owner_choices(paths)


@web_view
def customer_list(request):
    me = actor(request)
    if not access.can(me, "customer.view"):
        return denied(request)
    visible = queries.customers(me)
    owners = Employee.objects.filter(pk__in=visible.values("owner_id")).order_by("name")
    form = CustomerFilterForm(request.GET or None, owners=owners)
    found = queries.customers(me, **form.filters()).prefetch_related("contacts")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for customer in page.object_list:
        customer.masked_phone = queries.masked_phone(customer)
        key_person = any(c.is_key_person for c in customer.contacts.all())
        customer.completeness = rules.completeness(customer, has_key_person=key_person)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": access.can(me, "customer.manage"),
        "can_verify": access.can(me, "customer.verify"),
    }
    template = "customers/_results.html" if is_htmx(request) else "customers/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@web_view
def customer_create(request):
    me = actor(request)
    if not access.can(me, "customer.manage"):
        return denied(request)
    kind = CustomerKind.ORGANISATION if request.GET.get("kind") == "organisation" else CustomerKind.PERSON
    form = CustomerForm(request.POST or None, kind=kind, units=_units(me), people=_people(me))
    if request.method == "POST" and form.is_valid():
        try:
            customer = actions.create_customer(me, kind=kind, **form.values())
        except DomainError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Customer %(name)s was created.") % {"name": customer.name})
            return redirect("customers:detail", customer.pk)
    return render(request, "customers/form.html", {"form": form, "kind": kind})


@web_view
def customer_edit(request, pk: int):
    me = actor(request)
    customer = queries.customer(me, pk)
    if not access.can(me, "customer.manage"):
        return denied(request)
    shown = queries.masked(customer, me, purpose="edit customer")  # SEC-5: a full read is audited
    initial = {name: getattr(customer, name) for name in actions.EDITABLE}
    masks = {} if shown["full"] else {name: shown[name] for name in ENCRYPTED if shown[name]}
    via_request = actions.needs_change_request(me)
    form = CustomerForm(
        request.POST or None,
        kind=customer.kind,
        units=_units(me),
        people=_people(me),
        initial=initial,
        editing=True,
        masks=masks,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        changes = {}
        for name, value in values.items():
            current = getattr(customer, name)
            if (current if current is not None else "") != (value if value is not None else ""):
                changes[name] = value
        try:
            if via_request:
                actions.request_change(me, customer, changes, reason=request.POST.get("reason", ""))
                messages.success(request, _("Your change request was sent to the info officer."))
            else:
                actions.update_customer(me, customer, **changes)
                messages.success(request, _("The customer was saved."))
        except DomainError as error:
            apply_error(form, error)
        else:
            return redirect("customers:detail", customer.pk)
    context = {"form": form, "customer": customer, "kind": customer.kind, "via_request": via_request}
    return render(request, "customers/form.html", context)


@web_view
def customer_detail(request, pk: int):
    me = actor(request)
    customer = queries.customer(me, pk)
    manage = access.can(me, "customer.manage")
    context = {
        "customer": customer,
        "shown": queries.masked(customer, me, purpose="customer page"),
        "contacts": queries.contacts(me, customer),
        "completeness": rules.completeness(customer),
        "missing": rules.missing_fields(customer),
        "timeline_days": timeline.by_day(queries.timeline(me, customer)[:100]),
        "can_manage": manage,
        "can_delete_ever": actions.can_be_deleted(customer),
        "contact_form": ContactForm() if manage else None,
        "record_form": ContactRecordForm() if manage else None,
        "assign_form": AssignForm(candidates=actions.candidates(customer)) if manage else None,
        "first_contact": queries.first_contact_timer(customer),
        "assignment_history": queries.assignment_history(customer),
        "pending_requests": customer.change_requests.filter(state=ChangeRequestState.PENDING).count(),
    }
    return render(request, "customers/detail.html", context)


def _post_action(request, pk, run, success):
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


@web_view
@require_POST
def contact_add(request, pk: int):
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please give the contact's name."))
        return redirect("customers:detail", pk)
    return _post_action(
        request, pk, lambda me, c: actions.add_contact(me, c, **form.cleaned_data), _("Contact added.")
    )


@web_view
@require_POST
def contact_record(request, pk: int):
    note = request.POST.get("note", "")
    return _post_action(
        request, pk, lambda me, c: actions.record_contact(me, c, note), _("Contact recorded.")
    )


@web_view
@require_POST
def assign(request, pk: int):
    def run(me, customer):
        # an empty choice picks the least-loaded specialist; any other choice must be one (the action says why)
        raw = (request.POST.get("specialist") or "").strip()
        specialist = None
        if raw:
            try:
                specialist = employee_named(raw, "specialist", active=False)
            except Invalid:
                specialist = Employee(pk=0)  # unknown: refused by the action like any non-specialist
        actions.assign(me, customer, specialist)

    return _post_action(request, pk, run, _("Specialist assigned."))


@web_view
@require_POST
def archive_complete(request, pk: int):
    return _post_action(
        request, pk, actions.mark_archive_complete, _("The basic archive is marked complete.")
    )


@web_view
def change_requests(request):
    """CUS-4 queue: change requests on customers in the verifier's scope, by state, page by page."""
    me = actor(request)
    if not access.can(me, "customer.verify"):
        return denied(request)
    form = ChangeRequestFilterForm(request.GET or None)
    state = form.chosen()
    found = queries.change_requests(me, state=state).order_by("-requested_at", "-pk")
    page = Paginator(found, REQUESTS_PER_PAGE).get_page(request.GET.get("page"))
    names = entries.references(entries.proposal_references(page.object_list))
    for item in page.object_list:
        item.proposal = entries.proposal(item, queries.may_see_full(me, item.customer), names)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "state": state,
        "page": page,
        "page_numbers": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "query": query.urlencode(),
        "reject_form": RejectForm(),
    }
    return render(request, "customers/change_requests.html", context)


@web_view
@require_POST
def change_request_decide(request, pk: int):
    me = actor(request)
    item = queries.change_request(me, pk)
    try:
        if request.POST.get("decision") == "approve":
            actions.approve_change(me, item)
            messages.success(request, _("The change was approved and applied."))
        else:
            actions.reject_change(me, item, request.POST.get("reason", ""))
            messages.success(request, _("The change was rejected."))
    except DomainError as error:
        if error.status in (403, 404):
            raise
        messages.error(request, error.message)
    return redirect("customers:change_requests")
