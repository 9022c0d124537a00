"""Timers of issue 18 fire once, with real parallel connections on PostgreSQL: two workers sweeping at
the same moment record a missed expected time (CASE-8), a late 报备 acknowledgement (CASE-8) and a
missed major-quality notice (SLA-1) once each and escalate each once (the engine's skip-locked lock
on the timer row); two people telling the office supervisor at once tell them once (SLA-1)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from kefu import demo as demo_data
from kefu.cases import actions
from kefu.cases.actions import handoffs as actions_handoffs
from kefu.cases.actions import notices as actions_notices
from kefu.cases.models import Case
from kefu.core import clock
from kefu.core.decisions import for_object
from kefu.core.errors import Conflict
from kefu.emergency.tests.parallel import together
from kefu.engine.notifications.models import Notification
from kefu.engine.workflow import api as workflow
from kefu.engine.workflow.actions import deadlines
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

pytestmark = [
    pytest.mark.pg_only,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"),
]


def _world():
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))  # Monday 10:00 in Shanghai
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    return people, lambda username: actor_for(people[username].user, origin="test")


def _case(people, act, username, **fields):
    case, _ = actions.create_case(
        act(username),
        unit=people[username].unit,
        channel="phone",
        contact={"name": "并发客户", "phone": "13600002222"},
        **fields,
    )
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db(transaction=True)
def test_case8_sla1_two_sweeps_at_once_fire_each_timer_once(admin_user):  # CASE-8, SLA-1, WF-2
    people, act = _world()
    water = _case(people, act, "lvxin", kind="consultation", title="水压不足（并发）")
    if water.owner_id != people["lvxin"].pk:
        actions.routing.assign(act("gaofeng"), water, people["lvxin"])
        water = Case.objects.get(pk=water.pk)
    tech = Unit.objects.get(code="water-tech")
    promised = actions_handoffs.send(act("lvxin"), water, tech, "请排查管网")
    promised = actions_handoffs.acknowledge(act("xuhao"), promised)
    actions_handoffs.defer(act("xuhao"), promised, "配件在途", clock.now() + timedelta(hours=2))
    late_ack = actions_handoffs.send(act("lvxin"), water, tech, "请核实水表")
    quality = _case(people, act, "zhaomin", kind="complaint", major=True, title="重大质量问题（并发）")
    before = workflow.current_level(quality, "case")

    clock.advance(timedelta(hours=6, minutes=1))
    outcomes = together(lambda _: deadlines.sweep(), [1, 2, 3])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes

    expected_missed = [d for d in for_object(water) if d.rule == "CASE-8" and "超时" in d.outcome]
    assert len(expected_missed) == 1
    by_promise = [e for e in workflow.escalations(water) if e.reason.startswith("告知客户的预计处理时间")]
    assert len(by_promise) == 1
    assert len(list(workflow.escalations(late_ack))) == 1
    assert len([d for d in for_object(late_ack) if "超时" in d.outcome]) == 1
    notice_missed = [d for d in for_object(quality) if d.rule == "SLA-1" and "超时" in d.outcome]
    assert len(notice_missed) == 1
    assert workflow.current_level(quality, "case") == before + 1


@pytest.mark.django_db(transaction=True)
def test_sla1_two_people_tell_the_office_supervisor_at_once_once(admin_user):  # SLA-1
    people, act = _world()
    case = _case(people, act, "zhaomin", kind="complaint", major=True, title="重大质量问题：并发通知")
    # no skill groups in this world: the case waits unrouted; two supervisors over it press at once

    def tell(username):
        return actions_notices.notify_office(act(username), Case.objects.get(pk=case.pk), "并发通知")

    outcomes = together(tell, ["lina", "wangfang"])
    assert len([o for o in outcomes if isinstance(o, list)]) == 1, outcomes
    assert len([o for o in outcomes if isinstance(o, Conflict)]) == 1, outcomes
    told = Notification.objects.filter(template="cases.quality_notice", recipient=people["lina"].user)
    assert told.count() == 1
