"""Review under /api/v1/vendors/filings (VEN-1): asking for a supplement (reason, materials wanted; the
deadline from the pack), answering it (the vendor's side), approving (certificate) and rejecting."""

from ninja import Router

from kefu.core.http_support import actor
from kefu.vendors.actions import reviews as actions
from kefu.vendors.http.filings import full
from kefu.vendors.http.schemas import VendorFilingOut, VendorNoteIn, VendorReasonIn, VendorSupplementIn
from kefu.vendors.queries import filings as queries

router = Router(tags=["vendors"])


@router.post("/{int:filing_id}/supplements", response=VendorFilingOut, summary="Ask for a supplement (VEN-1)")
def request_supplement(request, filing_id: int, payload: VendorSupplementIn):
    me = actor(request)
    actions.request_supplement(me, queries.filing(me, filing_id), reason=payload.reason, kinds=payload.kinds)
    return full(queries.filing(me, filing_id))


@router.post(
    "/{int:filing_id}/supplements/answer",
    response=VendorFilingOut,
    summary="Answer the open supplement request (its files uploaded first) (VEN-1)",
)
def answer_supplement(request, filing_id: int, payload: VendorNoteIn):
    me = actor(request)
    actions.answer_supplement(me, queries.filing(me, filing_id), note=payload.note)
    return full(queries.filing(me, filing_id))


@router.post(
    "/{int:filing_id}/approve", response=VendorFilingOut, summary="Approve: issue the certificate (VEN-1)"
)
def approve(request, filing_id: int, payload: VendorNoteIn):
    me = actor(request)
    actions.approve(me, queries.filing(me, filing_id), note=payload.note)
    return full(queries.filing(me, filing_id))


@router.post("/{int:filing_id}/reject", response=VendorFilingOut, summary="Reject with a reason (VEN-1)")
def reject(request, filing_id: int, payload: VendorReasonIn):
    me = actor(request)
    actions.reject(me, queries.filing(me, filing_id), reason=payload.reason)
    return full(queries.filing(me, filing_id))
