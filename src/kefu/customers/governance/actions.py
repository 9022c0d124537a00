"""The only state changes of the archive's care (SEC-4…SEC-9, CUS-6, CUS-8).

Each action checks permission and policy, writes, audits and notifies in one transaction.
"""

from datetime import datetime

from django.db import transaction
from django_tasks import task

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.decisions import record_from_entry
from kefu.core.errors import Conflict, DomainError, Invalid, NotFound
from kefu.customers import actions as customers_actions
from kefu.customers.governance import queries, sheets
from kefu.customers.governance.lifecycle import ACCESS, DESTRUCTION, MERGE
from kefu.customers.governance.models import (
    AccessKind,
    AccessRequest,
    Borrowing,
    DestructionLog,
    DestructionRequest,
    ImportJob,
    ImportStatus,
    IncidentKind,
    MergeRequest,
    RequestState,
    SecurityIncident,
)
from kefu.customers.models import AudienceCategory, Contact, Customer
from kefu.engine.policy.api import lookup
from kefu.engine.workflow import actions as workflow
from kefu.engine.workflow import approvals
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

ID_KIND = "id"  # blind-index kind of 身份证号 / 统一社会信用代码


def _purpose(text: str, field: str = "purpose") -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(f"{field}_required", "请填写用途或原因", "A purpose is required", {field: "required"})
    return text[:500]


def _employee(actor: Actor) -> Employee:
    employee = access.employee_of(actor.principal)
    if employee is None:
        raise Invalid("no_employee", "您的账号未关联员工", "Your account is not linked to an employee")
    return employee


# ---- SEC-4 borrowing ------------------------------------------------------------------------------


def borrow(actor: Actor, customer: Customer, *, purpose: str, due_at: datetime) -> Borrowing:
    """Open a 借阅卡: only 经理及以上 (`customer.borrow`) over the customer's unit (SEC-4)."""
    access.require(actor, "customer.borrow")
    if not access.record_in_scope(actor, "customer.borrow", unit=customer.unit, owner_id=customer.owner_id):
        raise NotFound("客户", "customer")
    purpose = _purpose(purpose)
    now = clock.now()
    if due_at <= now:
        raise Invalid(
            "SEC-4.due",
            "归还日期须晚于现在（SEC-4）",
            "The due date must be in the future (SEC-4)",
            {"due_at": "past"},
        )
    with transaction.atomic():
        card = Borrowing.objects.create(
            customer=customer,
            borrower=_employee(actor),
            unit=customer.unit,
            purpose=purpose,
            borrowed_at=now,
            due_at=due_at,
        )
        audit.record(
            actor,
            "customer.borrow",
            customer,
            reason=purpose,
            after={"borrowing": card.pk, "due_at": due_at.isoformat()},
        )
    return card


def return_borrowing(actor: Actor, card: Borrowing) -> Borrowing:
    with transaction.atomic():
        card = Borrowing.objects.select_for_update().get(pk=card.pk)
        if card.returned_at is not None:
            raise Conflict("SEC-4.returned", "该档案已归还", "This dossier was already returned")
        employee = access.employee_of(actor.principal)
        if card.borrower_id != getattr(employee, "pk", None) and not access.record_in_scope(
            actor, "customer.borrow", unit=card.unit, owner_id=None
        ):
            raise NotFound("借阅记录", "borrowing")
        card.returned_at = clock.now()
        card.save(update_fields=["returned_at"])
        audit.record(
            actor, "customer.borrow.return", card, after={"returned_at": card.returned_at.isoformat()}
        )
    return card


def notify_overdue_borrowings() -> int:
    """Sweep: tell the borrower and their supervisors once when a dossier is overdue (SEC-4)."""
    from kefu.engine.notifications.api import notify

    count = 0
    now = clock.now()
    with transaction.atomic():
        due = (
            Borrowing.objects.select_for_update(skip_locked=True)
            .filter(returned_at__isnull=True, due_at__lte=now, overdue_notified_at__isnull=True)
            .select_related("borrower__user", "customer")[:100]
        )
        for card in due:
            people = [card.borrower.user] + [
                s.user
                for s in card.borrower.supervisors.filter(status=EmploymentStatus.ACTIVE).select_related(
                    "user"
                )
            ]
            notify(
                people,
                "customer_governance.borrowing_overdue",
                {"borrower": card.borrower.name, "customer": f"#{card.customer_id}", "due_at": card.due_at},
                obj=card,
                link="/customers/governance/borrowings/",
            )
            card.overdue_notified_at = now
            card.save(update_fields=["overdue_notified_at"])
            audit.record(Actor.system("worker"), "customer.borrow.overdue", card)
            count += 1
    return count


