"""CUS-8 import: every row checked first, then committed in bounded, resumable batches (issue 11).

A job goes queued → running (checking: every rule of every row, nothing written) → committing →
done, or → failed when a row breaks a rule (nothing imported, the row-by-row error report). Committing
writes at most `KEFU_BULK_BATCH_ROWS` rows or `KEFU_BULK_BATCH_MS` of work per transaction, so that no
transaction holds SQLite's only write lock for long, and pauses `KEFU_BULK_PAUSE_MS` between batches on
SQLite so that waiting writers (case intake, the worker's sweeps) get the lock (本系统默认值, settings).

Each batch's transaction also moves the job's high-water mark (`created_rows`: the file's rows, in
order, committed so far) under a guard on its previous value, so a batch is committed once or not at
all: a runner killed mid-way leaves the mark at the last committed batch, and the next runner resumes
there without duplicating a row. One runner at a time holds the job's lease (`lease_token`, renewed
every batch); the `customer_governance.resume_imports` sweep takes over a job whose lease ran out.

A row that passed the checks can still fail at commit only if the organisation or the archive changed
in between (its owner left, the importer lost the right): the job then stops there — the batches
before stay imported, and the job, its message and the error report say which row stopped it
(status `stopped`). See docs/decisions.md.

SEC-1: the workbook is stored sealed and emptied when the job finishes; the error report is kept for
`customers.import_copy_retention` (本系统默认值), then `purge_import_copies` removes it.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django_tasks import task

from kefu.core import audit, bulk, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import DomainError, Invalid, NotFound
from kefu.customers.actions import imports as archive_imports
from kefu.customers.governance import sheets
from kefu.customers.governance.actions.common import ID_KIND
from kefu.customers.governance.models import ImportJob, ImportStatus
from kefu.customers.models import Customer
from kefu.customers.rules import archive_path
from kefu.engine.policy.api import lookup, subsidiary_of
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Unit

log = logging.getLogger("kefu.import")

RETENTION_KEY = "customers.import_copy_retention"
HEADER_PROBLEMS = {
    "file": "无法读取该文件，请上传 .xlsx / Not a readable .xlsx file",
    "empty": "文件为空 / The file is empty",
    "header": "首行须为表头，至少含“名称” / The first row must be a header with 名称 (name)",
}
CONTACT_KEYS = {"contact_name": "name", "contact_phone": "phone", "contact_position": "position"}
OPEN = (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.COMMITTING)
PROGRESS_EVERY = 500  # rows checked between two progress writes
LOOKUP_CHUNK = 500  # blind indexes per duplicate query


class LeaseLost(Exception):
    """Another runner holds the job now (this one was too slow, or stopped and came back)."""


class LateFailure(Exception):
    def __init__(self, row, text: str):
        super().__init__(text)
        self.row, self.text = row, text


def start_import(actor: Actor, *, unit: Unit, filename: str, content: bytes) -> ImportJob:
    """Store the upload and queue the worker's check and batched commit (CUS-8)."""
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


# ---- lease: one runner at a time --------------------------------------------------------------------------


def _lease_end():
    return clock.now() + timedelta(seconds=settings.KEFU_BULK_LEASE_SECONDS)


def claim(job_id: int) -> str | None:
    """Take the job's lease if nobody holds it (or theirs ran out); the new token, or None."""
    token = uuid.uuid4().hex
    taken = (
        ImportJob.objects.filter(pk=job_id, status__in=OPEN)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=clock.now()))
        .update(lease_token=token, lease_until=_lease_end())
    )
    return token if taken else None


def _renew(job: ImportJob, token: str, **fields) -> None:
    """Renew the lease, writing `fields` with it; LeaseLost when another runner took the job."""
    if not ImportJob.objects.filter(pk=job.pk, lease_token=token).update(lease_until=_lease_end(), **fields):
        raise LeaseLost(job.pk)


def _finish_job(job: ImportJob, status: str, message: str) -> None:
    """Record the outcome; the uploaded workbook is no longer needed and is dropped (SEC-1)."""
    job.status, job.message, job.finished_at, job.content = status, message[:500], clock.now(), b""
    job.lease_token, job.lease_until, job.batch_started_at = "", None, None
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
            "lease_token",
            "lease_until",
            "batch_started_at",
        ]
    )


# ---- checking: every rule of every row, nothing written ---------------------------------------------------


