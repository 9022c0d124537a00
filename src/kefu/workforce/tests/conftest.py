from datetime import date, time, timedelta

import pytest

from kefu.cases.tests.conftest import act, groups, new_case  # noqa: F401  the cases fixtures, reused
from kefu.core import clock
from kefu.org.models import Unit
from kefu.workforce.models import Rota, RotaShift, RotaState

NEXT_MONDAY = date(2026, 3, 9)  # the `frozen` clock is Monday 2 March 2026
NEXT_SUNDAY = date(2026, 3, 15)


@pytest.fixture
def hotline(demo, act, frozen):  # noqa: F811  (`act` is the fixture imported above)
    """热线一组 with 早班/中班/晚班 (the night shift 00:00–08:00) and one person per shift (WFM-1)."""
    from kefu.workforce.actions import coverage, shifts

    unit = Unit.objects.get(code="realty-cs-hotline")
    chenjie = act("chenjie")
    for code, name, starts, ends in [
        ("early", "早班", time(8), time(16)),
        ("middle", "中班", time(16), time(0)),
        ("night", "晚班", time(0), time(8)),
    ]:
        template = shifts.save_template(chenjie, unit, code=code, name=name, starts=starts, ends=ends)
        for kind in ("weekday", "weekend", "holiday"):
            coverage.set_rule(chenjie, template, kind, min_staff=1)
    return unit


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