# ---- SEC-4 access requests ---------------------------------------------------------------------------


def request_access(
    actor: Actor, *, kind: str, purpose: str, customer: Customer | None = None
) -> AccessRequest:
    """Ask to consult statistics or the archive; the department manager signs (SEC-4)."""
    if kind not in AccessKind.values:
        raise Invalid("SEC-4.kind", "查阅类型无效", "Unknown access kind", {"kind": kind})
    employee = _employee(actor)
    purpose = _purpose(purpose)
    with transaction.atomic():
        request = AccessRequest.objects.create(
            requester=employee,
            unit=employee.unit,
            kind=kind,
            purpose=purpose,
            customer=customer,
            created_at=clock.now(),
        )
        audit.record(actor, "customer.access_request", request, reason=purpose, after={"kind": kind})
        approvals.start_approval(actor, request, ACCESS.name)
    return request


# ---- SEC-5 export ----------------------------------------------------------------------------------------


def export_customers(actor: Actor, *, purpose: str, external: bool = False) -> tuple[bytes, int, str]:
    """The customers the actor may see, masked unless `customer.view_full`; always audited (SEC-5).

    Outside the company only customers who consented are included ("未经客户同意,不得泄露客户信息").
    """
    access.require(actor, "customer.export")
    purpose = _purpose(purpose)
    qs = queries.customers(actor, "customer.export").order_by("pk")
    if external:
        qs = qs.filter(consent_external=True)
        note = (
            "对外导出：仅含同意对外提供信息的客户（SEC-5）/ "
            "External export: only customers who consented to sharing outside the company (SEC-5)"
        )
    else:
        note = "内部导出，仅限公司内部使用（SEC-5）/ Internal export, for use inside the company only (SEC-5)"
    rows, full_ids = [], []
    for customer in qs:
        full = queries.sees_full(actor, customer)
        if full:
            full_ids.append(customer.pk)
        rows.append(
            {
                "id": customer.pk,
                "name": customer.name,
                "kind": customer.get_kind_display(),
                "company": customer.company,
                "audience": customer.audience,
                "tier": customer.get_tier_display(),
                "unit": customer.unit.name,
                **queries.masked_values(customer, full),
            }
        )
    content = sheets.export_workbook(rows, note=note)
    with transaction.atomic():
        audit.record(
            actor,
            "customer.export",
            object_type="customers.customer",
            object_repr=f"{len(rows)} 位客户",
            reason=purpose,
            after={
                "count": len(rows),
                "ids": [r["id"] for r in rows],
                "full_ids": full_ids,
                "external": external,
            },
        )
    return content, len(rows), note


# ---- CUS-8 import -----------------------------------------------------------------------------------------


def start_import(actor: Actor, *, unit: Unit, filename: str, content: bytes) -> ImportJob:
    """Store the upload and queue the worker's validation + all-or-nothing commit (CUS-8)."""
    access.require(actor, "customer.import")
    if not access.unit_in_scope(actor, "customer.import", unit):
        raise NotFound("单位", "unit")
    if not content:
        raise Invalid(
            "CUS-8.empty", "请选择要导入的 Excel 文件", "Choose an .xlsx file", {"file": "required"}
        )
    with transaction.atomic():
        job = ImportJob.objects.create(
            created_by=actor.principal,
            unit=unit,
            filename=filename[:200],
            content=content,
            created_at=clock.now(),
        )
        audit.record(actor, "customer.import.start", job, after={"filename": job.filename, "unit": unit.pk})
        run_import_task.enqueue(job.pk)
    return job


def _finish_job(job: ImportJob, status: str, message: str) -> None:
    job.status, job.message, job.finished_at = status, message[:500], clock.now()
    job.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "error_report",
            "processed_rows",
            "error_rows",
            "duplicate_rows",
            "created_rows",
            "total_rows",
        ]
    )


