"""SEC-1 for customer imports: the uploaded workbook, the error report and the message (which may
quote a cell) are stored sealed; the workbook is dropped when the job finishes, the error report
after `customers.import_copy_retention` by the daily schedule; the page and the API then say when."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string
from tests.privacy.scan import bytes_texts

from kefu.core import clock, sealed
from kefu.core.models import AuditEvent
from kefu.customers.governance import actions
from kefu.customers.governance.models import ImportJob, ImportStatus
from kefu.customers.governance.tests.test_import import _start, _workbook
from kefu.customers.governance.tests.test_web_api import _bearer
from kefu.engine.policy import api as policy
from kefu.engine.schedules.actions import sweep_one
from kefu.engine.schedules.registry import SCHEDULES

PHONE, ID_NUMBER = "13966660021", "110101199003074514"
ROWS = [
    ["导入丙", "个人", PHONE, "", "", "杭州", "B", "普通"],
    # no name, a bad phone: the import fails with a report (of this row only), which holds its ID number
    ["", "个人", "12ab", ID_NUMBER, "", "", "B", "普通"],
]
API = "/api/v1/customers/governance/imports"


def stored(pk: int) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, error_report, message FROM customer_governance_importjob WHERE id = %s", [pk]
        )
        content, report, message = cursor.fetchone()
    return {"content": bytes(content or b""), "error_report": bytes(report or b""), "message": message}


def in_clear(data: bytes) -> bool:
    """Whether the phone or the ID number can be read from `data` (inside the .xlsx zip too)."""
    return any(PHONE in text or ID_NUMBER in text for text in bytes_texts(data))


@pytest.mark.django_db
def test_sec1_the_workbook_report_and_message_are_sealed_and_the_workbook_goes_when_done(
    demo, actor_of, frozen
):  # SEC-1
    content = _workbook(ROWS)
    assert in_clear(content)  # the check below can fail: the workbook itself holds both values
    job = _start(demo, actor_of, content)
    row = stored(job.pk)
    assert row["content"].startswith(sealed.MAGIC) and not in_clear(row["content"])
    job.refresh_from_db()
    assert bytes(job.content) == content  # the worker reads the plaintext

    job = actions.run_import(job.pk)
    assert job.status == ImportStatus.FAILED and job.error_rows == 1
    row = stored(job.pk)
    assert row["content"] == b""  # not needed once the job finished
    assert row["error_report"].startswith(sealed.MAGIC) and not in_clear(row["error_report"])
    assert row["message"].startswith("v1:") and "第 3 行" not in row["message"]
    job.refresh_from_db()
    assert in_clear(bytes(job.error_report)) and "第 3 行" in job.message


@pytest.mark.django_db
def test_sec1_the_error_report_is_purged_after_the_retention_and_the_page_and_api_say_when(
    demo, actor_of, frozen, django_capture_on_commit_callbacks
):  # SEC-1
    entry = policy.lookup(actions.imports.RETENTION_KEY)
    assert (entry.rule, entry.value, entry.unit, entry.default_not_from_seeds) == ("SEC-1", 7, "days", True)
    failed = actions.run_import(_start(demo, actor_of, _workbook(ROWS)).pk)
    done = actions.run_import(_start(demo, actor_of, _workbook([["导入丁", "个人", "13966660022"]])).pk)
    assert (failed.status, done.status) == (ImportStatus.FAILED, ImportStatus.DONE)
    client, auth = Client(), _bearer(demo["songyu"])
    client.force_login(demo["songyu"].user)
    page = client.get(f"/customers/governance/imports/{failed.pk}/").content.decode()
    assert "导入结束后保留 7 天，于 2026-03-09 删除" in page and "本系统默认值" in page
    assert client.get(f"{API}/{failed.pk}/errors", headers=auth).status_code == 200
    with CaptureQueriesContext(connection) as listed:  # the list reads no sealed report, row by row
        rows = client.get(API, headers=auth).json()["items"]
    assert {r["id"]: r["has_error_report"] for r in rows} == {failed.pk: True, done.pk: False}
    assert sum("customer_governance_importjob" in q["sql"] for q in listed.captured_queries) <= 2

    clock.advance(entry.duration() - timedelta(minutes=1))
    assert actions.purge_import_copies() == 0  # not yet
    clock.advance(timedelta(minutes=2))
    run = sweep_one(SCHEDULES["customer_governance.import_purge"], clock.now() + timedelta(days=1))
    assert run is not None and run.status == "done"
    failed.refresh_from_db()
    assert (
        failed.purged_at is not None and failed.error_report is None and not stored(failed.pk)["error_report"]
    )
    assert failed.error_rows == 1 and failed.status == ImportStatus.FAILED  # the job's record stays
    assert ImportJob.objects.get(pk=done.pk).purged_at is not None
    assert AuditEvent.objects.get(action="customer.import.purged").after == {"jobs": 2}
    assert actions.purge_import_copies() == 0  # a purged job stays purged

    answer = client.get(f"{API}/{failed.pk}/errors", headers=auth)
    assert answer.status_code == 410 and answer.json()["error"]["code"] == "CUS-8.report_purged"
    assert "2026-03-09" in answer.json()["error"]["message"]
    polled = client.get(f"{API}/{failed.pk}", headers=auth).json()
    assert polled["purged_at"] and polled["has_error_report"] is False
    client.force_login(demo["songyu"].user)  # a week later: the session timed out (SEC-10)
    page = client.get(f"/customers/governance/imports/{failed.pk}/").content.decode()
    assert "错误报告已于 2026-03-09 按保留期删除" in page and "下载错误报告" not in page
    download = client.get(f"/customers/governance/imports/{failed.pk}/errors.xlsx").content.decode()
    assert "错误报告已于 2026-03-09 按保留期删除（SEC-1）" in download
    assert client.get(f"/customers/governance/imports/{done.pk}/errors.xlsx").status_code == 404


@pytest.mark.django_db
def test_sec1_jobs_written_before_the_migration_are_sealed_by_it(demo, actor_of, frozen):  # SEC-1
    migration = import_string("kefu.customers.governance.migrations.0004_seal_imports.seal_existing")
    workbook = _workbook(ROWS)
    job = actions.run_import(_start(demo, actor_of, workbook).pk)
    report = bytes(job.error_report)
    with connection.cursor() as cursor:  # as rows were before: the workbooks and the message in clear
        cursor.execute(
            "UPDATE customer_governance_importjob SET content = %s, error_report = %s, message = %s "
            "WHERE id = %s",
            [workbook, report, "第 3 行：名称必填", job.pk],
        )
    assert in_clear(stored(job.pk)["content"])
    migration(None, SimpleNamespace(connection=connection))
    row = stored(job.pk)
    assert not in_clear(row["content"]) and not in_clear(row["error_report"])
    job.refresh_from_db()
    assert bytes(job.content) == workbook
    assert bytes(job.error_report) == report and job.message == "第 3 行：名称必填"
    migration(None, SimpleNamespace(connection=connection))  # a second run changes nothing
    assert stored(job.pk)["error_report"] == row["error_report"]
