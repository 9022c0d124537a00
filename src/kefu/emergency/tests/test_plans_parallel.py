"""EMG-1 with real parallel connections on PostgreSQL: two managers issue a new version of the same plan
at the same moment — both succeed, numbered 2 and 3 (the plan's row lock, backed by the unique
(plan, number) constraint), each distributed once; one person acknowledging twice at once is recorded
once."""

from datetime import UTC, datetime

import pytest
from django.db import connection

from kefu import demo as demo_data
from kefu.core import clock
from kefu.core.models import AuditEvent
from kefu.emergency.actions import plans as actions
from kefu.emergency.models import Distribution, PlanVersion
from kefu.emergency.tests.parallel import together
from kefu.org.access import actor_for
from kefu.org.models import Employee, Unit

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_emg1_parallel_versions_and_acknowledgements(admin_user):  # EMG-1
    demo_data.load(service_cases=False)
    clock.freeze(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    people = {e.user.username: e for e in Employee.objects.select_related("user", "unit")}
    act = lambda username: actor_for(people[username].user, origin="test")  # noqa: E731
    plan = actions.create_from_template(
        act("wangfang"), unit=Unit.objects.get(code="hc-realty"), plan_type="fire"
    )
    made = together(
        lambda note: actions.new_version(act("wangfang"), plan, effective_on=clock.today(), note=note).number,
        ["甲", "乙"],
    )
    assert sorted(made) == [2, 3], made
    v3 = PlanVersion.objects.get(plan=plan, number=3)
    staff = Distribution.objects.filter(version__plan=plan, version__number=1).count()
    assert Distribution.objects.filter(version=v3).count() == staff
    done = together(lambda _: actions.acknowledge(act("zhaomin"), v3).acknowledged_at, [1, 2])
    assert all(isinstance(d, datetime) for d in done) and done[0] == done[1], done
    assert AuditEvent.objects.filter(action="emergency.plan.acknowledge", object_id=str(v3.pk)).count() == 1
    clock.reset()
