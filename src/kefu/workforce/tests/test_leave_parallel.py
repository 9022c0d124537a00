"""LV-4 under parallel requests: one person's last paid rest day of the quarter is given once, their
quota row locked (never a global lock) — PostgreSQL, real parallel connections."""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from kefu.core import clock
from kefu.org.access import actor_for
from kefu.workforce.actions import leave as actions
from kefu.workforce.models import LeaveRequest


def _in_parallel(works):
    start, results = threading.Barrier(len(works), timeout=30), []

    def run(work):
        try:
            start.wait()
            results.append(work())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(w,)) for w in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_last_paid_day_given_once(demo, frozen):  # LV-4
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    at = clock.now()
    me = actor_for(demo["zhaomin"].user, origin="test")
    days = [date(2026, 3, 4), date(2026, 3, 11), date(2026, 3, 18), date(2026, 3, 25)]

    def ask(day):
        def work():
            clock.freeze(at)
            return actions.request(
                me, kind="rest", starts_on=day, ends_on=day, reason="休息", arrangement="交孙丽"
            ).pk

        return work

    made = _in_parallel([ask(d) for d in days])
    assert len(made) == 4
    paid = sorted(LeaveRequest.objects.filter(pk__in=made).values_list("paid_days", flat=True))
    assert paid == [0, 0, 0, 1]  # one paid day in the quarter, whichever request came first
