"""FUP-2: a revisit due outside the customer's contact window waits for it — its due time and its next
try move into the next window, and the queue says so; an attempt outside the window is refused."""

from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.errors import Invalid
from kefu.customers.models import Customer
from kefu.engine.workflow import api as workflow
from kefu.followups.actions import attempts
from kefu.followups.models import Outcome, RevisitTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def lunch(demo):
    customer = Customer.objects.filter(unit__path__startswith=demo["gaofeng"].unit.path).first()
    Customer.objects.filter(pk=customer.pk).update(contact_window="12:00–14:00", no_third_party_contact=False)
    return Customer.objects.get(pk=customer.pk)


def test_fup2_revisit_due_outside_the_window_waits_for_it(demo, plan, open_case, resolve, lunch, frozen):
    task = RevisitTask.objects.get(case=resolve(open_case(customer=lunch)))
    due = clock.local(task.due_at)
    assert (due.hour, due.minute) == (12, 0)  # two working days on, at 10:00 → when the window opens
    (timer,) = workflow.clocks(task)
    assert timer.due_at == task.due_at  # the timer waits with it


def test_fup2_queue_shows_the_revisit_waiting_for_the_window(
    demo, client, plan, open_case, resolve, lunch, frozen
):
    task = RevisitTask.objects.get(case=resolve(open_case(customer=lunch)))
    client.force_login(demo["zhengkai"].user)
    body = client.get("/revisits/").content.decode()
    assert "等待联系时段 12:00–14:00" in body
    assert "等待联系时段" in client.get(f"/revisits/{task.pk}/").content.decode()
    clock.freeze(frozen + timedelta(hours=3))  # 13:00 local: inside
    assert "等待联系时段" not in client.get("/revisits/").content.decode()


def test_fup2_attempt_outside_the_window_is_refused_and_the_retry_waits(
    demo, act, plan, open_case, resolve, lunch, frozen
):
    task = RevisitTask.objects.get(case=resolve(open_case(customer=lunch)))
    with pytest.raises(Invalid) as refused:  # 10:00 local
        attempts.record(act("zhengkai"), task, outcome=Outcome.UNREACHABLE)
    assert refused.value.code == "FUP-2.contact_window"
    clock.freeze(frozen + timedelta(hours=3, minutes=30))  # 13:30 local: no answer
    attempts.record(act("zhengkai"), task, outcome=Outcome.UNREACHABLE)
    task.refresh_from_db()
    retry = clock.local(task.next_try_at)
    assert 12 <= retry.hour < 14 and task.due_at == task.next_try_at  # the next try inside the window
    (timer,) = [t for t in workflow.clocks(task) if t.name == "revisit_retry"]
    assert timer.due_at == task.due_at
