"""One demo organisation for the whole matrix, each cell in a savepoint rolled back after it.

The demo is loaded (or replayed, tests/db_snapshot.py) once, the matrix's own records are built on
top through the actions (`world.build`), all inside one transaction that is rolled back at the end.
Each cell then runs in a savepoint of its own, so no write of one cell is seen by the next.
"""

import pytest
from django.db import connection, transaction
from django.test import override_settings

from kefu.core import clock
from tests.authz.world import World, build

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _admin():
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if connection.vendor == "postgresql":
        # the same admin id as the shared `admin_user` fixture, so the demo snapshot can be replayed
        table = User._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}",
                [table],
            )
    return User.objects.create_superuser("admin", "admin@example.invalid", "admin-pass-123")


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker):
    from kefu import demo
    from tests.db_snapshot import load_or_replay

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        clock.reset()
        _admin()
        load_or_replay(lambda: demo.load(service_cases=False))
        built = World()
        build(built)
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def cell(world, django_db_blocker):
    """The world, with everything the cell writes rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _django_db_marker(request):
    """Here the `django_db` mark only makes pytest-django create the test database. Each test runs
    in the package's transaction with a savepoint of its own (`cell`) instead of pytest-django's
    per-test TestCase, whose constraint check at teardown (SET CONSTRAINTS ALL IMMEDIATE) costs more
    on PostgreSQL than the cell's request itself. (Overrides pytest-django's fixture of this name.)"""
