"""The workflow engine's public interface (`engine/workflow/api.py`) on the toy record type: what a
domain app reads of a record's clocks and approvals without touching the engine's models."""

import pytest
from django.db.models import Exists

from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.api import ApprovalStatus, TimerState
from kefu.org.access import actor_for
from tests.toy.models import Ticket

pytestmark = pytest.mark.django_db


def act(demo, username):
    return actor_for(demo[username].user, origin="test")


@pytest.fixture
def two_open(demo, new_ticket, frozen):
    zhaomin = act(demo, "zhaomin")
    return [
        workflow.transition(zhaomin, new_ticket(), "submit", data={"title": t}) for t in ("水压不足", "停电")
    ]


def test_clocks_of_a_record_and_of_many(two_open):
    first, second = two_open
    names = [t.name for t in workflow.clocks(first)]
    assert names and {t.object_id for t in workflow.clocks(first)} == {str(first.pk)}
    both = workflow.clocks(two_open, states=(TimerState.RUNNING,))
    assert {t.object_id for t in both} == {str(first.pk), str(second.pk)}
    assert list(workflow.clocks(first, names=names[:1]).values_list("name", flat=True)) == names[:1]
    assert not workflow.clocks([]).exists()
    assert not workflow.clocks(first, states=(TimerState.BREACHED,)).exists()


def test_next_due_is_the_earliest_running_or_missed_deadline(two_open):
    first, _ = two_open
    running = workflow.clocks(first, states=(TimerState.RUNNING,))
    assert workflow.next_due(first) == min(t.due_at for t in running)
    workflow.stop(first, [t.name for t in running])
    assert workflow.next_due(first) is None


def test_outer_clocks_is_a_per_row_subquery(two_open):
    first, second = two_open
    workflow.stop(second, [t.name for t in workflow.clocks(second)])
    running = Exists(workflow.outer_clocks(Ticket, states=(TimerState.RUNNING,)))
    assert set(Ticket.objects.filter(running).values_list("pk", flat=True)) == {first.pk}


def test_pending_latest_approvals_and_who_is_asked(demo, two_open):
    first, second = two_open
    zhaomin = act(demo, "zhaomin")
    assert workflow.pending_approval(first) is None and workflow.latest_approval(first) is None
    resolved = workflow.transition(zhaomin, first, "resolve", data={"answer": "已调压"})
    workflow.transition(zhaomin, resolved, "request_compensation", data={"compensation": "800"})
    pending = workflow.pending_approval(first)
    assert pending is not None and pending.status == ApprovalStatus.PENDING
    assert workflow.latest_approval(first) == pending and list(workflow.approvals([first, second])) == [
        pending
    ]
    steps = list(
        workflow.approvals(first).prefetch_related(workflow.steps_in_order("decided_by"))[0].steps.all()
    )
    assert [s.index for s in steps] == sorted(s.index for s in steps)
    assert list(workflow.asked_of(demo["lina"].user, Ticket)) == [str(first.pk)]
    assert not list(workflow.asked_of(demo["sunli"].user, Ticket))