def _owners(rows, unit: Unit) -> dict[str, Employee]:
    """The active employees of the unit's subsidiary named in the 负责人工号 column, by number."""
    numbers = {r.values["owner"] for r in rows if r.values.get("owner")}
    if not numbers:
        return {}
    subsidiary = subsidiary_of(unit)
    people = Employee.objects.filter(number__in=numbers, status=EmploymentStatus.ACTIVE).select_related(
        "user", "unit"
    )
    if subsidiary is not None:
        people = people.filter(unit__path__startswith=subsidiary.path)
    return {e.number: e for e in people}


def _fields(job: ImportJob, row) -> tuple[dict, dict]:
    """The archive's fields of a checked row and its contact (key person), as they are written."""
    v = {k: value for k, value in row.values.items() if k not in ("phone_index", "id_index")}
    contact = {CONTACT_KEYS[k]: v.pop(k) for k in list(v) if k in CONTACT_KEYS}
    v["source"] = v.get("source", "") or f"import #{job.pk}"
    return v, contact


def _prepare(job: ImportJob, rows) -> None:
    """Field checks of every row, owners by number, blind indexes and duplicates within the file."""
    credit_classes = lookup("customers.credit_classes", unit=job.unit).value
    owners = _owners(rows, job.unit)
    seen_phone, seen_id = {}, {}
    for row in rows:
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


def _archive_duplicates(job: ImportJob, rows) -> None:
    """CUS-6: rows whose phone or ID is already in the subsidiary's own archive — a row never learns
    (nor is refused because) another company has the customer (issue 10). Chunked lookups."""
    archive = Customer.objects.filter(
        destroyed_at__isnull=True, unit__path__startswith=archive_path(job.unit)
    )
    found = set()
    for key, column in (("phone_index", "phone_index"), ("id_index", "id_index")):
        wanted = sorted({r.values[key] for r in rows if r.values.get(key)})
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            chunk = wanted[start : start + LOOKUP_CHUNK]
            found.update(
                (key, value)
                for value in archive.filter(**{f"{column}__in": chunk}).values_list(column, flat=True)
            )
    for row in rows:
        if any((key, row.values.get(key)) in found for key in ("phone_index", "id_index")):
            row.errors.append("与档案中已有客户重复（CUS-6）/ already in the archive (CUS-6)")
            job.duplicate_rows += 1


def _check_archive_rules(job: ImportJob, row, roles_cache: dict) -> None:
    """Every rule the archive applies when the row is written (CUS-1, CUS-2 — the owner rule too —,
    SEC-2, SEC-3), so that no row fails late."""
    fields, _contact = _fields(job, row)
    try:
        archive_imports.check_new_customer(unit=job.unit, roles_cache=roles_cache, **fields)
    except DomainError as error:
        row.errors.append(f"{error.zh} / {error.en}")


def _check_rows(job: ImportJob, rows, token: str) -> None:
    """The checking phase: every field and rule of every row, duplicates within the file and against the
    archive. Writes only the job's progress (and renews its lease)."""
    _prepare(job, rows)
    roles_cache: dict = {}
    for index, row in enumerate(rows, start=1):
        if not row.errors:
            _check_archive_rules(job, row, roles_cache)
        if index % PROGRESS_EVERY == 0:
            job.processed_rows = index
            _renew(job, token, processed_rows=index)
    job.duplicate_rows = 0
    _archive_duplicates(job, rows)
    job.processed_rows = len(rows)
    _renew(job, token, processed_rows=len(rows), duplicate_rows=job.duplicate_rows)


def _ignored(job: ImportJob) -> str:
    if not job.ignored_columns:
        return ""
    names = "、".join(job.ignored_columns)
    return f"；已忽略未知列：{names} / unknown columns ignored: {', '.join(job.ignored_columns)}"


# ---- committing: bounded batches, each moving the high-water mark ------------------------------------------


def _pause() -> None:
    bulk.pause()


def _current_owners(rows) -> dict[int, Employee]:
    """The owners named in these rows as they are now: the archive's rules judge the owner at commit
    (one may have left since the check)."""
    ids = {r.values["owner"].pk for r in rows if r.values.get("owner") is not None}
    return {e.pk: e for e in Employee.objects.filter(pk__in=ids).select_related("user", "unit")}


