"""The engine end to end: a toy record type (tests only) with a lifecycle, timers, escalation and an
approval chain, driven through time with kefu's clock on the demo organisation (WF-1…WF-6, POL-3)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType

from kefu.core import clock, decisions
from kefu.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from kefu.engine.calendars import api as calendars
from kefu.engine.notifications.models import Notification
from kefu.engine.policy import api as policy
from kefu.engine.workflow import actions
from kefu.engine.workflow.actions import approvals, deadlines, timers, verdicts
from kefu.engine.workflow.history import history
from kefu.engine.workflow.models import ApprovalRequest, Escalation, Timer, TimerState
from kefu.org import actions as org_actions
from kefu.org.access import actor_for
from tests.toy.lifecycle import NOTICE_KEY, RESOLVE_KEY

pytestmark = pytest.mark.django_db
MONDAY_10 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


def act(demo, username, **kwargs):
    return actor_for(demo[username].user, origin="test", **kwargs)


def timer(ticket, name) -> Timer:
    return Timer.objects.get(
        content_type=ContentType.objects.get_for_model(ticket),
        object_id=str(ticket.pk),
        name=name,
        state__in=["running", "paused"],
    )


def inbox(demo, username, template):
    return Notification.objects.filter(recipient=demo[username].user, template=template)


@pytest.fixture
def submitted(demo, new_ticket):
    clock.freeze(MONDAY_10)
    ticket = new_ticket()
    return actions.transition(act(demo, "zhaomin"), ticket, "submit", data={"title": "水压不足"})


def test_declared_transitions_are_enforced(demo, new_ticket):  # WF-1
    ticket = new_ticket()
    zhaomin = act(demo, "zhaomin")
    with pytest.raises(Invalid) as missing:
        actions.transition(zhaomin, ticket, "submit")
    assert missing.value.code == "WF-1.required" and "title" in missing.value.fields
    with pytest.raises(Conflict) as illegal:
        actions.transition(zhaomin, ticket, "resume")
    assert illegal.value.code == "WF-1.illegal_transition" and "WF-1" in illegal.value.zh
    with pytest.raises(PermissionDenied):
        actions.transition(
            act(demo, "huanglei"), ticket, "submit", data={"title": "x"}
        )  # a salesman: no role
    with pytest.raises(PermissionDenied):
        actions.transition(
            act(demo, "tangning"), ticket, "submit", data={"title": "x"}
        )  # supervisory only (ORG-4)
    with pytest.raises(Invalid) as unknown:
        actions.transition(zhaomin, ticket, "submit", data={"title": "x", "state": "closed"})
    assert unknown.value.code == "WF-1.unknown_fields"
    ticket = actions.transition(zhaomin, ticket, "submit", data={"title": "水压不足"})
    assert ticket.state == "open"
    assert [(h.from_state, h.to_state, h.actor.username) for h in history(ticket)] == [
        ("draft", "open", "zhaomin")
    ]


def test_timers_are_computed_on_the_calendar_from_the_policy_pack(submitted):  # WF-2 / CAL-2 / POL-1
    resolve = timer(submitted, "resolve")
    entry = policy.lookup(RESOLVE_KEY, at=MONDAY_10)
    assert resolve.policy_version == entry.version and resolve.policy_key == RESOLVE_KEY
    assert resolve.due_at == calendars.add_working_days(
        entry.calendar or "office", MONDAY_10, int(entry.value)
    )
    assert resolve.started_at < resolve.warn_at < resolve.due_at
    notice = timer(submitted, "notice")
    assert notice.due_at == MONDAY_10 + policy.lookup(NOTICE_KEY).duration()


def test_a_breach_notifies_once_with_a_decision_record(demo, submitted):  # WF-2 / POL-3
    clock.advance(timedelta(minutes=29))
    assert deadlines.sweep() == 0
    clock.advance(timedelta(minutes=2))
    assert deadlines.sweep() == 1
    assert deadlines.sweep() == 0  # at least once, never twice in effect
    assert inbox(demo, "lina", "timer.breach").count() == 1
    decision = decisions.for_object(submitted).get()
    assert decision.rule == policy.lookup(NOTICE_KEY).rule and "notice" in decision.outcome
    assert Timer.objects.get(name="notice").state == TimerState.BREACHED


def test_waiting_for_the_customer_pauses_the_clock(demo, submitted):  # WF-3
    before = timer(submitted, "resolve").due_at
    zhaomin = act(demo, "zhaomin")
    actions.transition(zhaomin, submitted, "wait")
    assert timer(submitted, "resolve").state == TimerState.PAUSED
    clock.advance(timedelta(days=2))  # Wednesday 10:00
    assert deadlines.sweep() <= 1  # only the un-paused 30-minute notice may fire
    actions.transition(zhaomin, submitted, "resume")
    resumed = timer(submitted, "resolve")
    assert resumed.state == TimerState.RUNNING
    paused = calendars.business_between("office", MONDAY_10, MONDAY_10 + timedelta(days=2))
    assert calendars.business_between("office", before, resumed.due_at) == paused
    assert timers.paused_total(resumed, submitted, deadlines.spec_for(resumed)) == paused


def test_escalation_climbs_level_by_level_until_the_top(demo, submitted):  # WF-6 / WF-2
    resolve = timer(submitted, "resolve")
    clock.freeze(resolve.due_at + timedelta(seconds=1))
    deadlines.sweep()
    assert [e.level_name for e in Escalation.objects.all()] == ["supervisor"]
    assert inbox(demo, "lina", "escalation.raised").count() == 1
    clock.advance(policy.lookup(NOTICE_KEY).duration() + timedelta(seconds=1))
    deadlines.sweep()
    clock.advance(policy.lookup(NOTICE_KEY).duration() + timedelta(seconds=1))
    deadlines.sweep()
    assert [e.level_name for e in Escalation.objects.order_by("level")] == [
        "supervisor",
        "manager",
        "leadership",
    ]
    assert inbox(demo, "wangfang", "escalation.raised").count() == 1
    assert inbox(demo, "gaofeng", "escalation.raised").count() == 0  # the other subsidiary's manager
    assert inbox(demo, "zhangwei", "escalation.raised").count() == 1
    assert Timer.objects.get(name="resolve").state == TimerState.BREACHED
    clock.advance(timedelta(days=3))
    deadlines.sweep()
    assert Escalation.objects.count() == 3


def test_skip_level_only_in_emergencies_and_skipped_levels_are_told(demo, submitted):  # WF-6
    wangfang = act(demo, "wangfang")
    with pytest.raises(Invalid) as err:
        actions.escalate(wangfang, submitted, "toy.escalation", to_level=3, reason="重大投诉")
    assert err.value.code == "WF-6.level_by_level"
    actions.escalate(wangfang, submitted, "toy.escalation", to_level=3, reason="重大投诉", emergency=True)
    assert inbox(demo, "zhangwei", "escalation.raised").count() == 1
    assert inbox(demo, "lina", "escalation.skipped_level").count() == 1
    assert inbox(demo, "wangfang", "escalation.skipped_level").count() == 1
    assert Escalation.objects.get().skipped == ["supervisor", "manager"]


def test_a_timer_missed_while_everything_was_stopped_fires_on_restart(demo, submitted):  # WF-2
    clock.advance(timedelta(days=30))  # the worker was down for a month
    deadlines.sweep()
    assert inbox(demo, "lina", "timer.breach").count() == 1
    assert Escalation.objects.filter(level=1).count() == 1


def test_auto_transition_on_breach(demo, submitted):  # WF-2
    ticket = actions.transition(act(demo, "zhaomin"), submitted, "resolve", data={"answer": "已调压"})
    assert timer(ticket, "autoclose")
    with pytest.raises(PermissionDenied):
        actions.transition(act(demo, "zhaomin"), ticket, "auto_close")  # system-only transitions
    clock.advance(policy.lookup("claims.expiry_reminder_before").duration() + timedelta(minutes=1))
    deadlines.sweep()
    ticket.refresh_from_db()
    assert ticket.state == "closed"
    assert history(ticket).last().actor is None  # made by the system …
    assert "auto_close" in {
        d.outcome.split("→")[-1].strip().split(":")[-1] for d in decisions.for_object(ticket)
    }


@pytest.fixture
def resolved(demo, submitted):
    return actions.transition(act(demo, "zhaomin"), submitted, "resolve", data={"answer": "已调压"})


def test_approval_steps_are_chosen_by_rule_and_each_has_a_deadline(demo, resolved):  # WF-4
    ticket = actions.transition(
        act(demo, "zhaomin"), resolved, "request_compensation", data={"compensation": "800"}
    )
    request = ApprovalRequest.objects.get()
    steps = list(request.steps.order_by("index"))
    assert [s.name for s in steps] == ["supervisor", "second_line"]  # over 500 → two steps
    assert [u.username for u in steps[0].approvers.all()] == ["lina"]
    assert [u.username for u in steps[1].approvers.all()] == ["wangfang"]
    assert inbox(demo, "lina", "approval.requested").count() == 1
    step_timer = Timer.objects.get(name="approval:toy.compensation:supervisor")
    assert step_timer.due_at == policy.lookup(RESOLVE_KEY).due(clock.now())
    with pytest.raises(NotFound):
        verdicts.decide(act(demo, "sunli"), steps[0].pk, "approve")  # not an approver
    with pytest.raises(Invalid):
        verdicts.decide(act(demo, "lina"), steps[0].pk, "reject")  # a reason is required
    verdicts.decide(act(demo, "lina"), steps[0].pk, "approve")
    assert inbox(demo, "wangfang", "approval.requested").count() == 1
    verdicts.decide(act(demo, "wangfang"), steps[1].pk, "return", reason="请补充发票")
    ticket.refresh_from_db()
    request.refresh_from_db()
    assert ticket.state == "resolved" and request.status == "returned"
    # step 1 of 2 is progress, not a result; the result comes once, when the chain ends (issue 13)
    assert inbox(demo, "zhaomin", "approval.progress").count() == 1
    assert inbox(demo, "zhaomin", "approval.decided").count() == 1


def test_overdue_approval_step_tells_the_approver_and_their_superior(demo, resolved):  # WF-4 / LV-2
    actions.transition(act(demo, "zhaomin"), resolved, "request_compensation", data={"compensation": "100"})
    step_timer = Timer.objects.get(name="approval:toy.compensation:supervisor")
    clock.freeze(step_timer.due_at + timedelta(seconds=1))
    deadlines.sweep()
    assert inbox(demo, "lina", "timer.breach").count() == 1
    assert inbox(demo, "wangfang", "timer.breach").count() == 1  # lina's superior


def test_approval_under_delegation_says_so(demo, resolved):  # WF-4 / ORG-5
    actions.transition(act(demo, "zhaomin"), resolved, "request_compensation", data={"compensation": "100"})
    step = ApprovalRequest.objects.get().steps.get()
    lina = demo["lina"]
    delegation = org_actions.create_delegation(
        act(demo, "lina"),
        delegator=lina,
        delegate=demo["sunli"],
        permissions=["approval.decide"],
        starts_at=clock.now(),
        ends_at=clock.now() + timedelta(days=3),
        reason="休假",
    )
    with pytest.raises(NotFound):
        verdicts.decide(act(demo, "sunli"), step.pk, "approve")  # not without acting for lina
    verdicts.decide(act(demo, "sunli", delegation_id=delegation.pk), step.pk, "approve")
    step.refresh_from_db()
    assert step.decided_by.username == "sunli" and step.on_behalf_of.username == "lina"
    resolved.refresh_from_db()
    assert resolved.state == "closed"


def test_supervisory_only_people_never_approve(demo, resolved, admin_actor):  # WF-4 / ORG-4
    # tangning (督导) becomes zhaomin's only supervisor: the chain finds her, but she may not decide
    org_actions.update_employee(admin_actor, demo["zhaomin"], supervisors=[demo["tangning"]])
    actions.transition(act(demo, "zhaomin"), resolved, "request_compensation", data={"compensation": "100"})
    step = ApprovalRequest.objects.get().steps.get()
    with pytest.raises(PermissionDenied):
        verdicts.decide(act(demo, "tangning"), step.pk, "approve")


def test_one_pending_approval_per_record(demo, resolved):  # WF-4
    actions.transition(act(demo, "zhaomin"), resolved, "request_compensation", data={"compensation": "100"})
    with pytest.raises(Conflict):
        approvals.start_approval(act(demo, "zhaomin"), resolved, "toy.compensation", inputs={"amount": "5"})


def test_the_weekly_review_is_produced_once_per_period(demo):  # WF-5
    from kefu.engine.schedules import actions as schedules
    from kefu.engine.schedules.models import ScheduleRun
    from tests.toy.models import Ticket

    def reviews():
        return sorted(Ticket.objects.filter(title__startswith="周例会").values_list("title", flat=True))

    clock.freeze(datetime(2026, 3, 1, 23, 0, tzinfo=UTC))  # Monday 07:00 in Shanghai: not yet due (08:30)
    schedules.sweep()
    first = reviews()
    clock.freeze(MONDAY_10)
    schedules.sweep()
    schedules.sweep()  # a second worker, the same instant
    assert len(reviews()) == len(first) + 1
    clock.advance(timedelta(days=7))
    schedules.sweep()
    assert len(reviews()) == len(first) + 2
    clock.advance(timedelta(days=21))  # three weeks with the worker stopped: caught up once, not three times
    schedules.sweep()
    assert len(reviews()) == len(first) + 3
    assert (
        ScheduleRun.objects.filter(schedule="toy.weekly_review").values("period_key").distinct().count() >= 3
    )


def test_each_timer_fires_in_its_own_short_transaction(demo, new_ticket):  # WF-2, issue 11
    """A sweep locks and fires one timer per transaction — never a batch of breaches in one long
    transaction holding SQLite's only write lock (or PostgreSQL's row locks) for seconds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clock.freeze(MONDAY_10)
    for title in ("水压不足", "停水", "漏水"):
        actions.transition(act(demo, "zhaomin"), new_ticket(), "submit", data={"title": title})
    clock.advance(timedelta(minutes=31))
    with CaptureQueriesContext(connection) as swept:
        assert deadlines.sweep() == 3
    statements = [q["sql"] for q in swept.captured_queries]
    # the timer is read (and on PostgreSQL locked, SKIP LOCKED) by its key, once per timer, as the
    # first statement of its own transaction (a savepoint inside the test's)
    taken = [i for i, sql in enumerate(statements) if 'FROM "workflow_timer"' in sql and '"id" = ' in sql]
    assert len(taken) == 3, statements
    assert all(statements[i - 1].startswith("SAVEPOINT") for i in taken), statements
