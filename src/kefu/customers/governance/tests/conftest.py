from datetime import timedelta

import pytest

from kefu.core import clock
from kefu.core.actor import Actor
from kefu.customers import actions as archive
from kefu.customers.models import Customer
from kefu.org.models import Unit


@pytest.fixture
def make_customer(demo, frozen):
    """make_customer(name, **fields): created through the archive's action, last touched `age_days` ago."""

    def make(name="客户甲", *, unit="realty-cs", age_days=365, **fields):
        customer = archive.create_customer(
            Actor.system("test"), name=name, unit=Unit.objects.get(code=unit), **fields
        )
        at = clock.now() - timedelta(days=age_days)
        Customer.objects.filter(pk=customer.pk).update(created_at=at, updated_at=at)
        customer.refresh_from_db()
        return customer

    return make


@pytest.fixture
def real_demo_load():
    """Ask for it before `demo` in a transactional test: the demo is loaded for real, not replayed.

    tests/db_snapshot.py replays rows table by table; outside a transaction (transaction=True tests)
    the database checks foreign keys row by row and the replay fails. A clock state no snapshot was
    taken under makes `load_or_replay` load instead.
    """
    clock.freeze(clock.now())
    yield
    clock.reset()
