"""Excel export (SEC-5) and import (CUS-8).

SEC-1: an import's workbook is stored sealed and emptied when the job finishes; its error report is
kept for `customers.import_copy_retention` (本系统默认值) after that, then `purge_import_copies` (the
daily `customer_governance.import_purge` schedule) removes it. The job row and its counts stay.
"""

from django.db import transaction
from django_tasks import task

from kefu.core import audit, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import DomainError, Invalid, NotFound
from kefu.customers import actions as customers_actions
from kefu.customers.governance import queries, sheets
from kefu.customers.governance.actions.common import ID_KIND, _purpose
from kefu.customers.governance.models import (
    ImportJob,
    ImportStatus,
)
from kefu.customers.models import Customer
from kefu.customers.rules import archive_path
from kefu.engine.policy.api import lookup, subsidiary_of
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

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
    """Record the outcome; the uploaded workbook is no longer needed and is dropped (SEC-1)."""
    job.status, job.message, job.finished_at, job.content = status, message[:500], clock.now(), b""
    job.save(
        update_fields=[
            "status",
            "message",
            "finished_at",
            "content",
            "error_report",
            "processed_rows",
            "error_rows",
            "duplicate_rows",
            "created_rows",
            "total_rows",
        ]
    )


RETENTION_KEY = "customers.import_copy_retention"
HEADER_PROBLEMS = {
    "file": "无法读取该文件，请上传 .xlsx / Not a readable .xlsx file",
    "empty": "文件为空 / The file is empty",
    "header": "首行须为表头，至少含“名称” / The first row must be a header with 名称 (name)",
}
CONTACT_KEYS = {"contact_name": "name", "contact_phone": "phone", "contact_position": "position"}


def _owners(rows, unit: Unit) -> dict[str, Employee]:
    """The active employees of the unit's subsidiary named in the 负责人工号 column, by number."""
    numbers = {r.values["owner"] for r in rows if r.values.get("owner")}
    if not numbers:
        return {}
    subsidiary = subsidiary_of(unit)
    people = Employee.objects.filter(number__in=numbers, status=EmploymentStatus.ACTIVE)
    if subsidiary is not None:
        people = people.filter(unit__path__startswith=subsidiary.path)
    return {e.number: e for e in people}


def _check_rows(job: ImportJob, rows) -> None:
    """Every field of every row, duplicates within the file and against the archive (CUS-6)."""
    credit_classes = lookup("customers.credit_classes", unit=job.unit).value
    owners = _owners(rows, job.unit)
    # the subsidiary's own archive: a row never learns that another company has the customer (issue 10)
    archive = Customer.objects.filter(
        destroyed_at__isnull=True, unit__path__startswith=archive_path(job.unit)
    )
    seen_phone, seen_id = {}, {}
    for index, row in enumerate(rows, start=1):
        sheets.check_row(row, credit_classes=credit_classes)
        v = row.values
        number = v.pop("owner", "")
        if number:
            if number in owners:
                v["owner"] = owners[number]
            else:
                row.errors.append(
                    f"负责人工号不存在或不在本公司：{number} / no active employee {number} in this subsidiary"
                )
        v["phone_index"] = blind_index(v["phone"]) if v.get("phone") else ""
        v["id_index"] = blind_index(v["id_number"], kind=ID_KIND) if v.get("id_number") else ""
        for key, seen, label in (("phone_index", seen_phone, "手机"), ("id_index", seen_id, "证件号")):
            if not v[key]:
                continue
            if v[key] in seen:
                row.errors.append(f"{label}与第 {seen[v[key]]} 行重复 / duplicate of row {seen[v[key]]}")
            seen.setdefault(v[key], row.number)
        if (v["phone_index"] and archive.filter(phone_index=v["phone_index"]).exists()) or (
            v["id_index"] and archive.filter(id_index=v["id_index"]).exists()
        ):
            row.errors.append("与档案中已有客户重复（CUS-6）/ already in the archive (CUS-6)")
            job.duplicate_rows += 1
        if index % 50 == 0 or index == len(rows):
            job.processed_rows = index
            job.save(update_fields=["processed_rows", "duplicate_rows"])