def run_import(job_id: int) -> ImportJob:
    """Validate every row, then commit all rows in one transaction or none (CUS-8)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    actor = Actor(user=job.created_by, origin=f"worker import #{job.pk}")
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    header, rows, problem = sheets.read_rows(bytes(job.content))
    if problem:
        messages = {
            "file": "无法读取该文件，请上传 .xlsx / Not a readable .xlsx file",
            "empty": "文件为空 / The file is empty",
            "header": "首行须为表头，至少含“名称” / The first row must be a header with 名称 (name)",
        }
        _finish_job(job, ImportStatus.FAILED, messages[problem])
        return job
    job.total_rows = len(rows)
    job.save(update_fields=["total_rows"])
    seen_phone, seen_id = {}, {}
    for index, row in enumerate(rows, start=1):
        sheets.check_row(row)
        v = row.values
        v["phone_index"] = blind_index(v["phone"]) if v.get("phone") else ""
        v["id_index"] = blind_index(v["id_number"], kind=ID_KIND) if v.get("id_number") else ""
        for key, seen, label in (("phone_index", seen_phone, "手机"), ("id_index", seen_id, "证件号")):
            if not v[key]:
                continue
            if v[key] in seen:
                row.errors.append(f"{label}与第 {seen[v[key]]} 行重复 / duplicate of row {seen[v[key]]}")
            seen.setdefault(v[key], row.number)
        archive = Customer.objects.filter(destroyed_at__isnull=True)
        if (v["phone_index"] and archive.filter(phone_index=v["phone_index"]).exists()) or (
            v["id_index"] and archive.filter(id_index=v["id_index"]).exists()
        ):
            row.errors.append("与档案中已有客户重复（CUS-6）/ already in the archive (CUS-6)")
            job.duplicate_rows += 1
        if index % 50 == 0 or index == len(rows):
            job.processed_rows = index
            job.save(update_fields=["processed_rows", "duplicate_rows"])
    bad = [r for r in rows if r.errors]
    job.error_rows = len(bad)
    if not rows:
        _finish_job(job, ImportStatus.FAILED, "没有数据行 / No data rows")
        return job
    if bad:
        job.error_report = sheets.error_workbook(header, rows)
        first = bad[0]
        _finish_job(
            job,
            ImportStatus.FAILED,
            f"{len(bad)} 行有误，未导入任何数据；第 {first.number} 行：{first.errors[0]} / "
            f"{len(bad)} rows have errors, nothing was imported",
        )
        return job
    failed_row = None
    try:
        with transaction.atomic():
            access.require(actor, "customer.import")
            if not access.unit_in_scope(actor, "customer.import", job.unit):
                raise NotFound("单位", "unit")
            created = []
            creator = Actor.system(f"import #{job.pk} · {actor.name}")  # the right checked is customer.import
            for row in rows:
                v = row.values
                try:
                    created.append(
                        customers_actions.create_customer(
                            creator,
                            name=v["name"],
                            kind=v["kind"],
                            phone=v.get("phone", ""),
                            address=v.get("address", ""),
                            unit=job.unit,
                            id_number=v.get("id_number", ""),
                            company=v.get("company", ""),
                            audience=v["audience"],
                            tier=v["tier"],
                            source=f"import #{job.pk}",
                        )
                    )
                except DomainError as error:
                    row.errors.append(f"{error.zh} / {error.en}")
                    failed_row = row
                    raise
            job.created_rows = len(created)
            audit.record(
                actor,
                "customer.import.commit",
                job,
                after={"created": len(created), "ids": [c.pk for c in created]},
            )
            _finish_job(
                job, ImportStatus.DONE, f"已导入 {len(created)} 位客户 / {len(created)} customers imported"
            )
    except Exception as error:  # any failure leaves the archive untouched and is reported
        job.created_rows = 0
        if failed_row is not None:
            job.error_rows = 1
            job.error_report = sheets.error_workbook(header, rows)
            message = (
                f"第 {failed_row.number} 行：{failed_row.errors[-1]}；未导入任何数据 / nothing was imported"
            )
        else:
            message = getattr(error, "zh", "") or "导入失败，未导入任何数据 / Import failed, nothing imported"
        _finish_job(job, ImportStatus.FAILED, message)
    return job


@task()
def run_import_task(job_id: int) -> None:
    run_import(job_id)


# ---- SEC-7 retention and SEC-8 destruction --------------------------------------------------------------


def check_retention(customer: Customer) -> None:
    """SEC-7: refuse destroying a customer touched less than `retention.min_months` ago."""
    entry = lookup("retention.min_months", at=customer.created_at, unit=customer.unit)
    last_touched = max(customer.created_at, customer.updated_at)
    kept_until = entry.due(last_touched)
    if clock.now() < kept_until:
        raise Invalid(
            "SEC-7.retention",
            f"该客户的记录须保存至少 {entry.display('zh-hans')}，{kept_until:%Y-%m-%d} 前不得销毁（SEC-7）",
            f"Records must be kept at least {entry.display('en')}; not destroyable before "
            f"{kept_until:%Y-%m-%d} (SEC-7)",
        )


def _check_destroyable(customer: Customer) -> None:
    if customer.destroyed_at is not None:
        raise Conflict("SEC-8.destroyed", "该客户资料已销毁", "This customer's data was already destroyed")
    if customer.audience == AudienceCategory.A:
        raise Invalid(
            "SEC-8.category_a",
            "A 类客户一经登陆，不得删除（SEC-8）",
            "Audience-category A customers are never deleted (SEC-8)",
        )
    check_retention(customer)


def request_destruction(actor: Actor, customer: Customer, *, reason: str) -> DestructionRequest:
    """Open the three-step destruction approval (SEC-8), after the SEC-7 and category-A checks."""
    if not (access.can(actor, "customer.destroy") or access.can(actor, "customer.manage")):
        access.require(actor, "customer.destroy")
    if not any(
        access.record_in_scope(actor, code, unit=customer.unit, owner_id=customer.owner_id)
        for code in ("customer.destroy", "customer.manage")
    ):
        raise NotFound("客户", "customer")
    reason = _purpose(reason, "reason")
    _check_destroyable(customer)
    required = lookup("security.destruction_approvals", unit=customer.unit)
    if len(DESTRUCTION.steps) < required.value:
        raise Invalid(
            "SEC-8.chain", "销毁审批步骤少于制度要求", "The chain has fewer steps than policy requires"
        )
    with transaction.atomic():
        request = DestructionRequest.objects.create(
            customer=customer,
            unit=customer.unit,
            requested_by=actor.principal,
            reason=reason,
            created_at=clock.now(),
        )
        audit.record(
            actor, "customer.destruction.request", request, reason=reason, after={"customer": customer.pk}
        )
        approvals.start_approval(actor, request, DESTRUCTION.name)
    return request


WIPED = [
    "name",
    "phone",
    "phone_index",
    "id_number",
    "id_index",
    "address",
    "emergency_contact",
    "gender",
    "birthday",
    "position",
    "company",
    "qualifications",
    "needs",
    "contact_window",
    "family_of",
]


def _wipe(customer: Customer, now) -> None:
    for name in WIPED:
        field = customer._meta.get_field(name)
        setattr(customer, field.attname, None if field.null else "")
    customer.name = f"已销毁客户 #{customer.pk}"
    customer.destroyed_at = now
    customer.updated_at = now
    customer.save()
    for contact in Contact.objects.filter(customer=customer):
        contact.name, contact.position, contact.phone, contact.phone_index = "已销毁", "", "", ""
        contact.email, contact.birthday, contact.notes = "", None, ""
        contact.save()


def _carry_out_destruction(request: DestructionRequest) -> DestructionLog:
    _request, steps = queries.approval_steps(request)
    customer = Customer.objects.select_for_update().get(pk=request.customer_id)
    required = lookup("security.destruction_approvals", unit=customer.unit)
    approved = [s for s in steps if s.status == "approved"]
    if len(approved) < required.value or [s.name for s in approved] != [s.name for s in DESTRUCTION.steps]:
        raise Conflict(
            "SEC-8.approvals",
            "销毁须经三级依次核准（SEC-8）",
            "Destruction needs the three approvals in order (SEC-8)",
        )
    _check_destroyable(customer)
    now = clock.now()
    _wipe(customer, now)
    log = DestructionLog.objects.create(
        request=request,
        customer_ref=f"客户 #{customer.pk}",
        unit=customer.unit,
        fields=WIPED,
        approvals=[
            {
                "step": s.name,
                "label": s.label_zh,
                "by": s.decided_by.get_username(),
                "on_behalf_of": s.on_behalf_of.get_username() if s.on_behalf_of else "",
                "at": s.decided_at.isoformat(),
            }
            for s in approved
        ],
        requested_by=request.requested_by.get_username(),
        destroyed_at=now,
        policy_version=required.version,
    )
    system = Actor.system(f"destruction {request.pk}")
    workflow.transition(system, request, "carry_out", reason="SEC-8")
    audit.record(
        system,
        "customer.destroy",
        customer,
        after={"log": log.pk, "fields": WIPED},
        reason=f"销毁申请 #{request.pk}",
    )
    record_from_entry(request, required, outcome="destroyed", inputs={"approvals": len(approved)})
    return log


# ---- SEC-9 incidents --------------------------------------------------------------------------------------


def record_incident(
    actor: Actor, *, kind: str, occurred_at: datetime, description: str, person: Employee, customers=()
) -> SecurityIncident:
    """Register a leak, loss or violation; the person's direct superiors are recorded (SEC-9)."""
    access.require(actor, "security.incident")
    if not access.unit_in_scope(actor, "security.incident", person.unit):
        raise NotFound("员工", "employee")
    if kind not in IncidentKind.values:
        raise Invalid("SEC-9.kind", "事件类型无效", "Unknown incident kind", {"kind": kind})
    description = _purpose(description, "description")
    if occurred_at > clock.now():
        raise Invalid(
            "SEC-9.future",
            "发生时间不能晚于现在",
            "The incident cannot be in the future",
            {"occurred_at": "future"},
        )
    superiors = list(person.supervisors.all())
    with transaction.atomic():
        incident = SecurityIncident.objects.create(
            kind=kind,
            occurred_at=occurred_at,
            description=description,
            person=person,
            unit=person.unit,
            recorded_by=actor.principal,
            created_at=clock.now(),
        )
        incident.superiors.set(superiors)
        incident.customers.set(list(customers))
        audit.record(
            actor,
            "security.incident",
            incident,
            after={
                "kind": kind,
                "person": person.pk,
                "superiors": [s.pk for s in superiors],
                "customers": [c.pk for c in customers],
            },
        )
    return incident


