from datetime import date, timedelta

import pytest

from kefu.core import clock
from kefu.org.access import actor_for
from kefu.workforce.models import Rota, RotaShift, RotaState


@pytest.fixture
def act(demo):
    def make(username):
        return actor_for(demo[username].user, origin="test")

    return make


@pytest.fixture
def shift(demo, frozen):
    """shift(username, starts_at, hours=8, state=published) → a RotaShift of a rota of the person's unit."""

    def make(username, starts_at, hours=8, state=RotaState.PUBLISHED):
        employee = demo[username]
        day = clock.local(starts_at).date()
        rota, _ = Rota.objects.get_or_create(
            unit=employee.unit,
            starts_on=date(day.year, day.month, 1),
            ends_on=date(day.year, day.month, 28) + timedelta(days=3),
            state=state,
            defaults={"created_at": clock.now()},
        )
        return RotaShift.objects.create(
            rota=rota, employee=employee, starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours)
        )

    return make
