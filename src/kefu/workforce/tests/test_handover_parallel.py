"""HO-1 and ATT-1 on PostgreSQL with real parallel connections: racing sweeps open a shift's rest
handover once; racing taps leave one attendance row per person and day."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.errors import DomainError
from kefu.org.access import actor_for
from kefu.org.models import Employee
from kefu.workforce.actions import attendance, handovers
from kefu.workforce.models import AttendanceRecord, Handover, Rota, RotaShift, RotaState


def _in_parallel(n, work):
    start, results = threading.Barrier(n, timeout=30), []

    def run():
        try:
            start.wait()
            results.append(work())
        except DomainError as error:
            results.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_racing_sweeps_and_taps(admin_user):  # HO-1 ATT-1
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    demo_data.load(service_cases=False)
    at = datetime(2026, 3, 2, 9, 40, tzinfo=UTC)
    clock.freeze(at)
    zhaomin = Employee.objects.select_related("user", "unit").get(user__username="zhaomin")
    rota = Rota.objects.create(
        unit=zhaomin.unit, starts_on=at.date(), ends_on=at.date(), state=RotaState.PUBLISHED, created_at=at
    )
    RotaShift.objects.create(
        rota=rota,
        employee=zhaomin,
        starts_at=at - timedelta(hours=7, minutes=40),
        ends_at=at + timedelta(minutes=20),
    )
    opened = _in_parallel(4, handovers.open_due)
    assert sum(opened) == 1 and Handover.objects.count() == 1
    taps = _in_parallel(4, lambda: attendance.clock_tap(actor_for(zhaomin.user, origin="test")).pk)
    assert AttendanceRecord.objects.filter(employee=zhaomin).count() == 1
    assert taps.count("attendance_done") == 2  # in, out, then two refusals
