"""WFM-1 on PostgreSQL with real parallel connections: a change request is decided once — of the
排班管理员 and the team lead approving at the same moment, one wins, the other is told it is decided,
and the shift changes hands once."""

import threading

import pytest
from django.db import connection, connections

from kefu.core.errors import Conflict
from kefu.core.models import AuditEvent
from kefu.workforce.actions import changes, rotas
from kefu.workforce.models import ChangeState, RotaShift, ShiftChange
from kefu.workforce.tests.conftest import NEXT_MONDAY


def _in_parallel(works):
    start, results = threading.Barrier(len(works), timeout=30), []

    def run(work):
        try:
            start.wait()
            results.append(work())
        except Conflict as error:
            results.append(error.code)
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
def test_change_decided_once(hotline, act, demo):  # WFM-1
    if connection.vendor != "postgresql":
        pytest.skip("parallel connections: PostgreSQL")
    chenjie = act("chenjie")
    rota = rotas.draft(chenjie, hotline, NEXT_MONDAY, NEXT_MONDAY, time_limit=5)
    for _ in range(3):
        rota = rotas.advance(chenjie, rota)
    shift = RotaShift.objects.filter(rota=rota).first()
    owner = shift.employee.user.username
    colleague = next(u for u in ("lina", "zhaomin", "sunli") if u != owner)
    RotaShift.objects.filter(rota=rota, employee=demo[colleague]).delete()  # free that day: rest holds
    change = changes.request(act(owner), shift, demo[colleague], reason="家中有事")
    deciders = [act("chenjie"), act("lina")]
    results = _in_parallel([lambda a=a: changes.decide(a, change, approve=True).state for a in deciders])
    assert sorted(map(str, results)) == sorted([ChangeState.APPROVED, "workforce_change_decided"])
    assert ShiftChange.objects.get(pk=change.pk).state == ChangeState.APPROVED
    assert AuditEvent.objects.filter(action="workforce.change.approve", object_id=str(change.pk)).count() == 1
    shift.refresh_from_db()
    assert shift.employee_id == demo[colleague].pk
