"""After approval, under /api/v1/vendors/filings (VEN-1): periodic reports, the review of a late report
(reinstate or not) and inspections."""

from ninja import Router, Status

from kefu.core.http_support import actor
from kefu.vendors.actions import supervision as actions
from kefu.vendors.http.filings import full
from kefu.vendors.http.schemas import (
    VendorFilingOut,
    VendorInspectionIn,
    VendorInspectionOut,
    VendorReportDecisionIn,
    VendorReportIn,
    VendorReportOut,
)
from kefu.vendors.queries import filings as queries

router = Router(tags=["vendors"])


@router.post(
    "/{int:filing_id}/reports", response={201: VendorReportOut}, summary="Submit a periodic report (VEN-1)"
)
def submit_report(request, filing_id: int, payload: VendorReportIn):
    me = actor(request)
    found = queries.filing(me, filing_id)
    return Status(201, actions.submit_report(me, found, **payload.dict()))


@router.post(
    "/{int:filing_id}/late-report/review",
    response=VendorFilingOut,
    summary="Review the lapsed filing's late report: reinstate the filing or not (VEN-1)",
)
def review_report(request, filing_id: int, payload: VendorReportDecisionIn):
    me = actor(request)
    found = queries.filing(me, filing_id)
    report = queries.pending_report(found)
    if payload.reinstate:
        actions.reinstate(me, found, report, note=payload.note)
    else:
        actions.refuse(me, found, report, reason=payload.note)
    return full(queries.filing(me, filing_id))


@router.post(
    "/{int:filing_id}/inspections",
    response={201: VendorInspectionOut},
    summary="Record an inspection (VEN-1)",
)
def record_inspection(request, filing_id: int, payload: VendorInspectionIn):
    me = actor(request)
    found = queries.filing(me, filing_id)
    return Status(201, actions.record_inspection(me, found, result=payload.result, note=payload.note))
