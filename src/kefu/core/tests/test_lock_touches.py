"""Issue 11: bookkeeping writes never fail a request while another connection holds the lock they need,
and /healthz reports lock waits.

On SQLite another connection holds the database's only write lock (BEGIN IMMEDIATE), as a long import
did; on PostgreSQL it holds the row the touch writes (SELECT … FOR UPDATE). Before, the token call
answered 500 and the page 400 after the busy timeout (30 s).
"""

import contextlib
import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.db import OperationalError, connection, connections

from kefu.core import clock, locks
from kefu.core.actions import create_token
from kefu.core.actor import Actor
from kefu.core.middleware import IDLE_KEY
from kefu.core.models import ApiToken

pytestmark = pytest.mark.django_db(transaction=True)
ON_POSTGRES = connection.vendor == "postgresql"  # the lock is held from another connection


@contextmanager
def held(table: str = "", pk=None):
    """Another connection holds the write lock (SQLite) or the row `table`/`pk` (PostgreSQL)."""
    other = connections.create_connection("default")
    other.ensure_connection()
    if other.vendor == "sqlite":
        other.connection.execute("BEGIN IMMEDIATE")
    else:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE {'session_key' if table == 'django_session' else 'id'} = %s FOR UPDATE",
                [pk],
            )
        # without the touch's own bound, the test's connection would wait 5 s and fail, not forever
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '5s'")
    try:
        yield
    finally:
        if other.vendor == "sqlite":
            other.connection.execute("ROLLBACK")
        else:
            other.rollback()
        other.close()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET lock_timeout")


def test_a_token_call_answers_while_the_lock_is_held_and_the_touch_is_skipped(demo, client):
    user = demo["zhaomin"].user
    token, raw = create_token(Actor(user=user, origin="test"), user=user, name="脚本")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)  # a touch is due
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    with held("core_apitoken", token.pk):
        response = client.get("/api/v1/org/units?limit=1", **auth)
        assert response.status_code == 200, response.content
        token.refresh_from_db()
        assert token.last_used_at is None  # skipped, not waited for
    assert client.get("/api/v1/org/units?limit=1", **auth).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None  # the lock is free again: the touch is written


def test_a_page_answers_while_the_lock_is_held_and_the_idle_stamp_is_skipped(demo, client):
    client.force_login(demo["zhaomin"].user)
    assert client.get("/").status_code == 200  # stamps the session
    stamped = client.session[IDLE_KEY]
    clock.freeze(clock.now() + timedelta(minutes=1))  # the next page stamps again (every 30 s)
    try:
        with held("django_session", client.session.session_key):
            response = client.get("/")
            assert response.status_code == 200
        assert client.session[IDLE_KEY] == stamped  # skipped; the session is still signed in
        assert client.get("/").status_code == 200
        assert client.session[IDLE_KEY] != stamped
    finally:
        clock.reset()


def test_a_touch_reports_whether_it_was_written(demo):
    user = demo["zhaomin"].user
    token, _raw = create_token(Actor(user=user, origin="test"), user=user, name="脚本")

    def write():
        ApiToken.objects.filter(pk=token.pk).update(name="改名")

    with held("core_apitoken", token.pk):
        assert locks.touch("test", write, wait_ms=50) is False
    assert locks.touch("test", write, wait_ms=50) is True
    assert ApiToken.objects.get(pk=token.pk).name == "改名"


def test_healthz_reports_the_lock_waits(demo, client):
    body = client.get("/healthz").json()
    assert body["locks"]["status"] == "ok" and body["locks"]["open_batch_seconds"] == {}
    if connection.vendor != "sqlite":
        return  # PostgreSQL has no database-wide write lock; its waiting sessions are reported (below)
    with held():
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded" and body["locks"]["status"] == "blocked"
    assert body["database"]["status"] == "ok"


@pytest.mark.pg_only
@pytest.mark.skipif(not ON_POSTGRES, reason="parallel connections are tested on PostgreSQL")
def test_healthz_counts_sessions_waiting_for_a_lock_on_postgresql(demo, client):
    user = demo["zhaomin"].user
    token, _raw = create_token(Actor(user=user, origin="test"), user=user, name="脚本")
    with held("core_apitoken", token.pk):

        def wait():
            waiter = connections.create_connection("default")
            with waiter.cursor() as cursor:
                cursor.execute("SET lock_timeout = '3s'")
                with contextlib.suppress(OperationalError):  # the lock timeout ends the wait
                    cursor.execute("UPDATE core_apitoken SET name = 'x' WHERE id = %s", [token.pk])
            waiter.close()

        thread = threading.Thread(target=wait)
        thread.start()
        for _ in range(50):
            body = client.get("/healthz").json()
            if body["locks"]["waiting_sessions"]:
                break
            time.sleep(0.05)
        assert body["locks"]["waiting_sessions"] >= 1 and body["locks"]["status"] in ("waiting", "blocked")
    thread.join()