# ---- CUS-6 merges -----------------------------------------------------------------------------------------


def live_claim_holder(customer: Customer):
    """The employee id holding a live 报备 claim on the customer, or None (claims app, when present)."""
    try:
        from kefu.claims.queries import live_claim_for
    except ImportError:
        return None
    claim = live_claim_for(customer)
    if claim is None:
        return None
    for attr in ("holder_id", "owner_id", "employee_id", "registrant_id"):
        if getattr(claim, attr, None) is not None:
            return getattr(claim, attr)
    return customer.owner_id


def _check_merge(survivor: Customer, duplicate: Customer) -> None:
    if survivor.pk == duplicate.pk:
        raise Invalid("CUS-6.same", "不能与自身合并", "A customer cannot be merged with itself")
    for c in (survivor, duplicate):
        if c.destroyed_at is not None:
            raise Conflict("CUS-6.gone", "该客户已销毁或已合并", "That customer is destroyed or merged")
    for moving in (duplicate, survivor):
        holder = live_claim_holder(moving)
        if holder is not None and holder != survivor.owner_id:
            raise Invalid(
                "CUS-6.protected",
                f"客户 #{moving.pk} 在报备保护期内，合并会把它转给他人，不予合并（CUS-6）",
                f"Customer #{moving.pk} is under a live claim; the merge would move it to someone else (CUS-6)",
            )


