"""Filings and their materials under /api/v1/vendors/filings (VEN-1): my scope's filings, one with its
materials, supplements, certificates, reports, inspections and decisions; entering a filing, uploading a
material (multipart; PDF, JPEG or PNG), submitting it; a material's file (audited); the certificate PDF."""

from django.http import FileResponse, HttpResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kefu.core import decisions, sealed
from kefu.core.http_support import Pagination, actor
from kefu.vendors.actions import filings as actions
from kefu.vendors.exports import certificates as exports
from kefu.vendors.http.schemas import VendorFilingIn, VendorFilingListOut, VendorFilingOut, VendorMaterialOut
from kefu.vendors.queries import filings as queries
from kefu.web import printing

router = Router(tags=["vendors"])


def full(found):
    found.missing_rows = queries.missing(found)
    found.material_rows = list(found.materials.all())
    found.supplement_rows = list(found.supplements.all())
    found.certificate_rows = list(found.certificates.all())
    found.due_rows = list(found.dues.all())
    found.report_rows = list(found.reports.all())
    found.inspection_rows = list(found.inspections.all())
    found.decision_rows = decisions.rows(found)
    return found


@router.get("", response=list[VendorFilingListOut], summary="Vendor filings of my scope (VEN-1)")
@paginate(Pagination)
def list_filings(request, status: str = ""):
    return queries.filings(actor(request), status=status)


@router.get(
    "/{int:filing_id}", response=VendorFilingOut, summary="One vendor filing with everything about it"
)
def get_filing(request, filing_id: int):
    return full(queries.filing(actor(request), filing_id))


@router.post("", response={201: VendorFilingOut}, summary="Enter a vendor filing in draft (VEN-1)")
def create_filing(request, payload: VendorFilingIn):
    me = actor(request)
    data = payload.dict()
    unit = queries.subsidiary_named(data.pop("unit_id"), "unit_id")
    found = actions.create(me, unit=unit, **data)
    return Status(201, full(queries.filing(me, found.pk)))


@router.post(
    "/{int:filing_id}/materials",
    response={201: VendorMaterialOut},
    summary="Upload a material (multipart `file` and `kind`; PDF, JPEG or PNG) (VEN-1)",
)
def add_material(request, filing_id: int, kind: Form[str], file: File[UploadedFile]):
    me = actor(request)
    return Status(201, actions.add_material(me, queries.filing(me, filing_id), kind=kind, upload=file))


@router.get(
    "/{int:filing_id}/materials/{int:material_id}",
    summary="A material's file (scoped; audited)",
    description="Answers the file with its sniffed content type.",
)
def material(request, filing_id: int, material_id: int):
    me = actor(request)
    row = queries.material(queries.filing(me, filing_id), material_id)
    actions.material_viewed(me, row)
    response = FileResponse(sealed.open_stored(row.file), as_attachment=False, filename=row.name)
    response["Content-Type"] = row.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post(
    "/{int:filing_id}/submit", response=VendorFilingOut, summary="Submit for review (every material there)"
)
def submit(request, filing_id: int):
    me = actor(request)
    actions.submit(me, queries.filing(me, filing_id))
    return full(queries.filing(me, filing_id))


@router.get(
    "/{int:filing_id}/certificate.pdf",
    summary="The filing's certificate as PDF (VEN-1)",
    description="The valid certificate, or the latest one marked 失效.",
)
def certificate_pdf(request, filing_id: int):
    found = queries.filing(actor(request), filing_id)
    row = queries.certificate(found)
    response = HttpResponse(exports.certificate_pdf(found, row), content_type=printing.PDF)
    response["Content-Disposition"] = f'attachment; filename="{row.number}.pdf"'
    return response