def _batch(job: ImportJob, token: str, actor: Actor, rows, position: int) -> int:
    """Commit rows from `position` on, at most the batch's size or time; returns the new mark."""
    budget = bulk.Budget()
    creator = Actor.system(f"import #{job.pk} · {actor.name}")  # the right checked is customer.import
    _renew(job, token, batch_started_at=clock.now())  # for /healthz: the age of the open batch
    with transaction.atomic():
        access.require(actor, "customer.import")
        if not access.unit_in_scope(actor, "customer.import", job.unit):
            raise NotFound("单位", "unit")
        end, ids = position, []
        owners = _current_owners(rows[position : position + settings.KEFU_BULK_BATCH_ROWS])
        while end < len(rows) and budget.more(end - position):
            row = rows[end]
            if row.errors:  # a rule that changed since the check (only on a resumed job)
                raise LateFailure(row, row.errors[0])
            fields, contact = _fields(job, row)
            if fields.get("owner") is not None:
                fields["owner"] = owners[fields["owner"].pk]
            try:
                customer = archive_imports.import_customer(
                    creator, unit=job.unit, contacts=[contact] if contact.get("name") else [], **fields
                )
            except DomainError as error:
                raise LateFailure(row, f"{error.zh} / {error.en}") from error
            ids.append(customer.pk)
            end += 1
        audit.record(
            actor,
            "customer.import.batch",
            job,
            after={"rows": [rows[position].number, rows[end - 1].number], "created": len(ids), "ids": ids},
        )
        moved = ImportJob.objects.filter(pk=job.pk, lease_token=token, created_rows=position).update(
            created_rows=end, processed_rows=end, batch_started_at=None, lease_until=_lease_end()
        )
        if moved != 1:  # another runner moved the mark: this batch is theirs, roll it back
            raise LeaseLost(job.pk)
    job.created_rows = job.processed_rows = end
    return end


def _commit(job: ImportJob, token: str, actor: Actor, header, rows) -> None:
    position = job.created_rows
    try:
        while position < len(rows):
            position = _batch(job, token, actor, rows, position)
            if position < len(rows):
                _pause()
    except LateFailure as failure:
        _stop(job, actor, header, rows, failure.row, failure.text)
        return
    except DomainError as error:  # the importer lost the right or the unit meanwhile
        _stop(job, actor, header, rows, None, f"{error.zh} / {error.en}")
        return
    audit.record(
        actor,
        "customer.import.commit",
        job,
        after={"created": job.created_rows, "ignored": job.ignored_columns},
    )
    _finish_job(
        job,
        ImportStatus.DONE,
        f"已导入 {job.created_rows} 位客户 / {job.created_rows} customers imported" + _ignored(job),
    )


def _stop(job: ImportJob, actor: Actor, header, rows, row, text: str) -> None:
    """A late failure: the batches before stay; the job says where it stopped and why."""
    done = job.created_rows
    job.error_rows = 1
    if row is not None:
        row.errors[:] = [text]
        job.error_report = sheets.error_workbook(header, [row])
        where = f"第 {row.number} 行：{text}"
    else:
        where = text
    if done:
        status = ImportStatus.STOPPED
        message = f"{where}；此前已导入 {done} 位客户，其余未导入 / stopped: {done} rows before it were imported, the rest not"
    else:
        status = ImportStatus.FAILED
        message = f"{where}；未导入任何数据 / nothing was imported"
    audit.record(
        actor, "customer.import.stopped", job, after={"created": done, "row": row.number if row else None}
    )
    _finish_job(job, status, message)


# ---- the job ----------------------------------------------------------------------------------------------


def run_import(job_id: int, *, token: str | None = None) -> ImportJob:
    """Run (or resume) the job: check every row, then commit in batches from the high-water mark.

    Idempotent: a finished job, or one another runner holds, is left alone. `token` is a lease
    already taken for this run (by the resume sweep); without one the lease is taken here."""
    job = ImportJob.objects.get(pk=job_id)
    if job.finished:
        return job
    token = token or claim(job_id)
    if token is None:
        return job
    job.refresh_from_db()
    if job.finished or job.lease_token != token:
        return job
    try:
        _run(job, token)
    except LeaseLost:
        log.warning("import #%s: another runner took the job over; this one stops", job.pk)
        job.refresh_from_db()
    return job


