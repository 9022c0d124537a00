"""Issue 11: what one SLA breach costs the database in the worker's sweep (SLA-2, ESC-1, WF-6).

Each overdue clock is handled for real: the decision record, the owner told, the case one level up
the chain with its supervisors told, the audit row, the timer's new state. Counted with
CaptureQueriesContext as the marginal cost of more breaches in one sweep (a count, not a timing), on
SQLite and PostgreSQL; audit rows are allowed what `audit.record()` costs today beyond its INSERT.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.core import audit, clock, memo
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.models import Escalation, Timer, TimerState

PER_BREACH = 16  # statements per overdue clock, with one INSERT per audit row (today 15.5)


def _sweep(new_case, count: int, start: int) -> tuple[int, int, int]:
    for n in range(count):
        new_case(title=f"逾期 {start + n}", contact={"name": "钱先生", "phone": f"135000{start + n:05d}"})
    clock.advance(timedelta(days=30))
    rows = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as seen, memo.scope():  # as the worker runs it
        handled = deadlines.sweep()
    return handled, len(seen), AuditEvent.objects.count() - rows


@pytest.mark.django_db
def test_statements_per_breach(new_case, demo):  # SLA-2, ESC-1, issue 11
    few, few_statements, few_audit = _sweep(new_case, 2, 0)
    Timer.objects.update(state=TimerState.DONE, next_check_at=None)  # no re-escalation in round two
    more, more_statements, more_audit = _sweep(new_case, 4, 100)
    assert (few, more) == (4, 8)  # first response and resolution of each case
    assert Escalation.objects.count() == 12
    with CaptureQueriesContext(connection) as one:  # inside the test's transaction, as in an action's
        audit.record(Actor.system("test"), "cases.probe", demo["zhaomin"])
    per_row = len(one) - 1
    per_breach = (more_statements - few_statements) / (more - few)
    audit_rows = (more_audit - few_audit) / (more - few)
    assert per_breach <= PER_BREACH + audit_rows * per_row, (per_breach, audit_rows, per_row)
