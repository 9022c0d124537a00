"""Agent workbench: 我的工单 (the caller's open cases and their skill groups' queue, with the live
clocks, SLA-2) and the new-case form (search-or-create the customer with masked data, CASE-1/2,
SEC-2). The case page and its forms are in `views_case.py`."""

import secrets

from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kefu.cases.actions import intake
from kefu.cases.forms_workbench import ALL, QueueFilterForm, new_case_input
from kefu.cases.models import OPEN_STATES, Channel, Priority
from kefu.cases.queries import intake as queries
from kefu.core.crypto import mask_phone
from kefu.core.errors import Invalid
from kefu.customers import queries as customer_queries
from kefu.org import access
from kefu.web.support import actor, attempt, denied, is_htmx, web_view

PER_PAGE = 30
FOUND_MAX = 10  # customers shown by the new-case search: enough to pick one, never a list to browse


@web_view
def queue(request):
    """我的工单: sorted by the next deadline; the clocks of the whole page in one query."""
    me = actor(request)
    if not access.can(me, "case.view"):
        return denied(request)
    employee = access.employee_of(me.principal)
    kinds = queries.kinds_for(employee.unit if employee else None)
    form = QueueFilterForm(request.GET or None, kinds=kinds)
    view, filters = form.filters()
    state = filters.pop("state", "")
    channel = request.GET.get("channel", "") if form.is_valid() else ""
    found = queries.cases(me, state=state, open_only=not state, **filters)
    if view != ALL:
        found = found.none() if employee is None else queries.mine_and_queue(found, employee)
    if channel in Channel.values:
        found = found.filter(channel=channel)
    found = found.order_by(F("next_due_at").asc(nulls_last=True), "received_at", "pk")
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    clocks = queries.clocks_of(rows)
    for case in rows:
        case.clocks = clocks[case.pk]
        case.overdue = any(c["overdue"] for c in case.clocks)
        case.masked_phone = mask_phone(case.contact_phone) if case.contact_phone else ""
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "may_create": access.can(me, "case.handle") and employee is not None,
        "open_states": OPEN_STATES,
    }
    template = "cases/_queue_rows.html" if is_htmx(request) else "cases/queue.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _found_customers(me, text: str) -> list:
    """SEC-2: customers within the caller's scope by exact phone (blind index) or name, masked."""
    if not text or not access.can(me, "customer.view"):
        return []
    rows = list(customer_queries.customers(me, q=text)[:FOUND_MAX])
    for customer in rows:
        customer.masked_phone = customer_queries.masked_phone(customer)
    return rows


def _new_context(me, employee, form: dict, error=None) -> dict:
    kinds = queries.kinds_for(employee.unit)
    return {
        "form": form,
        "error": error,
        "kinds": kinds,
        "channels": Channel.choices,
        "priorities": queries.PRIORITIES,
        "found": _found_customers(me, form.get("find", "")),
        "chosen": _chosen_customer(me, form.get("customer", "")),
    }


def _chosen_customer(me, raw: str):
    if not raw:
        return None
    found = customer_queries.customer(me, raw)  # outside the caller's scope: 404
    found.masked_phone = customer_queries.masked_phone(found)
    return found


@require_http_methods(["GET", "POST"])
@web_view
def new_case(request):
    """CASE-1/2: receive a case; the customer is searched (masked) or typed in as a new contact."""
    me = actor(request)
    employee = access.employee_of(me.principal)
    if not access.can(me, "case.handle") or employee is None:
        return denied(request)
    if request.method == "GET":
        form = {
            "find": request.GET.get("find", "").strip()[:100],
            "customer": request.GET.get("customer", "").strip(),
            "channel": Channel.PHONE,
            "priority": Priority.NORMAL,
            "contact": {},
            "extra": {},
            "token": secrets.token_urlsafe(16),  # one submission, one case (a double click makes none more)
        }
        return render(request, "cases/new.html", _new_context(me, employee, form))
    kinds = queries.kinds_for(employee.unit)
    form = new_case_input(request.POST, kinds)

    def run():
        chosen = _chosen_customer(me, form["customer"])
        if chosen is None and not any(form["contact"].values()):
            raise Invalid(
                "case_contact_required",
                "请选择已有客户或填写联系人（姓名、电话或邮箱）",
                "Choose a customer or type the contact (name, phone or e-mail)",
                {"contact": "required"},
            )
        case, _created = intake.create_case(
            me,
            unit=employee.unit,
            kind=form["kind"],
            channel=form["channel"],
            title=form["title"],
            description=form["description"],
            priority=form["priority"],
            customer=chosen,
            contact=form["contact"],
            extra=form["extra"],
            major=form["major"],
            identity_verified=form["identity_verified"],
            idempotency_key=form["token"],
            idempotency_scope=f"web:{request.user.pk}",
        )
        return case

    return attempt(
        request,
        run,
        success=_("Case received."),
        then=lambda case: case.get_absolute_url(),
        page=lambda error: ("cases/new.html", _new_context(me, employee, form, error)),
    )