def _ignored(job: ImportJob) -> str:
    if not job.ignored_columns:
        return ""
    names = "、".join(job.ignored_columns)
    return f"；已忽略未知列：{names} / unknown columns ignored: {', '.join(job.ignored_columns)}"


def run_import(job_id: int) -> ImportJob:
    """Validate every row, then commit all rows in one transaction or none (CUS-8)."""
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    actor = Actor(user=job.created_by, origin=f"worker import #{job.pk}")
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    parsed = sheets.read_rows(bytes(job.content))
    header, rows = parsed.header, parsed.rows
    job.ignored_columns = parsed.unknown
    job.save(update_fields=["ignored_columns"])
    if parsed.problem == "repeat":
        names = "、".join(parsed.repeated)
        _finish_job(job, ImportStatus.FAILED, f"表头重复：{names} / these columns are given twice: {names}")
        return job
    if parsed.problem:
        _finish_job(job, ImportStatus.FAILED, HEADER_PROBLEMS[parsed.problem] + _ignored(job))
        return job
    job.total_rows = len(rows)
    job.save(update_fields=["total_rows"])
    _check_rows(job, rows)
    bad = [r for r in rows if r.errors]
    job.error_rows = len(bad)
    if not rows:
        _finish_job(job, ImportStatus.FAILED, "没有数据行 / No data rows" + _ignored(job))
        return job
    if bad:
        job.error_report = sheets.error_workbook(header, rows)
        first = bad[0]
        _finish_job(
            job,
            ImportStatus.FAILED,
            f"{len(bad)} 行有误，未导入任何数据；第 {first.number} 行：{first.errors[0]} / "
            f"{len(bad)} rows have errors, nothing was imported" + _ignored(job),
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
                v = dict(row.values)
                v.pop("phone_index"), v.pop("id_index")
                contact = {CONTACT_KEYS[k]: v.pop(k) for k in list(v) if k in CONTACT_KEYS}
                try:
                    created.append(
                        customers_actions.import_customer(
                            creator,
                            unit=job.unit,
                            contacts=[contact] if contact.get("name") else [],
                            source=v.pop("source", "") or f"import #{job.pk}",
                            **v,
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
                after={
                    "created": len(created),
                    "ids": [c.pk for c in created],
                    "ignored": job.ignored_columns,
                },
            )
            _finish_job(
                job,
                ImportStatus.DONE,
                f"已导入 {len(created)} 位客户 / {len(created)} customers imported" + _ignored(job),
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


def import_retention(job: ImportJob, at=None):
    """The policy entry saying how long a finished import keeps its error report (SEC-1)."""
    return lookup(RETENTION_KEY, unit=job.unit, at=at or clock.now())


def purge_import_copies(now=None) -> int:
    """Remove the workbook and the error report of every import finished longer than the retention of
    its unit ago; returns how many jobs were purged. Idempotent: a purged job is never touched again."""
    now = now or clock.now()
    finished = ImportJob.objects.filter(purged_at__isnull=True, finished_at__isnull=False).order_by()
    purged = 0
    with transaction.atomic():
        for unit in Unit.objects.filter(pk__in=finished.values("unit_id")):
            before = now - lookup(RETENTION_KEY, unit=unit, at=now).duration()
            due = finished.filter(unit=unit, finished_at__lt=before)
            purged += due.update(content=b"", error_report=None, purged_at=now)
        if purged:
            audit.record(
                Actor.system("import retention"),
                "customer.import.purged",
                object_type="customer_governance.importjob",
                object_repr="导入文件与错误报告 / import workbooks and error reports",
                after={"jobs": purged},
            )
    return purged


def purge_due(run=None) -> int:
    """The daily `customer_governance.import_purge` schedule (WF-5; `run` is its ScheduleRun)."""
    return purge_import_copies()
