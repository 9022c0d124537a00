"""EMG-4 with real parallel connections on PostgreSQL: two people of the command centre pressing
"启动应急响应" at the same moment activate the response once (the incident's row lock; the checklist is
copied once — unique per position); two workers sweeping a missed activation at once record the breach
once and escalate it once (a skip-locked lock on the incident row and a guarded update). The races
are forced: both have read the incident before either writes."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.errors import Conflict
from kefu.emergency.actions import bodies as body_actions
from kefu.emergency.actions import incidents as actions
from kefu.emergency.actions import plans as plan_actions
from kefu.emergency.models import Body, Incident, IncidentEvent, IncidentTask, Plan
from kefu.emergency.queries import incidents as queries
from kefu.emergency.tests.parallel import together
from kefu.engine.notifications.models import Notification
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"
)


def _world():
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    act = lambda username: actor_for(people[username].user, origin="test")  # noqa: E731
    realty = Unit.objects.get(code="hc-realty")
    plan = Plan.objects.filter(unit=realty, plan_type="fire").first() or plan_actions.create_from_template(
        act("wangfang"), unit=realty, plan_type="fire"
    )
    for kind, key, holder, deputy in (
        ("command", "command.director", "wangfang", "lina"),
        ("leadership", "leadership.leader", "zhouqiang", None),
    ):
        body = Body.objects.filter(unit=realty, kind=kind).first() or body_actions.create_body(
            act("wangfang"), unit=realty, kind=kind
        )
        body_actions.bind_slot(
            act("wangfang"),
            body.slots.get(key=key),
            holder=people[holder],
            deputy=people[deputy] if deputy else None,
        )
    incident = actions.report(
        act("zhaomin"),
        unit=realty,
        plan_type="fire",
        title="配电间冒烟",
        occurred_at=clock.now() - timedelta(minutes=5),
    )
    return act, plan, incident


@pytest.mark.django_db(transaction=True)
def test_emg4_two_activations_at_once_activate_once(admin_user):  # EMG-4
    act, plan, incident = _world()
    made = together(lambda who: actions.activate(act(who), incident), ["wangfang", "wangfang"])
    clock.reset()
    wins = [m for m in made if isinstance(m, Incident)]
    assert len(wins) == 1 and len([m for m in made if isinstance(m, Conflict)]) == 1, made
    steps = plan.versions.order_by("-number").first().steps.count()
    assert IncidentTask.objects.filter(incident=incident).count() == steps
    assert IncidentEvent.objects.filter(incident=incident, kind="activated").count() == 1


@pytest.mark.django_db(transaction=True)
def test_emg4_two_workers_sweeping_record_the_breach_once(admin_user, monkeypatch):  # EMG-4
    _act, _plan, incident = _world()
    clock.advance(timedelta(minutes=26))  # 31 minutes after it occurred, not activated
    both_read = threading.Barrier(2, timeout=20)
    real = queries.overdue_ids

    def read_together(now):
        found = real(now)
        both_read.wait()  # neither locks before both have seen the overdue incident
        return found

    monkeypatch.setattr(queries, "overdue_ids", read_together)
    swept = together(lambda _: actions.sweep(), [1, 2])
    clock.reset()
    assert sorted(swept) == [0, 1], swept
    assert IncidentEvent.objects.filter(incident=incident, kind="breach").count() == 1
    breach = Notification.objects.filter(
        template="emergency.incident_alert", subject__contains="未在时限内启动"
    )
    recipients = list(breach.values_list("recipient__username", flat=True))
    assert recipients and len(recipients) == len(set(recipients)) and "zhouqiang" in recipients
