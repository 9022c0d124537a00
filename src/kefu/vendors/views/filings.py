"""外包客服备案 pages (VEN-1): the filings of my scope with the form for a new one, a filing's page — its
materials (upload, view: audited), submission, the review (supplement, approve, reject), the vendor's
supplement, the certificate and its PDF, periodic reports and inspections — and the "为什么" panel."""

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kefu.core import sealed
from kefu.core.errors import DomainError
from kefu.org import access
from kefu.vendors.actions import filings as actions
from kefu.vendors.actions import reviews as review_actions
from kefu.vendors.actions import supervision as supervision_actions
from kefu.vendors.exports import certificates as exports
from kefu.vendors.models import FilingStatus, InspectionResult, MaterialKind
from kefu.vendors.queries import filings as queries
from kefu.web import printing
from kefu.web.support import actor, web_view

FILING_FIELDS = ("name", "credit_code", "registered_capital", "contact_name", "contact_phone", "unit")


def _may_see(me) -> None:
    if not any(access.can(me, code) for code in (queries.VIEW, queries.MANAGE, queries.REVIEW)):
        access.require(me, queries.VIEW)


@web_view
def filings(request):
    me = actor(request)
    _may_see(me)
    status = request.GET.get("status", "")
    units = queries.subsidiaries_for(me)
    values = {k: request.POST.get(k, "") for k in FILING_FIELDS} if request.method == "POST" else {}
    if request.method == "POST":
        try:
            found = actions.create(
                me,
                unit=queries.subsidiary_named(request.POST.get("unit")),
                **{k: request.POST.get(k, "") for k in FILING_FIELDS if k != "unit"},
            )
        except DomainError as error:
            if error.status == 403:
                raise
            messages.error(request, error.message)
        else:
            messages.success(request, _("The filing is entered: upload its materials, then submit it."))
            return redirect(reverse("vendors:filing", args=[found.pk]))
    context = {
        "rows": list(queries.filings(me, status=status)[:200]),
        "status": status,
        "statuses": FilingStatus.choices,
        "units": units,
        "values": values,
    }
    return render(request, "vendors/filings.html", context)


def _act(request, me, found):
    """One POSTed form of the filing's page; returns the success message."""
    form = request.POST.get("form", "")
    if form == "material":
        actions.add_material(me, found, kind=request.POST.get("kind"), upload=request.FILES.get("file"))
        return _("The material is uploaded.")
    if form == "submit":
        actions.submit(me, found)
        return _("The filing is submitted for review.")
    if form == "supplement":
        review_actions.request_supplement(
            me, found, reason=request.POST.get("reason", ""), kinds=request.POST.getlist("kinds")
        )
        return _("The supplement request is sent.")
    if form == "answer":
        review_actions.answer_supplement(me, found, note=request.POST.get("note", ""))
        return _("The supplement is submitted for review.")
    if form == "approve":
        certificate = review_actions.approve(me, found, note=request.POST.get("note", ""))
        return _("The filing is approved: certificate %(n)s.") % {"n": certificate.number}
    if form == "reject":
        review_actions.reject(me, found, reason=request.POST.get("reason", ""))
        return _("The filing is rejected.")
    if form == "report":
        supervision_actions.submit_report(
            me,
            found,
            summary=request.POST.get("summary", ""),
            revenue=request.POST.get("revenue", ""),
            staff_count=request.POST.get("staff_count", ""),
        )
        return _("The report is submitted.")
    if form in ("reinstate", "refuse"):
        report = queries.report(found, request.POST.get("report"))
        if form == "reinstate":
            supervision_actions.reinstate(me, found, report, note=request.POST.get("note", ""))
            return _("The filing is reinstated with a new certificate.")
        supervision_actions.refuse(me, found, report, reason=request.POST.get("note", ""))
        return _("The late report is not accepted: the filing stays lapsed.")
    if form == "inspection":
        supervision_actions.record_inspection(
            me, found, result=request.POST.get("result", ""), note=request.POST.get("note", "")
        )
        return _("The inspection is recorded.")
    return None


@web_view
def filing(request, pk: int):
    me = actor(request)
    found = queries.filing(me, pk)
    if request.method == "POST":
        try:
            done = _act(request, me, found)
        except DomainError as error:
            if error.status in (403, 404):
                raise
            messages.error(request, error.message)
        else:
            if done:
                messages.success(request, done)
        return redirect(reverse("vendors:filing", args=[found.pk]))
    may_manage = queries.may(me, queries.MANAGE, found)
    may_review = queries.may(me, queries.REVIEW, found)
    context = {
        "filing": found,
        "materials": queries.materials_by_kind(found),
        "missing": [MaterialKind(k).label for k in queries.missing(found)],
        "supplement": queries.open_supplement(found),
        "supplements": list(found.supplements.all()),
        "certificates": list(found.certificates.all()),
        "certificate": queries.valid_certificate(found),
        "next_due": queries.next_due(found),
        "dues": list(found.dues.all()),
        "reports": list(found.reports.select_related("due")),
        "pending_reports": queries.pending_reports(found),
        "next_inspection": queries.next_inspection(found),
        "inspections": [i for i in found.inspections.all() if i.done_at],
        "kinds": MaterialKind.choices,
        "results": InspectionResult.choices,
        "may_manage": may_manage,
        "may_review": may_review,
        "editable": found.status in (FilingStatus.DRAFT, FilingStatus.RETURNED, FilingStatus.SUPPLEMENT),
        "S": {s.name: s.value for s in FilingStatus},
    }
    return render(request, "vendors/filing.html", context)


@web_view
def material(request, pk: int, material: int):
    """A material's file, opened from its sealed store (SEC-1), audited (SEC-5); 404 outside the scope."""
    me = actor(request)
    row = queries.material(queries.filing(me, pk), material)
    actions.material_viewed(me, row)
    response = FileResponse(sealed.open_stored(row.file), as_attachment=False, filename=row.name)
    response["Content-Type"] = row.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@web_view
def certificate_pdf(request, pk: int):
    found = queries.filing(actor(request), pk)
    row = queries.certificate(found)
    response = HttpResponse(exports.certificate_pdf(found, row), content_type=printing.PDF)
    response["Content-Disposition"] = f'attachment; filename="{row.number}.pdf"'
    return response
