"""Read paths of the archive's care (SEC-4…SEC-9, CUS-6, CUS-8), always within the caller's scope.

Out-of-scope records answer NotFound (404), exactly like missing ones.
"""

from django.db.models import BooleanField, Count, ExpressionWrapper, Q

from kefu.core import audit, clock, decisions
from kefu.core.actor import Actor
from kefu.core.crypto import mask_phone
from kefu.core.errors import DomainError, NotFound
from kefu.customers.governance import claims
from kefu.customers.governance.models import (
    AccessRequest,
    Borrowing,
    DestructionLog,
    DestructionRequest,
    ImportJob,
    ImportStatus,
    MergeRequest,
    SecurityIncident,
)
from kefu.customers.models import Contact, Customer
from kefu.customers.queries import archive, masks
from kefu.engine.workflow import api as workflow
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

FULL_FIELDS = ["phone", "id_number", "address", "emergency_contact"]


def customers(actor: Actor, code: str = "customer.view", **filters):
    """Live (not destroyed) customers the actor may see under permission `code` (the archive's scope),
    narrowed by the customer list's filters (q, tier, audience, stage, owner_id, at_risk, kind)."""
    return archive.customers(actor, code=code, **filters)


def export_contacts():
    """The key persons an export writes (the first one of each customer), for `Prefetch`."""
    return Contact.objects.filter(is_key_person=True).order_by("pk")


def customer(actor: Actor, pk: int, code: str = "customer.view") -> Customer:
    return archive.customer(actor, pk, code=code)


def sees_full(actor: Actor, customer: Customer) -> bool:
    return masks.may_see_full(actor, customer)


def masked_values(customer: Customer, full: bool) -> dict:
    """SEC-2 masking (the archive's own rules) unless `full`; never audits (callers do)."""
    if full:
        return {f: getattr(customer, f) or "" for f in FULL_FIELDS}
    return {
        "phone": mask_phone(customer.phone) if customer.phone else "",
        "id_number": masks.mask_id(customer.id_number),
        "address": masks.mask_address(customer.address),
        "emergency_contact": "****" if customer.emergency_contact else "",
    }


# ---- SEC-4 borrowing and access requests -----------------------------------------------------


def borrowings(actor: Actor):
    """My borrowing cards, plus those of the people in my customer.borrow scope."""
    employee = access.employee_of(actor.principal)
    mine = Q(borrower=employee) if employee else Q(pk__in=[])
    scoped_ids = access.scoped(Borrowing.objects.all(), actor, "customer.borrow").values("pk")
    return Borrowing.objects.filter(mine | Q(pk__in=scoped_ids)).select_related("customer", "borrower")


