"""APR-1 with real parallel connections on PostgreSQL: two managers publish the same round at the same
moment — it is published once (one set of ranks, one reward proposal, one notification each); the
other answers that it is already published. The race is forced: both have passed the permission
check and wait at a barrier before taking the round's row lock."""

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection, connections

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.errors import Conflict
from kefu.discipline.models import PenaltyProposal
from kefu.engine.notifications.models import Notification
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit
from kefu.quality import seed as quality_seed
from kefu.quality.actions import appraisals as actions
from kefu.quality.models import AppraisalItem, AppraisalRound, AppraisalScheme, ItemKind, RoundState

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_apr1_publishing_twice_at_once_publishes_once(monkeypatch, admin_user):  # APR-1
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    # a transactional test before this one emptied the tables the migrations seeded
    quality_seed.apply_appraisal(AppraisalScheme, AppraisalItem, clock.now())
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    manager = actor_for(people["wangfang"].user, origin="test")
    hotline = Unit.objects.get(code="realty-cs-hotline")
    round_ = actions.open_round(manager, unit=hotline, period_kind="month", day=date(2026, 2, 10))
    entries = [
        {"result_id": s.result_id, "item_id": s.item_id, "points": 90}
        for r in round_.results.all()
        for s in r.scores.filter(item__kind=ItemKind.MANUAL)
    ]
    actions.score_many(manager, round_, entries)
    members = round_.results.count()
    both_ready = threading.Barrier(2, timeout=20)
    real = actions._locked

    def lock_together(found):
        both_ready.wait()  # neither locks before both have passed their checks
        return real(found)

    monkeypatch.setattr(actions, "_locked", lock_together)
    outcomes, guard = [], threading.Lock()

    def publish(username):
        try:
            me = actor_for(people[username].user, origin="test")
            actions.publish(me, AppraisalRound.objects.get(pk=round_.pk))
            with guard:
                outcomes.append("published")
        except Conflict as error:
            with guard:
                outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=publish, args=(u,)) for u in ("wangfang", "lina")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    clock.reset()
    assert sorted(outcomes) == ["appraisal_published", "published"]
    assert AppraisalRound.objects.get(pk=round_.pk).state == RoundState.PUBLISHED
    assert (
        PenaltyProposal.objects.filter(offence="appraisal_outstanding").count() == members
    )  # all tied at 90
    assert Notification.objects.filter(template="quality.appraisal_published").count() == members