def request_merge(actor: Actor, survivor: Customer, duplicate: Customer, *, reason: str) -> MergeRequest:
    """Ask to merge `duplicate` into `survivor`; approved by `customer.merge` holders (CUS-6)."""
    for c in (survivor, duplicate):
        if not any(
            access.record_in_scope(actor, code, unit=c.unit, owner_id=c.owner_id)
            for code in ("customer.manage", "customer.merge")
        ):
            raise NotFound("客户", "customer")
    reason = _purpose(reason, "reason")
    _check_merge(survivor, duplicate)
    with transaction.atomic():
        request = MergeRequest.objects.create(
            survivor=survivor,
            duplicate=duplicate,
            unit=survivor.unit,
            requested_by=actor.principal,
            reason=reason,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "customer.merge.request",
            request,
            reason=reason,
            after={"survivor": survivor.pk, "duplicate": duplicate.pk},
        )
        approvals.start_approval(actor, request, MERGE.name)
    return request


def _carry_out_merge(request: MergeRequest) -> None:
    survivor = Customer.objects.select_for_update().get(pk=request.survivor_id)
    duplicate = Customer.objects.select_for_update().get(pk=request.duplicate_id)
    _check_merge(survivor, duplicate)
    now = clock.now()
    before = audit.snapshot(survivor, ["owner", "phone", "id_number", "company", "address"])
    if survivor.owner_id is None and duplicate.owner_id is not None:
        survivor.owner_id = duplicate.owner_id
    for name in (
        "phone",
        "phone_index",
        "id_number",
        "id_index",
        "address",
        "emergency_contact",
        "company",
        "position",
        "needs",
        "qualifications",
    ):
        if not getattr(survivor, name) and getattr(duplicate, name):
            setattr(survivor, name, getattr(duplicate, name))
    survivor.updated_at = now
    survivor.save()
    Contact.objects.filter(customer=duplicate).update(customer=survivor)
    for name in ("phone", "phone_index", "id_number", "id_index", "address", "emergency_contact"):
        setattr(duplicate, name, "")
    duplicate.name = f"已合并至 #{survivor.pk}"[:200]
    duplicate.destroyed_at = now
    duplicate.updated_at = now
    duplicate.save()
    system = Actor.system(f"merge {request.pk}")
    workflow.transition(system, request, "carry_out", reason="CUS-6")
    audit.record(
        system,
        "customer.merge",
        survivor,
        before=before,
        after={
            **audit.snapshot(survivor, ["owner", "phone", "id_number", "company", "address"]),
            "merged": duplicate.pk,
        },
    )


