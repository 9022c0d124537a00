"""KPI-1 with real parallel connections on PostgreSQL: two workers never sweep the KPI facts at
once — the second skips the round (the cursor row is locked SKIP LOCKED) instead of waiting, and
the rows it skipped are swept in the next round."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.insights.actions import kpis as facts
from kefu.insights.models import FactCursor


def _feed(n: int) -> None:
    other, _ = FactCursor.objects.get_or_create(name="other")  # any audited object: not a case
    for i in range(n):
        audit.record(Actor.system("test"), "test.event", other, after={"i": i})
    audit.seal_pending()


@pytest.mark.pg_only
@pytest.mark.django_db(transaction=True)
def test_kpi1_a_second_sweeper_skips_instead_of_waiting():  # KPI-1
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    _feed(3)
    FactCursor.objects.get_or_create(name=facts.CURSOR)  # as the migration leaves it
    held, done, got = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                assert facts._lock_cursor() is not None
                held.set()
                done.wait(timeout=20)  # hold the lock until the second sweeper has given up
        finally:
            connections.close_all()

    def second():
        try:
            held.wait(timeout=20)
            got["swept"] = facts.sweep()
        finally:
            done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert got == {"swept": 0}  # skipped, did not wait for the lock
    waiting = AuditEvent.objects.filter(seq__gt=FactCursor.objects.get(name=facts.CURSOR).seq).count()
    assert waiting >= 3 and facts.sweep() == waiting  # the next round reads them (and any row before)
    assert FactCursor.objects.get(name=facts.CURSOR).seq > 0


@pytest.mark.django_db
def test_kpi1_the_rebuild_command(capsys):  # KPI-1
    _feed(2)
    call_command("insights_rebuild")
    out = capsys.readouterr().out
    assert "rebuilt the facts of 0 cases" in out
    cursor = FactCursor.objects.get(name=facts.CURSOR)
    assert cursor.rebuilt_at is not None and cursor.seq > 0
