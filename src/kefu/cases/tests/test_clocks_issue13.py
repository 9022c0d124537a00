"""Issue 13 · clocks (SLA-2, ESC-1, WF-2): a 24×7 case re-escalates on its own calendar, and a clock
says it was breached — at the deadline it missed — from its first breach on, while it keeps running."""

from datetime import UTC, datetime, timedelta

from django.test import Client

from kefu.cases.tests.test_api_cases import bearer
from kefu.core import clock
from kefu.engine.workflow.actions import deadlines
from kefu.engine.workflow.models import Timer, TimerState

NATIONAL_DAY_10AM = datetime(2026, 10, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, a statutory holiday


def test_issue13_clocks_rescue_case_reescalates_on_its_24x7_calendar(new_case):  # SLA-2 ESC-1 WF-6
    clock.freeze(NATIONAL_DAY_10AM)
    case = new_case(kind="rescue", title="车辆抛锚", extra={"rescue_type": "交通"})
    assert case.calendar == "24x7"
    first = Timer.objects.get(object_id=str(case.pk), name="first_response")
    assert first.due_at == NATIONAL_DAY_10AM + timedelta(minutes=15)

    clock.freeze(NATIONAL_DAY_10AM + timedelta(minutes=16))  # the sweep notices at 10:16
    deadlines.sweep()
    first.refresh_from_db()
    assert first.escalation_level == 1 and first.state == TimerState.RUNNING
    # the next look: cases.reescalate_after (4 h) on the case's 24×7 calendar — 14:16 the same day
    assert first.next_check_at == NATIONAL_DAY_10AM + timedelta(hours=4, minutes=16)
    # breached from the first breach on, at the missed deadline (10:15), not the check (10:16)
    assert first.breached_at == first.due_at == NATIONAL_DAY_10AM + timedelta(minutes=15)

    clock.freeze(first.next_check_at)
    deadlines.sweep()
    first.refresh_from_db()
    assert first.escalation_level == 2 and first.state == TimerState.RUNNING
    assert first.breached_at == NATIONAL_DAY_10AM + timedelta(minutes=15)  # still the first breach


def test_issue13_clocks_breached_is_set_from_the_first_breach_and_shown(new_case):  # SLA-2
    case = new_case(kind="complaint", title="维修拖延投诉")
    first = Timer.objects.get(object_id=str(case.pk), name="first_response")
    clock.freeze(first.due_at + timedelta(minutes=3))
    deadlines.sweep()
    first.refresh_from_db()
    assert first.state == TimerState.RUNNING and first.escalation_level == 1
    assert first.breached_at == first.due_at
    # the API reads the same: running, breached at the missed deadline
    answer = Client().get(f"/api/v1/cases/{case.pk}", **bearer(case.owner.user)).json()
    (shown,) = [c for c in answer["clocks"] if c["name"] == "first_response"]
    assert shown["state"] == "running" and shown["escalation_level"] == 1
    assert datetime.fromisoformat(shown["breached"]) == first.due_at