# ---- approvals: decide and carry out ------------------------------------------------------------------------


CARRY_OUT = {}  # model → function, filled below


def decide(actor: Actor, step_id: int, decision: str, *, reason: str = ""):
    """Decide an approval step; a final approval is carried out in the same transaction, so a rule
    that refuses it (SEC-7, SEC-8, CUS-6) undoes the decision and the approver sees why."""
    with transaction.atomic():
        step = approvals.decide(actor, step_id, decision, reason=reason)
        request = step.request
        model = request.content_type.model_class()
        if model in CARRY_OUT:
            obj = model.objects.select_for_update().get(pk=request.object_id)
            if obj.state == RequestState.APPROVED:
                CARRY_OUT[model](obj)
    return step


def carry_out_approved() -> int:
    """Worker sweep: carry out destructions and merges approved elsewhere (e.g. on the generic
    approvals page). One savepoint each; a request a rule now refuses moves to "rejected" with the reason."""
    count = 0
    for model, carry_out in CARRY_OUT.items():
        for pk in list(model.objects.filter(state=RequestState.APPROVED).values_list("pk", flat=True)[:50]):
            try:
                with transaction.atomic():
                    obj = (
                        model.objects.select_for_update(skip_locked=True)
                        .filter(pk=pk, state=RequestState.APPROVED)
                        .first()
                    )
                    if obj is None:
                        continue
                    carry_out(obj)
                    count += 1
            except DomainError as error:
                with transaction.atomic():
                    obj = model.objects.get(pk=pk)
                    system = Actor.system("worker")
                    workflow.transition(system, obj, "refuse", reason=f"{error.code}: {error.zh}"[:500])
                    audit.record(
                        system,
                        f"{obj._meta.label_lower}.refused",
                        obj,
                        reason=error.zh,
                        after={"code": error.code},
                    )
    return count


CARRY_OUT.update({DestructionRequest: _carry_out_destruction, MergeRequest: _carry_out_merge})
