"""Issue 11: the worker's sweeps run on their own schedule while a long task — a customer import —
runs: an SLA timer that comes due fires while the import is between two batches.

Before, the worker ran its sweeps only after every queued task had finished: during a 50,000-row
import no SLA timer fired and nothing was sent.
"""

import io
import threading
import time
from datetime import timedelta

import pytest
from openpyxl import Workbook

from kefu.core import clock
from kefu.core.worker import Worker
from kefu.customers.governance import actions
from kefu.customers.governance.actions import imports
from kefu.customers.governance.models import ImportJob, ImportStatus
from kefu.engine.workflow import actions as workflow
from kefu.engine.workflow.models import Timer, TimerState
from kefu.org.access import actor_for
from kefu.org.models import Unit


def _workbook(count: int) -> bytes:
    workbook = Workbook()
    workbook.active.append(["名称", "手机", "受众类别"])
    for i in range(count):
        workbook.active.append([f"并行{i}", f"137{i:08d}", "B"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fired() -> bool:
    return Timer.objects.filter(name="notice", state=TimerState.BREACHED).exists()


@pytest.fixture
def frozen_before_demo():
    """Asked for before `demo`: the demo is loaded for real in a transactional test (see governance's
    `real_demo_load`)."""
    clock.freeze(clock.now())
    yield
    clock.reset()


@pytest.mark.django_db(transaction=True)  # the worker's threads use their own connections
def test_an_sla_timer_fires_while_an_import_is_committing(
    frozen_before_demo, demo, new_ticket, settings, monkeypatch
):
    settings.KEFU_BULK_BATCH_ROWS = 2
    clock.freeze(clock.now() - timedelta(hours=1))  # submitted an hour ago: the 30-minute notice is due
    workflow.transition(
        actor_for(demo["zhaomin"].user, origin="test"), new_ticket(), "submit", data={"title": "工单"}
    )
    clock.freeze(clock.now() + timedelta(hours=1))
    assert Timer.objects.filter(name="notice", state=TimerState.RUNNING).exists()

    seen_between_batches = []

    def pause():  # between two batches: wait (bounded) for the sweeps to fire the due timer
        deadline = time.monotonic() + 30
        while not _fired() and time.monotonic() < deadline:
            time.sleep(0.05)
        seen_between_batches.append(_fired())

    monkeypatch.setattr(imports, "_pause", pause)
    job = actions.start_import(
        actor_for(demo["songyu"].user, origin="test"),
        unit=Unit.objects.get(code="realty-cs"),
        filename="客户.xlsx",
        content=_workbook(5),
        existing="skip",
    )
    worker = Worker(interval=0.05)
    runner = threading.Thread(target=worker.run)
    runner.start()
    try:
        deadline = time.monotonic() + 120
        while not ImportJob.objects.get(pk=job.pk).finished and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        worker.stop()
        runner.join(timeout=60)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 5, job.message
    assert seen_between_batches and seen_between_batches[0] is True  # fired while the import ran
