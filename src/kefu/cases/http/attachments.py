"""Files of a case under /api/v1/cases/{id}/attachments: the list, the upload (size limit from policy
`cases.attachment_max_size`, types from a whitelist) and the audited download. Out of scope: 404."""

from django.http import FileResponse
from ninja import File, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kefu.cases.actions import attachments as actions_attachments
from kefu.cases.http.intake import CasePagination, Listed
from kefu.cases.http.schemas.intake import AttachmentOut
from kefu.cases.queries import intake as queries
from kefu.core import sealed
from kefu.core.http_support import actor

router = Router()  # tagged "cases" by the router it hangs below


@router.get("/{int:case_id}/attachments", response=list[AttachmentOut], summary="Files attached to the case")
@paginate(CasePagination)
def list_attachments(request, case_id: int):
    case = queries.case(actor(request), case_id)
    return Listed(case.attachments.select_related("uploaded_by__employee"), list)


@router.post(
    "/{int:case_id}/attachments",
    response={201: AttachmentOut},
    summary="Attach a file (multipart `file`): size limit from policy cases.attachment_max_size, "
    "types from a whitelist (pdf, images, txt/csv, Office)",
)
def add_attachment(request, case_id: int, file: File[UploadedFile]):
    current = actor(request)
    row = actions_attachments.attach(current, queries.case(current, case_id), file)
    return Status(201, row)


@router.get(
    "/{int:case_id}/attachments/{int:attachment_id}/download",
    summary="Download a file of the case (scoped; audited)",
    description="Answers the file as an attachment with its whitelisted content type.",
)
def download_attachment(request, case_id: int, attachment_id: int):
    current = actor(request)
    case = queries.case(current, case_id)
    row = queries.attachment(case, attachment_id)
    actions_attachments.downloaded(current, row)
    response = FileResponse(
        sealed.open_stored(row.file), as_attachment=True, filename=row.name, content_type=row.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
