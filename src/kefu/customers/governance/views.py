"""Pages under /customers/governance/ (SEC-4…SEC-9, CUS-6, CUS-8): thin, over actions and queries."""

import re

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.customers.governance import actions, forms, queries, sheets
from kefu.org import access
from kefu.web.support import actor, apply_error, denied, is_htmx, web_view


def _need(request, code):
    if not access.can(actor(request), code):
        raise Http404


def _form_error(form, error: DomainError) -> None:
    """A domain error on the form, in the page's language (issue 13)."""
    apply_error(form, error)


def _with_approvals(request, rows):
    rows = list(rows)
    info = queries.approval_map(rows, request.user)
    for row in rows:
        row.approval = info.get(row.pk, {"steps": [], "mine": None})
    return rows


@web_view
def index(request):
    me = actor(request)
    return render(request, "customer_governance/index.html", {"allowed": queries.allowed_pages(me)})


# ---- SEC-4 -------------------------------------------------------------------------------------


@web_view
def borrowings(request):
    me = actor(request)
    form = forms.BorrowForm(request.POST or None)
    if request.method == "POST":
        _need(request, "customer.borrow")
        if form.is_valid():
            data = form.cleaned_data
            try:
                customer = queries.customer(me, data["customer"], code="customer.borrow")
                actions.borrow(me, customer, purpose=data["purpose"], due_at=data["due_at"])
            except DomainError as error:
                if error.status == 403:
                    return denied(request, error)
                _form_error(form, error)
            else:
                messages.success(request, _("The dossier is lent; return it by the due date."))
                return redirect("customer_governance:borrowings")
    context = {
        "form": form,
        "rows": queries.borrowings(me)[:200],
        "now": clock.now(),
        "can_borrow": access.can(me, "customer.borrow"),
    }
    return render(request, "customer_governance/borrowings.html", context)


@web_view
@require_POST
def borrowing_return(request, pk):
    me = actor(request)
    actions.return_borrowing(me, queries.borrowing(me, pk))
    messages.success(request, _("Returned."))
    return redirect("customer_governance:borrowings")


@web_view
def dossier(request, customer_id):
    data = queries.dossier(actor(request), customer_id)
    return render(request, "customer_governance/dossier.html", data)


