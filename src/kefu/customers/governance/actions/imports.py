"""CUS-8 import: every row checked first, then committed in bounded, resumable batches (issue 11).

A job goes queued → running (checking: every rule of every row, nothing written) → committing →
done, or → failed when a row breaks a rule (nothing imported; the error report lists the bad rows).
A row that is already in the archive — its 编号 (the export writes it), else its phone or ID (CUS-6) —
is skipped or updated with its filled cells, as the importer chose (issue 13: an export imports back
unchanged). Committing
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
from django.db.models import F, Q
from django.utils import translation
from django_tasks import task

from kefu.core import audit, bulk, clock
from kefu.core.actor import Actor
from kefu.core.crypto import blind_index
from kefu.core.errors import DomainError, Invalid, NotFound
from kefu.core.language import current as current_language
from kefu.core.language import say
from kefu.customers.actions import imports as archive_imports
from kefu.customers.governance import sheets
from kefu.customers.governance.actions.common import ID_KIND
from kefu.customers.governance.models import ImportExisting, ImportJob, ImportStatus
from kefu.customers.models import AudienceCategory, Customer
from kefu.customers.rules import archive_path
from kefu.engine.policy.api import lookup, subsidiary_of
from kefu.org import access
from kefu.org.models import Employee, EmploymentStatus, Scope, Unit

log = logging.getLogger("kefu.import")

RETENTION_KEY = "customers.import_copy_retention"
HEADER_PROBLEMS = {
    "file": ("无法读取该文件，请上传 .xlsx", "Not a readable .xlsx file"),
    "empty": ("文件为空", "The file is empty"),
    "header": ("首行须为表头，至少含“名称”", "The first row must be a header with 名称 (name)"),
}
# (zh, en): the report and the job's message are in the language the import was started in
MASKED_CONTACT = (
    "SEC-2：新联系人的电话须填写完整号码（掩码不能导入）",
    "SEC-2: a new contact needs the full phone, not a mask",
)
OUT_OF_SCOPE = (
    "该客户不在您的导入范围内，不能更新",
    "that customer is outside your import scope: not updated",
)
CONTACT_KEYS = {"contact_name": "name", "contact_phone": "phone", "contact_position": "position"}
OPEN = (ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.COMMITTING)
LOOKUP_CHUNK = 500  # blind indexes per duplicate query


class LeaseLost(Exception):
    """Another runner holds the job now (this one was too slow, or stopped and came back)."""


class LateFailure(Exception):
    def __init__(self, row, text: str):
        super().__init__(text)
        self.row, self.text = row, text


def start_import(actor: Actor, *, unit: Unit, filename: str, content: bytes, existing: str) -> ImportJob:
    """Store the upload and queue the worker's check and batched commit (CUS-8). `existing` says what to
    do with rows already in the archive: skip them or update them (ImportExisting)."""
    access.require(actor, "customer.import")
    if not access.unit_in_scope(actor, "customer.import", unit):
        raise NotFound("单位", "unit")
    if existing not in ImportExisting.values:
        raise Invalid(
            "CUS-8.existing",
            "请选择如何处理档案中已有的客户：跳过或更新",
            "Choose what to do with customers already in the archive: skip or update",
            {"existing": "required"},
        )
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
            existing=existing,
            language=current_language(),
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "customer.import.start",
            job,
            after={"filename": job.filename, "unit": unit.pk, "existing": existing},
        )
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
            "updated_rows",
            "skipped_rows",
            "total_rows",
            "lease_token",
            "lease_until",
            "batch_started_at",
        ]
    )


# ---- checking: every rule of every row, nothing written ---------------------------------------------------


def _owners(rows, unit: Unit) -> dict[str, Employee]:
    """The employees named in the 负责人工号 column, by number, whom a customer of the unit may have as
    owner — as on the customer form: the active employees of the unit's subsidiary, and group
    management (a strategic customer's owner, CUS-2). The owner rule itself is the archive's."""
    numbers = {r.values["owner"] for r in rows if r.values.get("owner")}
    if not numbers:
        return {}
    people = Employee.objects.filter(number__in=numbers, status=EmploymentStatus.ACTIVE).select_related(
        "user", "unit"
    )
    subsidiary = subsidiary_of(unit)
    if subsidiary is not None:
        group = Q(role_assignments__role__scope=Scope.GROUP, role_assignments__role__supervisory_only=False)
        people = people.filter(Q(unit__path__startswith=subsidiary.path) | group).distinct()
    return {e.number: e for e in people}


def _fields(job: ImportJob, row) -> tuple[dict, dict]:
    """The archive's fields of a checked row and its contact (key person), as they are written: all of
    them for a new customer; the filled cells only for one already in the archive."""
    v = {k: value for k, value in row.values.items() if k not in ("phone_index", "id_index")}
    contact = {CONTACT_KEYS[k]: v.pop(k) for k in list(v) if k in CONTACT_KEYS}
    if row.existing is not None:
        return {k: value for k, value in v.items() if k in row.given}, contact
    v["source"] = v.get("source", "") or f"import #{job.pk}"
    return v, contact


def _prepare(job: ImportJob, rows) -> None:
    """Field checks of every row, the archive's customers the rows are, owners by number, blind indexes
    and duplicates within the file."""
    credit_classes = lookup("customers.credit_classes", unit=job.unit).value
    seen_phone, seen_id = {}, {}
    for row in rows:
        sheets.check_row(row, credit_classes=credit_classes)
        v = row.values
        v["phone_index"] = blind_index(v["phone"]) if v.get("phone") and "*" not in v["phone"] else ""
        v["id_index"] = (
            blind_index(v["id_number"], kind=ID_KIND)
            if v.get("id_number") and "*" not in v["id_number"]
            else ""
        )
        for key, seen, label in (("phone_index", seen_phone, "手机"), ("id_index", seen_id, "证件号")):
            if not v[key]:
                continue
            if v[key] in seen:
                row.errors.append(
                    say(f"{label}与第 {seen[v[key]]} 行重复", f"duplicate of row {seen[v[key]]}")
                )
            seen.setdefault(v[key], row.number)
    owned = _match_existing(job, rows)
    owners = _owners(rows, job.unit)
    for row in rows:
        v = row.values
        if row.existing is None and v.get("audience") == AudienceCategory.D:
            row.errors.append(say(*sheets.FAMILY_REFUSED))
        number = v.pop("owner", "")
        if number and row.existing is not None and owned.get(row.existing) == number:
            row.given -= {"owner"}  # the customer's own owner, unchanged (who may have left since)
        elif number:
            if number in owners:
                v["owner"] = owners[number]
            else:
                row.errors.append(
                    say(
                        f"负责人工号不存在或不在本公司：{number}",
                        f"no active employee {number} in this subsidiary",
                    )
                )


def _archive(job: ImportJob):
    return Customer.objects.filter(destroyed_at__isnull=True, unit__path__startswith=archive_path(job.unit))


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


def _match_existing(job: ImportJob, rows) -> dict[int, str]:
    """CUS-6: the archive's customer each row is — by its 编号, else by its phone or ID in the
    subsidiary's own archive (a row never learns, nor is refused because, another company has the
    customer; issue 10). Sets `row.existing` (the customer's id); chunked lookups. Returns the matched
    customers' owners' numbers by customer id."""
    archive = _archive(job)
    owned, by_index = {}, {}
    for chunk in _chunks({r.customer_id for r in rows if r.customer_id}):
        owned.update(archive.filter(pk__in=chunk).values_list("pk", "owner__number"))
    for key in ("phone_index", "id_index"):
        for chunk in _chunks({r.values[key] for r in rows if r.values.get(key)}):
            for pk, value, number in archive.filter(**{f"{key}__in": chunk}).values_list(
                "pk", key, "owner__number"
            ):
                by_index.setdefault((key, value), set()).add(pk)
                owned[pk] = number
    first_row = {}
    for row in rows:
        matches = set().union(
            *(by_index.get((k, row.values.get(k)), set()) for k in ("phone_index", "id_index"))
        )
        if row.customer_id:
            if row.customer_id not in owned:
                row.errors.append(
                    say(
                        f"编号 {row.customer_id} 不是本公司档案中的客户",
                        f"no customer {row.customer_id} in this archive",
                    )
                )
                continue
            others = matches - {row.customer_id}
            if others:
                row.errors.append(
                    say(
                        f"手机或证件号与档案中另一位客户（编号 {min(others)}）相同（CUS-6）",
                        f"the phone or ID is customer {min(others)}'s (CUS-6)",
                    )
                )
                continue
            row.existing = row.customer_id
        elif len(matches) > 1:
            row.errors.append(
                say(
                    "手机与证件号分别属于档案中的两位客户（CUS-6）",
                    "the phone and the ID are two customers' (CUS-6)",
                )
            )
            continue
        elif matches:
            row.existing = matches.pop()
        if row.existing is not None:
            if row.existing in first_row:
                row.errors.append(
                    say(
                        f"与第 {first_row[row.existing]} 行是档案中的同一位客户",
                        f"the same customer as row {first_row[row.existing]}",
                    )
                )
            first_row.setdefault(row.existing, row.number)
    job.duplicate_rows = sum(1 for r in rows if r.existing is not None)
    return {pk: number or "" for pk, number in owned.items()}


def _check_new(job: ImportJob, row, roles_cache: dict) -> None:
    """Every rule the archive applies when the row is written as a new customer (CUS-1, CUS-2 — the
    owner rule too —, SEC-2, SEC-3), so that no row fails late."""
    fields, contact = _fields(job, row)
    if "*" in (contact.get("phone") or ""):
        row.errors.append(say(*MASKED_CONTACT))
        return
    try:
        archive_imports.check_new_customer(unit=job.unit, roles_cache=roles_cache, **fields)
    except DomainError as error:
        row.errors.append(error.message)


def _check_update(job: ImportJob, actor: Actor, row, customer: Customer, roles_cache: dict) -> None:
    """A row updating a customer of the archive: the importer's scope over the customer, and every rule
    `update_customer` applies to the customer as it would become."""
    if not access.unit_in_scope(actor, "customer.import", customer.unit):
        row.errors.append(say(*OUT_OF_SCOPE))
        return
    fields, contact = _fields(job, row)
    if contact.get("name") and "*" in (contact.get("phone") or ""):
        known = set(customer.contacts.values_list("name", flat=True))
        if contact["name"] not in known:
            row.errors.append(say(*MASKED_CONTACT))
            return
    try:
        archive_imports.check_update(customer, fields, roles_cache=roles_cache)
    except DomainError as error:
        row.errors.append(error.message)


def _check_rows(job: ImportJob, actor: Actor, rows, token: str) -> None:
    """The checking phase: every field and rule of every row, the rows already in the archive, duplicates
    within the file. Writes only the job's progress (and renews its lease)."""
    _prepare(job, rows)
    roles_cache: dict = {}
    update = job.existing == ImportExisting.UPDATE
    for start in range(0, len(rows), LOOKUP_CHUNK):
        chunk = rows[start : start + LOOKUP_CHUNK]
        wanted = [r.existing for r in chunk if r.existing is not None and not r.errors] if update else []
        customers = Customer.objects.select_related("unit", "owner").in_bulk(wanted)
        for row in chunk:
            if row.errors:
                continue
            if row.existing is None:
                _check_new(job, row, roles_cache)
            elif update:
                _check_update(job, actor, row, customers[row.existing], roles_cache)
        job.processed_rows = start + len(chunk)
        _renew(job, token, processed_rows=job.processed_rows)
    _renew(job, token, duplicate_rows=job.duplicate_rows)


def _ignored(job: ImportJob) -> str:
    if not job.ignored_columns:
        return ""
    names = "、".join(job.ignored_columns)
    return say(f"；已忽略未知列：{names}", f"; unknown columns ignored: {', '.join(job.ignored_columns)}")


# ---- committing: bounded batches, each moving the high-water mark ------------------------------------------


def _pause() -> None:
    bulk.pause()


def _current_owners(rows) -> dict[int, Employee]:
    """The owners named in these rows as they are now: the archive's rules judge the owner at commit
    (one may have left since the check)."""
    ids = {r.values["owner"].pk for r in rows if r.values.get("owner") is not None}
    return {e.pk: e for e in Employee.objects.filter(pk__in=ids).select_related("user", "unit")}


def _current_customers(rows) -> dict[int, Customer]:
    """The archive's customers these rows update, as they are now (destroyed or merged ones are gone)."""
    ids = [r.existing for r in rows if r.existing is not None]
    return Customer.objects.filter(destroyed_at__isnull=True).select_related("unit", "owner").in_bulk(ids)


def _batch(job: ImportJob, token: str, actor: Actor, rows, position: int) -> int:
    """Commit rows from `position` on, at most the batch's size or time; returns the new mark."""
    budget = bulk.Budget()
    creator = Actor.system(f"import #{job.pk} · {actor.name}")  # the right checked is customer.import
    update = job.existing == ImportExisting.UPDATE
    _renew(job, token, batch_started_at=clock.now())  # for /healthz: the age of the open batch
    with transaction.atomic():
        access.require(actor, "customer.import")
        if not access.unit_in_scope(actor, "customer.import", job.unit):
            raise NotFound("单位", "unit")
        end, ids, updated, skipped = position, [], [], 0
        window = rows[position : position + settings.KEFU_BULK_BATCH_ROWS]
        owners = _current_owners(window)
        customers = _current_customers(window) if update else {}
        while end < len(rows) and budget.more(end - position):
            row = rows[end]
            if row.errors:  # a rule that changed since the check (only on a resumed job)
                raise LateFailure(row, row.errors[0])
            fields, contact = _fields(job, row)
            if fields.get("owner") is not None:
                fields["owner"] = owners[fields["owner"].pk]
            contacts = [contact] if contact.get("name") else []
            try:
                if row.existing is None:
                    ids.append(
                        archive_imports.import_customer(
                            creator, unit=job.unit, contacts=contacts, **fields
                        ).pk
                    )
                elif not update:
                    skipped += 1
                else:
                    customer = customers.get(row.existing)
                    if customer is None or not access.unit_in_scope(actor, "customer.import", customer.unit):
                        raise LateFailure(row, say(*OUT_OF_SCOPE))
                    archive_imports.update_imported(creator, customer, fields, contacts=contacts)
                    updated.append(customer.pk)
            except DomainError as error:
                raise LateFailure(row, error.message) from error
            end += 1
        audit.record(
            actor,
            "customer.import.batch",
            job,
            after={
                "rows": [rows[position].number, rows[end - 1].number],
                "created": len(ids),
                "ids": ids,
                "updated": updated,
                "skipped": skipped,
            },
        )
        moved = ImportJob.objects.filter(pk=job.pk, lease_token=token, created_rows=position).update(
            created_rows=end,
            processed_rows=end,
            updated_rows=F("updated_rows") + len(updated),
            skipped_rows=F("skipped_rows") + skipped,
            batch_started_at=None,
            lease_until=_lease_end(),
        )
        if moved != 1:  # another runner moved the mark: this batch is theirs, roll it back
            raise LeaseLost(job.pk)
    job.created_rows = job.processed_rows = end
    job.updated_rows += len(updated)
    job.skipped_rows += skipped
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
        _stop(job, actor, header, rows, None, error.message)
        return
    audit.record(
        actor,
        "customer.import.commit",
        job,
        after={
            "created": job.new_rows,
            "updated": job.updated_rows,
            "skipped": job.skipped_rows,
            "ignored": job.ignored_columns,
        },
    )
    _finish_job(
        job,
        ImportStatus.DONE,
        say(
            f"已导入：新增 {job.new_rows} 位客户，更新 {job.updated_rows} 位，跳过档案中已有的 {job.skipped_rows} 位",
            f"{job.new_rows} customers imported, {job.updated_rows} updated, {job.skipped_rows} already in the "
            "archive skipped",
        )
        + _ignored(job),
    )


def _stop(job: ImportJob, actor: Actor, header, rows, row, text: str) -> None:
    """A late failure: the batches before stay; the job says where it stopped and why."""
    done = job.created_rows
    job.error_rows = 1
    if row is not None:
        row.errors[:] = [text]
        job.error_report = sheets.error_workbook(header, [row])
        where = say(f"第 {row.number} 行：{text}", f"row {row.number}: {text}")
    else:
        where = text
    if done:
        status = ImportStatus.STOPPED
        message = where + say(
            f"；此前已导入 {done} 位客户，其余未导入",
            f"; stopped: {done} rows before it were imported, the rest not",
        )
    else:
        status = ImportStatus.FAILED
        message = where + say("；未导入任何数据", "; nothing was imported")
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
        with translation.override(job.language):  # the report in the language the import was started in
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
        _finish_job(
            job,
            ImportStatus.FAILED,
            say(f"表头重复：{names}", f"these columns are given twice: {', '.join(parsed.repeated)}"),
        )
        return
    if parsed.problem:
        _finish_job(job, ImportStatus.FAILED, say(*HEADER_PROBLEMS[parsed.problem]) + _ignored(job))
        return
    job.total_rows = len(rows)
    _renew(job, token, total_rows=job.total_rows)
    if not rows:
        _finish_job(job, ImportStatus.FAILED, say("没有数据行", "No data rows") + _ignored(job))
        return
    _check_rows(job, actor, rows, token)
    bad = [r for r in rows if r.errors]
    job.error_rows = len(bad)
    if bad:
        job.error_report = sheets.error_workbook(header, bad)  # the bad rows only (issue 13)
        first = bad[0]
        _finish_job(
            job,
            ImportStatus.FAILED,
            say(
                f"{len(bad)} 行有误，未导入任何数据；第 {first.number} 行：{first.errors[0]}",
                f"{len(bad)} rows have errors, nothing was imported; row {first.number}: {first.errors[0]}",
            )
            + _ignored(job),
        )
        return
    job.status, job.created_rows, job.updated_rows, job.skipped_rows = ImportStatus.COMMITTING, 0, 0, 0
    _renew(job, token, status=job.status, created_rows=0, updated_rows=0, skipped_rows=0, error_rows=0)
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
                    object_repr="导入文件与错误报告",
                    after={"jobs": count},
                )
    return purged


def purge_due(run=None) -> int:
    """The daily `customer_governance.import_purge` schedule (WF-5; `run` is its ScheduleRun)."""
    return purge_import_copies()