def borrowing(actor: Actor, pk: int) -> Borrowing:
    found = borrowings(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("借阅记录", "borrowing")
    return found


def open_borrowing(actor: Actor, customer: Customer) -> Borrowing | None:
    employee = access.employee_of(actor.principal)
    if employee is None:
        return None
    return (
        Borrowing.objects.filter(
            borrower=employee, customer=customer, returned_at__isnull=True, due_at__gt=clock.now()
        )
        .order_by("-borrowed_at")
        .first()
    )


def dossier(actor: Actor, customer_id: int) -> dict:
    """The full dossier, for a borrower with an open borrowing card (SEC-4); the read is audited (SEC-5)."""
    found = Customer.objects.filter(pk=customer_id, destroyed_at__isnull=True).select_related("unit").first()
    card = open_borrowing(actor, found) if found is not None else None
    if card is None:
        raise NotFound("借阅中的客户档案", "borrowed dossier")
    audit.record_read(actor, found, fields=FULL_FIELDS, purpose=f"借阅 #{card.pk}：{card.purpose}")
    return {"customer": found, "borrowing": card, **masked_values(found, True)}


def _asked_of(actor: Actor, model) -> list[int]:
    """Ids of `model` records whose approval chain names the actor as an approver."""
    if actor.principal is None:
        return []
    return [int(i) for i in workflow.asked_of(actor.principal, model)]


def access_requests(actor: Actor):
    """My requests, those I am asked to sign, and those in my customer.borrow scope (SEC-4)."""
    employee = access.employee_of(actor.principal)
    mine = Q(requester=employee) if employee else Q(pk__in=[])
    scoped_ids = access.scoped(AccessRequest.objects.all(), actor, "customer.borrow").values("pk")
    visible = mine | Q(pk__in=scoped_ids) | Q(pk__in=_asked_of(actor, AccessRequest))
    return AccessRequest.objects.filter(visible).select_related("requester", "customer")


def access_request(actor: Actor, pk: int) -> AccessRequest:
    found = access_requests(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("查阅申请", "access request")
    return found


# ---- CUS-8 imports ------------------------------------------------------------------------------


def import_units(actor: Actor):
    """The units the actor may import customers into: the active ones in their customer.import scope."""
    return access.scoped(Unit.objects.filter(is_active=True), actor, "customer.import", unit_path="path")


def import_unit(actor: Actor, pk: int) -> Unit:
    """The unit an import names by id, one of `import_units`; NotFound (404) otherwise (issue 12)."""
    found = import_units(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("单位", "unit")
    return found


def import_jobs(actor: Actor):
    """Without the sealed workbooks: `has_report` says whether an error report is there to download."""
    has_report = ExpressionWrapper(Q(error_report__isnull=False), output_field=BooleanField())
    qs = ImportJob.objects.defer("content", "error_report").annotate(has_report=has_report)
    return access.scoped(qs, actor, "customer.import")


def import_job(actor: Actor, pk: int) -> ImportJob:
    # the sealed workbook is not read: the page polls every second while a large import runs
    found = access.scoped(ImportJob.objects.defer("content"), actor, "customer.import").filter(pk=pk).first()
    if found is None:
        raise NotFound("导入任务", "import job")
    return found


def oldest_import_batch():
    """When the oldest import batch being committed now began (None if none is): for /healthz
    (issue 11), through `kefu.core.locks.register_batch_clock`. Not scoped: no personal data, a time."""
    return (
        ImportJob.objects.filter(status=ImportStatus.COMMITTING, batch_started_at__isnull=False)
        .order_by("batch_started_at")
        .values_list("batch_started_at", flat=True)
        .first()
    )


def import_error_report(actor: Actor, pk: int) -> tuple[ImportJob, bytes]:
    """The job's row-by-row error report (.xlsx); once removed after the retention (SEC-1), a 410
    that says when."""
    job = import_job(actor, pk)
    if job.error_report:
        return job, bytes(job.error_report)
    if job.purged_at is not None and job.error_rows:
        day = f"{clock.local(job.purged_at):%Y-%m-%d}"
        raise DomainError(
            "CUS-8.report_purged",
            f"错误报告已于 {day} 按保留期删除（SEC-1）；请修改文件后重新导入以得到新的报告",
            f"The error report was deleted on {day} at the end of its retention period (SEC-1); "
            "import the corrected file again for a new report",
            status=410,
        )
    raise NotFound("错误报告", "error report")


# ---- SEC-8 destruction ---------------------------------------------------------------------------


def _mine_or_asked(actor: Actor, model, code: str):
    """Records of `model` in the actor's `code` scope, plus those the actor requested or must approve."""
    scoped = access.scoped(model.objects.all(), actor, code).values("pk")
    visible = Q(pk__in=scoped) | Q(pk__in=_asked_of(actor, model))
    if actor.principal is not None:
        visible |= Q(requested_by=actor.principal)
    return model.objects.filter(visible)


def destruction_requests(actor: Actor):
    """SEC-8 requests in my customer.destroy scope, plus those I requested or am asked to approve."""
    return _mine_or_asked(actor, DestructionRequest, "customer.destroy").select_related(
        "customer", "requested_by"
    )


def destruction_request(actor: Actor, pk: int) -> DestructionRequest:
    found = destruction_requests(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("销毁申请", "destruction request")
    return found


def destruction_log(actor: Actor):
    return access.scoped(DestructionLog.objects.all(), actor, "customer.destroy")


# ---- SEC-9 incidents --------------------------------------------------------------------------------


def incident_people(actor: Actor):
    """The active employees an incident form offers (SEC-9): in the actor's `security.incident` scope."""
    return access.scoped(
        Employee.objects.filter(status=EmploymentStatus.ACTIVE), actor, "security.incident", owner="pk"
    )


def incident_person(actor: Actor, pk: int) -> Employee:
    """The employee an incident names by id, in the actor's `security.incident` scope, or NotFound (404)."""
    found = access.scoped(Employee.objects.all(), actor, "security.incident").filter(pk=pk).first()
    if found is None:
        raise NotFound("员工", "employee")
    return found


def incidents(actor: Actor):
    return access.scoped(
        SecurityIncident.objects.select_related("person", "recorded_by").prefetch_related("superiors"),
        actor,
        "security.incident",
    ).annotate(customer_count=Count("customers", distinct=True))


def incident(actor: Actor, pk: int) -> SecurityIncident:
    found = incidents(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("安全事件", "security incident")
    return found


# ---- CUS-6 duplicates and merges ----------------------------------------------------------------


def duplicates_of(
    actor: Actor, customer: Customer, code: str = "customer.view"
) -> list[tuple[Customer, str]]:
    """Other live customers in scope matching on phone, name + company or credit code (CUS-6)."""
    others = customers(actor, code).exclude(pk=customer.pk)
    found: dict[int, tuple[Customer, list[str]]] = {}
    checks = []
    if customer.phone_index:
        checks.append(("phone", Q(phone_index=customer.phone_index)))
    if customer.id_index:
        checks.append(("credit_code", Q(id_index=customer.id_index)))
    if customer.company:
        checks.append(("name_company", Q(name=customer.name, company=customer.company)))
    for reason, q in checks:
        for other in others.filter(q):
            found.setdefault(other.pk, (other, []))[1].append(reason)
    return [(c, "+".join(r)) for c, r in found.values()]


def duplicate_groups(actor: Actor, code: str = "customer.merge") -> list[dict]:
    """Pairs of live customers in scope that look like the same customer (CUS-6)."""
    qs = customers(actor, code)
    groups = []
    seen = set()
    for field, label in (("phone_index", "phone"), ("id_index", "credit_code")):
        keys = (
            qs.exclude(**{field: ""})
            .values(field)
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .values_list(field, flat=True)
        )
        for key in keys:
            members = list(qs.filter(**{field: key}).order_by("created_at", "pk"))
            ids = tuple(c.pk for c in members)
            if ids not in seen:
                seen.add(ids)
                groups.append({"reason": label, "customers": members})
    pairs = qs.exclude(company="").values("name", "company").annotate(n=Count("pk")).filter(n__gt=1)
    for pair in pairs:
        members = list(qs.filter(name=pair["name"], company=pair["company"]).order_by("created_at", "pk"))
        ids = tuple(c.pk for c in members)
        if ids not in seen:
            seen.add(ids)
            groups.append({"reason": "name_company", "customers": members})
    return groups


def merge_requests(actor: Actor):
    """CUS-6 requests in my customer.merge scope, plus those I requested or am asked to approve."""
    return _mine_or_asked(actor, MergeRequest, "customer.merge").select_related(
        "survivor", "duplicate", "requested_by"
    )


def merge_request(actor: Actor, pk: int) -> MergeRequest:
    found = merge_requests(actor).filter(pk=pk).first()
    if found is None:
        raise NotFound("合并申请", "merge request")
    return found


def approval_steps(obj):
    """The approval request and steps of a governance request, for its page."""
    request = workflow.latest_approval(obj)
    if request is None:
        return None, []
    steps = request.steps.select_related("decided_by", "on_behalf_of").prefetch_related("approvers")
    return request, list(steps)


def state_history(obj):
    """The record's lifecycle transitions (who, when, from → to, why), oldest first."""
    return list(workflow.history(obj).order_by("at", "id"))


def approval_map(objs, user) -> dict:
    """{obj.pk: {"steps": [...], "mine": pending step the user may decide or None}} in three queries."""
    objs = list(objs)
    if not objs:
        return {}
    requests = workflow.approvals(objs).prefetch_related("steps__approvers")
    result = {}
    for request in requests:
        steps = list(request.steps.all())
        mine = next(
            (s for s in steps if s.status == "pending" and any(u.pk == user.pk for u in s.approvers.all())),
            None,
        )
        result[int(request.object_id)] = {"steps": steps, "mine": mine}
    return result


# ---- CUS-6 claim history kept through merges ------------------------------------------------------


def merged_customer_ids(customer) -> list[int]:
    """The customer's id and those of every customer merged into it, directly or through earlier
    merges (CUS-6: a merge keeps the claim history; the claims stay on the retired duplicate)."""
    ids, frontier = [customer.pk], [customer.pk]
    while frontier:
        found = Customer.objects.filter(merged_into__in=frontier).values_list("pk", flat=True)
        frontier = [pk for pk in found if pk not in ids]
        ids.extend(frontier)
    return ids


def merged_ids(customer: Customer) -> list[int]:
    """The ids of the customers merged into `customer`, directly or through earlier merges."""
    return [pk for pk in merged_customer_ids(customer) if pk != customer.pk]


def merged_customers(actor: Actor, customer_id: int) -> tuple[Customer, list[Customer]]:
    """A live customer in the actor's scope and the retired duplicates merged into it (CUS-6)."""
    found = customer(actor, customer_id)
    return found, list(Customer.objects.filter(pk__in=merged_ids(found)).order_by("pk"))


def claim_history(actor: Actor, customer_id: int):
    """(customer, merged customers, claims): the 报备 history of a live customer in scope, including
    the claims that stayed on the customers merged into it, as far as the actor may see claims."""
    found, merged = merged_customers(actor, customer_id)
    return found, merged, list(claims.claim_history(actor, found)[:200])


def trail(obj) -> dict:
    """Approval steps, state changes and decision records of a request, as plain data (API)."""
    _approval, steps = approval_steps(obj)
    return {
        "steps": [
            {
                "name": s.name,
                "label_zh": s.label_zh,
                "label_en": s.label_en,
                "status": s.status,
                "approvers": sorted(u.get_username() for u in s.approvers.all()),
                "decided_by": s.decided_by.get_username() if s.decided_by else None,
                "on_behalf_of": s.on_behalf_of.get_username() if s.on_behalf_of else None,
                "decided_at": s.decided_at,
                "reason": s.reason,
            }
            for s in steps
        ],
        "history": [
            {
                "transition": c.transition,
                "from_state": c.from_state,
                "to_state": c.to_state,
                "at": c.at,
                "by": c.actor.get_username() if c.actor else None,
                "reason": c.reason,
            }
            for c in state_history(obj)
        ],
        "decisions": decisions.rows(obj),
    }


# The pages of archive management that need a permission of their own (the others — borrowing, access
# requests, destruction, duplicates — open to everyone who reaches archive management).
PAGE_PERMISSIONS = {
    "borrow": "customer.borrow",
    "export": "customer.export",
    "import": "customer.import",
    "destroy": "customer.destroy",
    "merge": "customer.merge",
    "incident": "security.incident",
}


def allowed_pages(actor: Actor) -> dict[str, bool]:
    """{page word: may open it} for the index and the pages' shared links."""
    return {word: access.can(actor, code) for word, code in PAGE_PERMISSIONS.items()}
