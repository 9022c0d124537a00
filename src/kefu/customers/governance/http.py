"""Archive-care API under /api/v1/customers/governance (SEC-4…SEC-9, CUS-6, CUS-8).

Reads go through the scoped queries (out of scope answers 404), writes through the actions.
"""

from typing import Literal

from django.http import FileResponse, HttpResponse
from ninja import File, Form, Router, Status, UploadedFile
from ninja.pagination import paginate

from kefu.core.http_support import Pagination, actor
from kefu.customers.governance import actions, queries, sheets
from kefu.customers.governance.schemas import (
    AccessDetailOut,
    AccessIn,
    AccessOut,
    BorrowIn,
    BorrowingDetailOut,
    BorrowingOut,
    ClaimHistoryOut,
    DecideIn,
    DestructionDetailOut,
    DestructionIn,
    DestructionLogOut,
    DestructionOut,
    ExportIn,
    ImportJobOut,
    IncidentIn,
    IncidentOut,
    MergeDetailOut,
    MergeIn,
    MergeOut,
)

router = Router(tags=["customer governance"])


def _xlsx(content: bytes, name: str, **headers) -> HttpResponse:
    response = HttpResponse(content, content_type=sheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    for key, value in headers.items():
        response[key] = value
    return response


def _detail(obj, schema) -> dict:
    """The request as `schema` serialises it, with its approval steps, state changes and decisions."""
    return {**schema.model_validate(obj).model_dump(), **queries.trail(obj)}


def _listed_and_one(kind: tuple, *, names: tuple[str, str], summaries: tuple[str, str]):
    """The routes of a kind of request, `kind` = (path, list schema, detail schema, many, one): those
    the caller may see (`many`, paged) at `path`, and one of them by id (`one`, 404 out of scope) with
    its trail at `path/{pk}`. `names` are the operations' names (their OpenAPI ids and URL names, as
    when each was written out on its own)."""
    path, out, detail_out, many, one = kind

    @paginate(Pagination)
    def listed(request):
        return many(actor(request))

    def shown(request, pk: int):
        return _detail(one(actor(request), pk), out)

    for view, route, response, name, summary in (
        (listed, path, list[out], names[0], summaries[0]),
        (shown, f"{path}/{{pk}}", detail_out, names[1], summaries[1]),
    ):
        operation_id = f"kefu_customers_governance_http_{name}"
        router.get(route, response=response, summary=summary, operation_id=operation_id, url_name=name)(view)


# ---- SEC-4 ------------------------------------------------------------------------------------


_listed_and_one(
    ("/borrowings", BorrowingOut, BorrowingDetailOut, queries.borrowings, queries.borrowing),
    names=("list_borrowings", "get_borrowing"),
    summaries=("Borrowing cards (SEC-4)", "A borrowing card with why (SEC-4)"),
)


@router.post("/borrowings", response={201: BorrowingOut}, summary="Borrow a full dossier (SEC-4)")
def create_borrowing(request, payload: BorrowIn):
    me = actor(request)
    customer = queries.customer(me, payload.customer_id, code="customer.borrow")
    return Status(201, actions.borrow(me, customer, purpose=payload.purpose, due_at=payload.due_at))


@router.post("/borrowings/{pk}/return", response=BorrowingOut, summary="Return a dossier (SEC-4)")
def return_borrowing(request, pk: int):
    me = actor(request)
    return actions.return_borrowing(me, queries.borrowing(me, pk))


_listed_and_one(
    ("/access-requests", AccessOut, AccessDetailOut, queries.access_requests, queries.access_request),
    names=("list_access", "get_access"),
    summaries=("Access requests (SEC-4)", "An access request: steps, state, why (SEC-4)"),
)


@router.post("/access-requests", response={201: AccessOut}, summary="Ask to consult (SEC-4)")
def create_access(request, payload: AccessIn):
    me = actor(request)
    customer = queries.customer(me, payload.customer_id) if payload.customer_id else None
    return Status(
        201, actions.request_access(me, kind=payload.kind, purpose=payload.purpose, customer=customer)
    )


# ---- SEC-5 export -------------------------------------------------------------------------------


@router.post("/exports", summary="Export customers as .xlsx (SEC-5), audited")
def create_export(request, payload: ExportIn):
    filters = payload.model_dump(include={"q", "tier", "audience", "stage", "kind", "owner_id", "at_risk"})
    content, count, _note = actions.export_customers(
        actor(request), purpose=payload.purpose, external=payload.external, filters=filters
    )
    response = FileResponse(content, as_attachment=True, filename="customers.xlsx", content_type=sheets.XLSX)
    response["X-Kefu-Export-Count"] = str(count)
    return response


# ---- CUS-8 import -----------------------------------------------------------------------------------


@router.post("/imports", response={202: ImportJobOut}, summary="Upload an .xlsx to import (CUS-8)")
def create_import(
    request,
    unit_id: Form[int],
    existing: Form[Literal["skip", "update"]],
    file: File[UploadedFile],
):
    """`existing`: what to do with a row already in the archive (its 编号, phone or ID): `skip` it or
    `update` the customer with the row's filled cells."""
    me = actor(request)
    unit = queries.import_unit(me, unit_id)  # out of the importer's scope: 404
    job = actions.start_import(
        me, unit=unit, filename=file.name or "upload.xlsx", content=file.read(), existing=existing
    )
    return Status(202, job)


@router.get("/imports", response=list[ImportJobOut], summary="Import jobs (CUS-8)")
@paginate(Pagination)
def list_imports(request):
    return queries.import_jobs(actor(request))


@router.get("/imports/{pk}", response=ImportJobOut, summary="Poll an import (CUS-8)")
def get_import(request, pk: int):
    return queries.import_job(actor(request), pk)


@router.get(
    "/imports/{pk}/errors",
    summary="The row-by-row error report (.xlsx)",
    description="410 `CUS-8.report_purged` once the report was deleted after "
    "customers.import_copy_retention (SEC-1); the job's `purged_at` says when.",
)
def import_errors(request, pk: int):
    job, report = queries.import_error_report(actor(request), pk)
    return _xlsx(report, f"import-{job.pk}-errors.xlsx")


# ---- SEC-8 destruction ---------------------------------------------------------------------------------


_listed_and_one(
    (
        "/destruction-requests",
        DestructionOut,
        DestructionDetailOut,
        queries.destruction_requests,
        queries.destruction_request,
    ),
    names=("list_destruction", "get_destruction"),
    summaries=(
        "Destruction requests (SEC-8)",
        "A destruction request: the three approvals, state, why (SEC-8)",
    ),
)


@router.post("/destruction-requests", response={201: DestructionOut}, summary="Request destruction (SEC-8)")
def create_destruction(request, payload: DestructionIn):
    me = actor(request)
    customer = queries.customer(me, payload.customer_id)
    return Status(201, actions.request_destruction(me, customer, reason=payload.reason))


@router.get("/destruction-log", response=list[DestructionLogOut], summary="The destruction log (SEC-8)")
@paginate(Pagination)
def list_destruction_log(request):
    return queries.destruction_log(actor(request))


@router.post("/steps/{step_id}/decide", summary="Decide an approval step; final approvals are carried out")
def decide(request, step_id: int, payload: DecideIn):
    step = actions.decide(actor(request), step_id, payload.decision, reason=payload.reason)
    return {"step": step.pk, "status": step.status}


# ---- SEC-9 incidents -----------------------------------------------------------------------------------


@router.get("/incidents", response=list[IncidentOut], summary="Security incidents (SEC-9)")
@paginate(Pagination)
def list_incidents(request):
    return queries.incidents(actor(request)).prefetch_related("customers")


@router.post("/incidents", response={201: IncidentOut}, summary="Record a security incident (SEC-9)")
def create_incident(request, payload: IncidentIn):
    me = actor(request)
    person = queries.incident_person(me, payload.person_id)
    affected = [queries.customer(me, pk) for pk in payload.customer_ids]
    incident = actions.record_incident(
        me,
        kind=payload.kind,
        occurred_at=payload.occurred_at,
        description=payload.description,
        person=person,
        customers=affected,
    )
    return Status(201, incident)


# ---- CUS-6 merges --------------------------------------------------------------------------------------


_listed_and_one(
    ("/merge-requests", MergeOut, MergeDetailOut, queries.merge_requests, queries.merge_request),
    names=("list_merges", "get_merge"),
    summaries=("Merge requests (CUS-6)", "A merge request: steps, state, why (CUS-6)"),
)


@router.post("/merge-requests", response={201: MergeOut}, summary="Request a merge (CUS-6)")
def create_merge(request, payload: MergeIn):
    me = actor(request)
    survivor = queries.customer(me, payload.survivor_id)
    duplicate = queries.customer(me, payload.duplicate_id)
    return Status(201, actions.request_merge(me, survivor, duplicate, reason=payload.reason))


@router.get(
    "/customers/{customer_id}/claim-history",
    response=ClaimHistoryOut,
    summary="报备 history of a customer, with the claims of the customers merged into it (CUS-6)",
)
def claim_history(request, customer_id: int):
    customer, merged, claims = queries.claim_history(actor(request), customer_id)
    return {
        "customer_id": customer.pk,
        "merged_customer_ids": [m.pk for m in merged],
        "claims": [
            {
                "id": c.pk,
                "customer_id": c.customer_id,
                "merged": c.customer_id != customer.pk,
                "owner": c.owner.name,
                "kind": c.kind,
                "state": c.state,
                "registered_at": c.registered_at,
                "protected_until": c.protected_until,
            }
            for c in claims
        ],
    }
