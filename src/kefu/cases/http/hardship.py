"""逾期报备 (HRD-1) under /api/v1/cases: record a report, read it, log a call (multipart, optional
recording), listen to a recording (audited). A case outside the caller's scope answers 404; a call
outside the customer's window, or to anyone but the customer or their declared emergency contact,
answers 400 with the seed's clause."""

from django.http import FileResponse
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kefu.cases.actions import hardship as actions_hardship
from kefu.cases.http.schemas.hardship import HardshipCallForm, HardshipCallOut, HardshipIn, HardshipOut
from kefu.cases.queries import hardship as hardship_queries
from kefu.cases.queries import intake as queries
from kefu.core import sealed
from kefu.core.http_support import Pagination, actor

router = Router(tags=["cases"])
NO_RECORDING = File(None)  # the recording is optional


@router.post(
    "/hardship", response={201: HardshipOut}, summary="HRD-1 record a 逾期报备 (a case of kind hardship)"
)
def create_hardship(request, payload: HardshipIn):
    current = actor(request)
    unit = queries.receiving_unit(current, payload.unit_id)
    data = payload.model_dump(exclude={"unit_id"})
    # the recorder gets the report back even when routing (ROUTE-1) gave the case to someone else
    return Status(201, actions_hardship.create_report(current, unit=unit, **data))


@router.get(
    "/hardship", response=list[HardshipOut], summary="HRD-1 the open 逾期报备 in scope, nearest overdue first"
)
@paginate(Pagination)
def list_hardship(request, open: bool = True):
    return hardship_queries.reports(actor(request), open_only=open)


@router.get("/{int:case_id}/hardship", response=HardshipOut, summary="HRD-1 the 逾期报备 of a case")
def get_hardship(request, case_id: int):
    return hardship_queries.report(actor(request), case_id)


@router.get(
    "/{int:case_id}/hardship/calls",
    response=list[HardshipCallOut],
    summary="HRD-1 the calls logged on a report",
)
def hardship_calls(request, case_id: int):
    return list(hardship_queries.calls(hardship_queries.report(actor(request), case_id)))


@router.post(
    "/{int:case_id}/hardship/calls",
    response={201: HardshipCallOut},
    summary="HRD-1 log an outbound call (multipart; optional audio `recording`): only inside the "
    "customer's window, only to the customer or — once they could not be reached — their emergency contact",
)
def log_hardship_call(
    request, case_id: int, payload: Form[HardshipCallForm], recording: UploadedFile | None = NO_RECORDING
):
    current = actor(request)
    report = hardship_queries.report(current, case_id)
    call = actions_hardship.log_call(current, report, recording=recording, **payload.model_dump())
    return Status(201, call)


@router.get(
    "/{int:case_id}/hardship/recordings/{int:attachment_id}",
    summary="HRD-1 listen to a recording of the report (scoped; every listen audited)",
    description="Answers the audio inline with its whitelisted content type.",
)
def hardship_recording(request, case_id: int, attachment_id: int):
    current = actor(request)
    report = hardship_queries.report(current, case_id)
    row = hardship_queries.recording(report, attachment_id)
    actions_hardship.listened(current, report, row)
    response = FileResponse(sealed.open_stored(row.file), filename=row.name, content_type=row.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
