"""Shared test fixtures. The same suite runs on SQLite and on PostgreSQL (KEFU_DATABASE_URL)."""

import itertools
from datetime import UTC, datetime

import pytest
from django.conf import settings as django_settings

from kefu.core import clock, memo
from kefu.core.actor import Actor


@pytest.fixture(autouse=True)
def _real_clock():
    # (the fast password hasher for the many users tests create is in tests/settings.py)
    clock.reset()
    # configuration kept by the process (kefu.core.memo.shared) is keyed by a token every test's
    # demo data starts from alike: start each test with nothing kept
    memo.reset_process()
    yield
    clock.reset()


@pytest.fixture(scope="session")
def _checkpoint_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("audit-checkpoints")


@pytest.fixture(autouse=True)
def _audit_checkpoints_per_test(_checkpoint_dir):
    """SEC-6 checkpoints (the worker's sweep, `kefu audit checkpoint`) go to this test's own file.

    Set directly, not through pytest-django's `settings` fixture and `tmp_path`: every test pays for
    this one, and a directory and two setting_changed signals per test added up to minutes."""
    before = django_settings.AUDIT_CHECKPOINT_FILE
    django_settings.AUDIT_CHECKPOINT_FILE = _checkpoint_dir / f"{next(_checkpoint_numbers)}.log"
    yield
    django_settings.AUDIT_CHECKPOINT_FILE = before


_checkpoint_numbers = itertools.count()


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests empty the database when they end; put the seeded rows back for the next."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from kefu.setup import ensure_reference_data

        ensure_reference_data()


@pytest.fixture
def frozen():
    """Freeze kefu's clock at a known instant; move it with clock.advance()."""
    at = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai
    clock.freeze(at)
    return at


@pytest.fixture
def admin_user(db, django_user_model):
    from django.db import connection

    if connection.vendor == "postgresql":
        # Sequences survive rollbacks; restarting this one after the committed rows gives the admin
        # the same id in every test, so the demo snapshot (tests/db_snapshot.py) can be replayed.
        table = django_user_model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM {table}",  # noqa: S608
                [table],
            )
    return django_user_model.objects.create_superuser("admin", "admin@example.invalid", "admin-pass-123")


@pytest.fixture
def admin_actor(admin_user):
    return Actor(user=admin_user, origin="test")


@pytest.fixture
def demo(db, admin_user):
    """The demo organisation (kefu demo load); every demo user's password is DEMO_PASSWORD."""
    from tests.db_snapshot import load_or_replay

    from kefu import demo as demo_data
    from kefu.org.models import Employee

    load_or_replay(lambda: demo_data.load(service_cases=False))  # the sample cases have their own test
    return {e.user.username: e for e in Employee.objects.select_related("user", "unit")}


@pytest.fixture
def actor_of():
    """actor_of(employee_or_user) → Actor for that person."""

    def make(who, **kwargs):
        user = getattr(who, "user", who)
        return Actor(user=user, origin="test", **kwargs)

    return make
