"""Issue 11 / CUS-8: an import checks every rule of every row before writing anything, then commits in
bounded batches that are idempotent and resumable, and shows its commit progress."""

import io
import math
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from kefu.core import clock
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.customers.actions import imports as archive_imports
from kefu.customers.governance import actions
from kefu.customers.governance.actions import imports
from kefu.customers.governance.models import ImportJob, ImportStatus
from kefu.customers.models import Customer
from kefu.org.models import Employee, Unit

HEADER = ["名称", "手机", "受众类别", "层级", "负责人工号"]


def _workbook(rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(count: int, start: int = 0):
    return [[f"批量{i}", f"139{i:08d}", "B", "普通", ""] for i in range(start, start + count)]


def _start(demo, actor_of, content) -> ImportJob:
    return actions.start_import(
        actor_of(demo["songyu"]),
        unit=Unit.objects.get(code="realty-cs"),
        filename="客户.xlsx",
        content=content,
        existing="skip",
    )


def _imported() -> int:
    return Customer.objects.filter(name__startswith="批量").count()


@pytest.fixture
def small_batches(settings):
    settings.KEFU_BULK_BATCH_ROWS = 2
    settings.KEFU_BULK_BATCH_MS = 60_000
    settings.KEFU_BULK_PAUSE_MS = 0


@pytest.mark.django_db
def test_a_row_deep_in_a_large_file_breaking_the_owner_rule_is_refused_in_checking(demo, actor_of, frozen):
    # CUS-2 / CUS-8: row 40,000 is a key customer without an owner; the whole file is refused while
    # checking, before any batch is written — nothing fails late
    rows = _rows(40_000)
    rows[39_998] = ["重点客户", "13000000000", "B", "重点", ""]  # sheet row 40,000 (row 1 is the header)
    job = actions.run_import(_start(demo, actor_of, _workbook(rows)).pk)
    assert job.status == ImportStatus.FAILED
    assert "第 40000 行" in job.message and "CUS-2" in job.message
    assert job.error_rows == 1 and job.created_rows == 0
    assert _imported() == 0 and not Customer.objects.filter(name="重点客户").exists()
    assert not AuditEvent.objects.filter(action="customer.import.batch").exists()


@pytest.mark.django_db
def test_the_owner_rule_for_a_named_owner_is_checked_before_writing(demo, actor_of, frozen, small_batches):
    # CUS-2: a normal customer's owner must hold customer.manage; 财务 does not — refused in checking
    finance = Employee.objects.filter(
        role_assignments__role__code="finance", unit__path__startswith=Unit.objects.get(code="hc-realty").path
    ).first()
    if finance is None:
        pytest.skip("the demo has no finance person in 华辰置业")
    rows = _rows(5)
    rows[3][4] = finance.number
    job = actions.run_import(_start(demo, actor_of, _workbook(rows)).pk)
    assert job.status == ImportStatus.FAILED and "第 5 行" in job.message and "CUS-2" in job.message
    assert _imported() == 0


@pytest.mark.django_db
def test_rows_are_committed_in_bounded_batches(demo, actor_of, frozen, small_batches):
    # issue 11: at most KEFU_BULK_BATCH_ROWS rows per transaction, each recorded with its rows
    job = actions.run_import(_start(demo, actor_of, _workbook(_rows(7))).pk)
    assert job.status == ImportStatus.DONE, job.message
    assert (job.total_rows, job.created_rows, job.committed_percent) == (7, 7, 100)
    batches = list(AuditEvent.objects.filter(action="customer.import.batch").order_by("id"))
    assert len(batches) == math.ceil(7 / 2)
    assert [b.after["rows"] for b in batches] == [[2, 3], [4, 5], [6, 7], [8, 8]]
    assert sum(b.after["created"] for b in batches) == 7 == _imported()
    assert AuditEvent.objects.filter(action="customer.import.commit").get().after["created"] == 7
    assert job.lease_token == "" and job.batch_started_at is None


class Killed(BaseException):
    """The worker process dies (SIGKILL, power cut): nothing in the runner gets to clean up."""


@pytest.mark.django_db
def test_a_job_killed_mid_batch_resumes_from_its_high_water_mark_without_duplicates(
    demo, actor_of, frozen, small_batches, monkeypatch, settings
):
    # issue 11: killed in batch 3 (rows 5–6) after batches 1–2 committed; the resume commits the rest once
    job = _start(demo, actor_of, _workbook(_rows(7)))
    real, calls = archive_imports.import_customer, []

    def dying(*args, **kwargs):
        calls.append(1)
        if len(calls) == 6:
            raise Killed
        return real(*args, **kwargs)

    monkeypatch.setattr(archive_imports, "import_customer", dying)
    with pytest.raises(Killed):
        actions.run_import(job.pk)
    monkeypatch.setattr(archive_imports, "import_customer", real)
    job.refresh_from_db()
    assert job.status == ImportStatus.COMMITTING and job.created_rows == 4 and _imported() == 4
    assert job.lease_token  # the dead runner's lease still stands

    # commit progress on the API and the page while the job is in the middle
    user = demo["songyu"].user
    _token, raw = create_token(Actor(user=user, origin="test"), user=user, name="脚本")
    body = (
        Client()
        .get(f"/api/v1/customers/governance/imports/{job.pk}", HTTP_AUTHORIZATION=f"Bearer {raw}")
        .json()
    )
    assert (body["status"], body["created_rows"], body["total_rows"], body["committed_percent"]) == (
        "committing",
        4,
        7,
        57,
    )
    page = Client()
    page.force_login(user)
    html = page.get(f"/customers/governance/imports/{job.pk}/").content.decode()
    assert "导入中 4/7" in html and 'id="import-committed"' in html and "已导入 4 / 7 行" in html

    # nobody else runs it while the lease stands, not even the resume sweep
    assert actions.run_import(job.pk).created_rows == 4
    assert actions.resume_imports() == 0
    clock.advance(timedelta(seconds=settings.KEFU_BULK_LEASE_SECONDS + 1))
    assert actions.resume_imports() == 1
    assert actions.resume_imports() == 0  # claimed for the queued task: queued once
    queued = (
        DBTaskResult.objects.filter(task_path__endswith="run_import_task").order_by("-enqueued_at").first()
    )
    job_id, token = queued.args_kwargs["args"]
    job = actions.run_import(job_id, token=token)
    assert job.status == ImportStatus.DONE and job.created_rows == 7, job.message
    assert _imported() == 7
    phones = list(Customer.objects.filter(name__startswith="批量").values_list("phone_index", flat=True))
    assert len(set(phones)) == 7  # every row once
    assert (
        AuditEvent.objects.filter(
            action="customer.create",
            object_id__in=[
                str(c) for c in Customer.objects.filter(name__startswith="批量").values_list("pk", flat=True)
            ],
        ).count()
        == 7
    )
    assert actions.run_import(job.pk).created_rows == 7  # finished: running it again does nothing


@pytest.mark.django_db
def test_a_runner_that_lost_its_lease_cannot_commit_a_batch(demo, actor_of, frozen, small_batches):
    # issue 11: the mark moves only from the value the batch started at, under the runner's lease
    job = _start(demo, actor_of, _workbook(_rows(3)))
    token = imports.claim(job.pk)
    assert token and imports.claim(job.pk) is None  # one runner at a time
    ImportJob.objects.filter(pk=job.pk).update(lease_token="somebody-else")
    assert actions.run_import(job.pk, token=token).status == ImportStatus.QUEUED
    assert _imported() == 0


@pytest.mark.django_db
def test_a_change_after_checking_stops_the_import_keeping_the_committed_batches(
    demo, actor_of, frozen, small_batches, monkeypatch
):
    # issue 11: the owner of row 5 leaves while batch 1 is committed; batch 2 fails on the CUS-2 owner
    # rule and rolls back; batch 1 stays; the job says where it stopped (status stopped)
    owner = demo["zhaomin"]
    rows = _rows(5)
    rows[3][4] = owner.number
    job = _start(demo, actor_of, _workbook(rows))
    real, calls = archive_imports.import_customer, []

    def leaving(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            Employee.objects.filter(pk=owner.pk).update(status="left")
        return real(*args, **kwargs)

    monkeypatch.setattr(archive_imports, "import_customer", leaving)
    job = actions.run_import(job.pk)
    assert job.status == ImportStatus.STOPPED
    assert job.created_rows == 2 and _imported() == 2
    assert "第 5 行" in job.message and "已导入 2 位客户" in job.message
    assert job.error_report and job.finished_at is not None and not job.content


@pytest.mark.pg_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="parallel connections are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_runners_started_at_once_import_every_row_once(real_demo_load, demo, actor_of, small_batches):
    # issue 11: the same job run twice at the same moment (a task queued twice, a resume racing the
    # first runner): one claims the lease, the other leaves it; every row is imported once
    job = _start(demo, actor_of, _workbook(_rows(9)))
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        barrier.wait()
        try:
            outcomes.append(actions.run_import(job.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 9
    assert _imported() == 9
    assert (
        len(set(Customer.objects.filter(name__startswith="批量").values_list("phone_index", flat=True))) == 9
    )
    assert AuditEvent.objects.filter(action="customer.import.batch").count() == math.ceil(9 / 2)