@web_view
def access_requests(request):
    me = actor(request)
    form = forms.AccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_access(me, kind=form.cleaned_data["kind"], purpose=form.cleaned_data["purpose"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Sent to your department manager for signature."))
            return redirect("customer_governance:access")
    rows = _with_approvals(request, queries.access_requests(me)[:200])
    return render(request, "customer_governance/access.html", {"form": form, "rows": rows})


# ---- SEC-5 export -----------------------------------------------------------------------------------


@web_view
def export(request):
    _need(request, "customer.export")
    me = actor(request)
    if request.method == "POST":
        form = forms.ExportForm(request.POST)
    else:  # from the customer list: its filters, carried by the form
        form = forms.ExportForm(initial={k: request.GET.get(k, "") for k in forms.ExportForm.FILTERS})
    if request.method == "POST" and form.is_valid():
        try:
            content, _count, _note = actions.export_customers(
                me,
                purpose=form.cleaned_data["purpose"],
                external=form.cleaned_data["external"],
                filters=form.filters(),
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            name = "customers-external.xlsx" if form.cleaned_data["external"] else "customers.xlsx"
            return FileResponse(content, as_attachment=True, filename=name, content_type=sheets.XLSX)
    return render(request, "customer_governance/export.html", {"form": form})


# ---- CUS-8 import ---------------------------------------------------------------------------------------


@web_view
def imports(request):
    _need(request, "customer.import")
    me = actor(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None, units=queries.import_units(me))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = actions.start_import(
                me,
                unit=form.cleaned_data["unit"],
                filename=upload.name,
                content=upload.read(),
                existing=form.cleaned_data["existing"],
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("customer_governance:import", pk=job.pk)
    rows = queries.import_jobs(me)[:50]
    return render(request, "customer_governance/imports.html", {"form": form, "rows": rows})


@web_view
def import_detail(request, pk):
    job = queries.import_job(actor(request), pk)
    template = (
        "customer_governance/_import_progress.html" if is_htmx(request) else "customer_governance/import.html"
    )
    retention = actions.import_retention(job) if job.error_report and job.finished_at else None
    context = {
        "job": job,
        "done": job.finished,
        "retention": retention,  # SEC-1: how long the error report is kept, then its deletion date
        "kept_until": job.finished_at + retention.duration() if retention else None,
    }
    return render(request, template, context)


@web_view
def import_errors(request, pk):
    job, report = queries.import_error_report(actor(request), pk)
    response = HttpResponse(report, content_type=sheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.xlsx"'
    return response


@web_view
def import_template(request):
    _need(request, "customer.import")
    response = HttpResponse(sheets.template_workbook(), content_type=sheets.XLSX)
    response["Content-Disposition"] = 'attachment; filename="customers-template.xlsx"'
    return response


# ---- SEC-8 destruction ------------------------------------------------------------------------------------


@web_view
def destruction(request):
    me = actor(request)
    form = forms.DestructionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            customer = queries.customer(me, form.cleaned_data["customer"])
            actions.request_destruction(me, customer, reason=form.cleaned_data["reason"])
        except DomainError as error:
            if error.status == 403:
                return denied(request, error)
            _form_error(form, error)
        else:
            messages.success(request, _("Sent for the three approvals."))
            return redirect("customer_governance:destruction")
    context = {
        "form": form,
        "rows": _with_approvals(request, queries.destruction_requests(me)[:200]),
        "log": queries.destruction_log(me)[:200],
        "can_request": access.can(me, "customer.destroy") or access.can(me, "customer.manage"),
    }
    return render(request, "customer_governance/destruction.html", context)


# ---- SEC-9 incidents ------------------------------------------------------------------------------------------


@web_view
def incidents(request):
    _need(request, "security.incident")
    me = actor(request)
    people = queries.incident_people(me)
    form = forms.IncidentForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            affected = [queries.customer(me, pk) for pk in data["customers"]]
            actions.record_incident(
                me,
                kind=data["kind"],
                occurred_at=data["occurred_at"],
                description=data["description"],
                person=data["person"],
                customers=affected,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Incident recorded."))
            return redirect("customer_governance:incidents")
    return render(
        request, "customer_governance/incidents.html", {"form": form, "rows": queries.incidents(me)[:200]}
    )


# ---- CUS-6 duplicates and merges --------------------------------------------------------------------------------


@web_view
def duplicates(request):
    me = actor(request)
    form = forms.MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survivor = queries.customer(me, data["survivor"])
            duplicate = queries.customer(me, data["duplicate"])
            actions.request_merge(me, survivor, duplicate, reason=data["reason"])
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Merge request sent for approval."))
            return redirect("customer_governance:duplicates")
    context = {
        "form": form,
        "groups": queries.duplicate_groups(me) if access.can(me, "customer.merge") else [],
        "rows": _with_approvals(request, queries.merge_requests(me)[:200]),
    }
    return render(request, "customer_governance/duplicates.html", context)


# ---- deciding approval steps ------------------------------------------------------------------------------------


@web_view
@require_POST
def decide(request, step_id):
    form = forms.DecideForm(request.POST)
    back = request.POST.get("next") or "customer_governance:index"
    if not form.is_valid():
        messages.error(request, _("Choose approve, reject or return."))
    else:
        try:
            actions.decide(
                actor(request), step_id, form.cleaned_data["decision"], reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            if error.status == 404:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("Decision recorded."))
    allowed = {
        "customer_governance:access",
        "customer_governance:destruction",
        "customer_governance:duplicates",
    }
    if DETAIL_PATH.fullmatch(back):  # back to the request's own page
        return redirect(back)
    return redirect(back if back in allowed else "customer_governance:index")


# ---- request detail pages: the approval steps, the state and "为什么" ------------------------------------

DETAIL_PATH = re.compile(r"/customers/governance/(duplicates|destruction|access)/\d+/")


STEP_STATUS = {
    "waiting": _lazy("Waiting"),
    "pending": _lazy("Awaiting decision"),
    "approved": _lazy("Approved"),
    "rejected": _lazy("Rejected"),
    "returned": _lazy("Returned"),
    "cancelled": _lazy("Cancelled"),
}


def _fact(label, value="", *, when=None, link=""):
    return {"label": label, "value": value, "when": when, "link": link}


def _request_page(request, obj, *, title, kind, facts, back):
    approval, steps = queries.approval_steps(obj)
    mine = next(
        (
            s
            for s in steps
            if s.status == "pending" and any(u.pk == request.user.pk for u in s.approvers.all())
        ),
        None,
    )
    if kind == "borrowing":
        state_code = "returned" if obj.returned_at else "overdue" if obj.due_at <= clock.now() else "lent"
        status = {"returned": _("Returned"), "overdue": _("Overdue"), "lent": _("Lent")}[state_code]
    else:
        state_code, status = obj.state, obj.get_state_display()
    for step in steps:
        step.status_label = STEP_STATUS.get(step.status, step.status)
    context = {
        "obj": obj,
        "title": title,
        "state_code": state_code,
        "status": status,
        "kind": kind,
        "facts": facts,
        "approval": approval,
        "steps": steps,
        "mine": mine,
        "history": queries.state_history(obj),
        "back": reverse(f"customer_governance:{back}"),
        "here": request.path,
    }
    return render(request, "customer_governance/request.html", context)


@web_view
def merge_detail(request, pk):
    row = queries.merge_request(actor(request), pk)
    facts = [
        _fact(_("Keep"), f"#{row.survivor_id} {row.survivor.name}"),
        _fact(_("Merge into it"), f"#{row.duplicate_id} {row.duplicate.name}"),
        _fact(_("Reason"), row.reason),
        _fact(_("Requested by"), row.requested_by.get_username()),
        _fact(_("Requested"), when=row.created_at),
        _fact(
            _("Claim history"),
            _("Claims of the customers merged into it"),
            link=reverse("customer_governance:claim_history", args=[row.survivor_id]),
        ),
    ]
    title = _("Merge request #%(number)s") % {"number": row.pk}
    return _request_page(request, row, title=title, kind="merge", facts=facts, back="duplicates")


@web_view
def destruction_detail(request, pk):
    row = queries.destruction_request(actor(request), pk)
    log = getattr(row, "log", None) if row.state == "done" else None
    facts = [
        _fact(_("Customer number"), f"#{row.customer_id}"),
        _fact(_("Reason"), row.reason),
        _fact(_("Requested by"), row.requested_by.get_username()),
        _fact(_("Requested"), when=row.created_at),
    ]
    if log is not None:
        facts.append(_fact(_("Destroyed"), when=log.destroyed_at))
    title = _("Destruction request #%(number)s") % {"number": row.pk}
    return _request_page(request, row, title=title, kind="destruction", facts=facts, back="destruction")


@web_view
def access_detail(request, pk):
    row = queries.access_request(actor(request), pk)
    facts = [
        _fact(_("Requester"), row.requester.name),
        _fact(_("What to consult"), row.get_kind_display()),
        _fact(_("Purpose"), row.purpose),
        _fact(_("Requested"), when=row.created_at),
    ]
    if row.customer_id:
        facts.insert(2, _fact(_("Customer number"), f"#{row.customer_id}"))
    title = _("Access request #%(number)s") % {"number": row.pk}
    return _request_page(request, row, title=title, kind="access", facts=facts, back="access")


@web_view
def borrowing_detail(request, pk):
    row = queries.borrowing(actor(request), pk)
    facts = [
        _fact(_("Borrower"), row.borrower.name),
        _fact(_("Customer number"), f"#{row.customer_id}"),
        _fact(_("Purpose"), row.purpose),
        _fact(_("From"), when=row.borrowed_at),
        _fact(_("Return by"), when=row.due_at),
        _fact(_("Returned"), "—" if row.returned_at is None else "", when=row.returned_at),
    ]
    title = _("Borrowing card #%(number)s") % {"number": row.pk}
    return _request_page(request, row, title=title, kind="borrowing", facts=facts, back="borrowings")


# ---- CUS-6 claim history kept through merges ------------------------------------------------------------


@web_view
def claim_history(request, customer_id):
    customer, merged, claims = queries.claim_history(actor(request), customer_id)
    context = {"customer": customer, "merged": merged, "claims": claims}
    return render(request, "customer_governance/claim_history.html", context)
