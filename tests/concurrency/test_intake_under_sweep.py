"""Intake while the worker sweeps 1,000 due SLA clocks (issue 11): no error, every clock fired once.

Before issue 11 the sweep's `FOR UPDATE` (no `OF`) also locked the `django_content_type` row of cases
for a whole batch, and every intake checks its clocks' foreign key against that row: intake waited on
the sweep (and, with the audit chain head locked by both, deadlocked — 59 of 112 requests answered
500). Intakes here refuse to wait on any lock longer than LOCK_TIMEOUT, so a wait on a sweep batch is
an error, not a slow pass.
"""

import threading

from django.db import connection, connections

from kefu.cases import actions as cases
from kefu.cases.models import Case
from kefu.core import audit, clock
from kefu.engine.workflow.actions import deadlines
from kefu.org.access import actor_for
from tests.concurrency.support import demo_with_groups, fired_once, overdue_cases, pg_only

DUE = 1000
INTAKE_THREADS = 4
LOCK_TIMEOUT = "3s"  # far longer than any intake's own lock waits, far shorter than a sweep batch


@pg_only
def test_intake_while_the_sweep_fires_a_thousand_clocks(admin_user):  # WF-2 / CASE-3
    people = demo_with_groups()
    due = overdue_cases(DUE, people["zhaomin"])
    sweeping = threading.Event()
    errors: list = []
    created: list[int] = []
    fired: list[int] = []

    def sweep():
        try:
            sweeping.set()
            fired.append(deadlines.sweep())
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    def intake(username: str, n: int):
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            actor = actor_for(people[username].user, origin="thread")
            count = 0
            while count < 3 or (sweeper.is_alive() and count < 25):  # all along the sweep
                case, _ = cases.create_case(
                    actor,
                    unit=people[username].unit,
                    kind="complaint" if count % 3 == 0 else "consultation",
                    channel="phone",
                    title=f"来电 {n}-{count}",
                    contact={"name": "钱先生", "phone": f"1351234{n:02d}{count:02d}"},
                )
                created.append(case.pk)
                count += 1
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    sweeper = threading.Thread(target=sweep)
    sweeper.start()
    assert sweeping.wait(10)
    clerks = [
        threading.Thread(target=intake, args=(name, n)) for n, name in enumerate(["zhaomin", "sunli"] * 2)
    ]
    for thread in clerks:
        thread.start()
    for thread in clerks:
        thread.join()
    sweeper.join()
    assert errors == []
    assert fired[0] >= DUE
    assert fired_once(due, clock.now()) == (0, DUE, 0)  # none left running, one breach each, none twice
    assert Case.objects.filter(pk__in=created).count() == len(created) >= 3 * INTAKE_THREADS
    audit.seal_pending()
    assert audit.verify().ok