def _run(job: ImportJob, token: str) -> None:
    actor = Actor(user=job.created_by, origin=f"worker import #{job.pk}")
    parsed = sheets.read_rows(bytes(job.content))
    header, rows = parsed.header, parsed.rows
    if job.status == ImportStatus.COMMITTING:  # resumed: checked before; the values again, for the rest
        _prepare(job, rows)
        _commit(job, token, actor, header, rows)
        return
    job.status, job.processed_rows, job.ignored_columns = ImportStatus.RUNNING, 0, parsed.unknown
    _renew(job, token, status=job.status, processed_rows=0, ignored_columns=parsed.unknown)
    if parsed.problem == "repeat":
        names = "、".join(parsed.repeated)
        _finish_job(job, ImportStatus.FAILED, f"表头重复：{names} / these columns are given twice: {names}")
        return
    if parsed.problem:
        _finish_job(job, ImportStatus.FAILED, HEADER_PROBLEMS[parsed.problem] + _ignored(job))
        return
    job.total_rows = len(rows)
    _renew(job, token, total_rows=job.total_rows)
    if not rows:
        _finish_job(job, ImportStatus.FAILED, "没有数据行 / No data rows" + _ignored(job))
        return
    _check_rows(job, rows, token)
    bad = [r for r in rows if r.errors]
    job.error_rows = len(bad)
    if bad:
        job.error_report = sheets.error_workbook(header, rows)
        first = bad[0]
        _finish_job(
            job,
            ImportStatus.FAILED,
            f"{len(bad)} 行有误，未导入任何数据；第 {first.number} 行：{first.errors[0]} / "
            f"{len(bad)} rows have errors, nothing was imported" + _ignored(job),
        )
        return
    job.status, job.created_rows = ImportStatus.COMMITTING, 0
    _renew(job, token, status=job.status, created_rows=0, error_rows=0)
    _commit(job, token, actor, header, rows)


@task()
def run_import_task(job_id: int, token: str | None = None) -> None:
    run_import(job_id, token=token)


def resume_imports() -> int:
    """The `customer_governance.resume_imports` sweep: a job being checked or committed whose runner
    stopped renewing its lease (the worker was killed, the machine restarted) is claimed again and
    queued; it resumes from its high-water mark. Returns how many were queued."""
    stale = ImportJob.objects.filter(
        status__in=(ImportStatus.RUNNING, ImportStatus.COMMITTING), lease_until__lt=clock.now()
    ).values_list("pk", flat=True)
    queued = 0
    for pk in list(stale):
        token = claim(pk)
        if token is not None:
            log.info("import #%s: its runner stopped; resuming from the last committed batch", pk)
            run_import_task.enqueue(pk, token)
            queued += 1
    return queued


# ---- SEC-1 retention of the copies -------------------------------------------------------------------------


def import_retention(job: ImportJob, at=None):
    """The policy entry saying how long a finished import keeps its error report (SEC-1)."""
    return lookup(RETENTION_KEY, unit=job.unit, at=at or clock.now())


def purge_import_copies(now=None) -> int:
    """Remove the workbook and the error report of every import finished longer than the retention of
    its unit ago; returns how many jobs were purged. Idempotent: a purged job is never touched again.
    Bounded: at most `KEFU_BULK_BATCH_ROWS` jobs per transaction (issue 11)."""
    now = now or clock.now()
    finished = ImportJob.objects.filter(purged_at__isnull=True, finished_at__isnull=False).order_by()
    purged = 0
    for unit in Unit.objects.filter(pk__in=finished.values("unit_id")):
        before = now - lookup(RETENTION_KEY, unit=unit, at=now).duration()
        due = finished.filter(unit=unit, finished_at__lt=before)
        while True:
            with transaction.atomic():
                ids = list(due.values_list("pk", flat=True)[: settings.KEFU_BULK_BATCH_ROWS])
                if not ids:
                    break
                count = ImportJob.objects.filter(pk__in=ids).update(
                    content=b"", error_report=None, purged_at=now
                )
                purged += count
                audit.record(
                    Actor.system("import retention"),
                    "customer.import.purged",
                    object_type="customer_governance.importjob",
                    object_repr="导入文件与错误报告 / import workbooks and error reports",
                    after={"jobs": count},
                )
    return purged


def purge_due(run=None) -> int:
    """The daily `customer_governance.import_purge` schedule (WF-5; `run` is its ScheduleRun)."""
    return purge_import_copies()
