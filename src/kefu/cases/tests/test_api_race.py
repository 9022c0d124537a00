"""Two simultaneous creates with one Idempotency-Key, each on its own database connection: exactly one
case exists; the first answers 201, the other 200 with the same case (API, CASE-1).

The race is forced, not hoped for: both requests pass the "have I seen this key?" check before
either inserts, so the database's unique key on (scope, key) is what settles it. PostgreSQL only:
SQLite serialises writers, so the race cannot happen there.
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from kefu.cases.actions import intake
from kefu.cases.models import Case, IdempotencyKey
from kefu.cases.tests.test_api_cases import BODY, bearer

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a real parallel race needs PostgreSQL"
)


@pytest.mark.django_db(transaction=True)
def test_api_two_concurrent_creates_with_one_key_make_one_case(monkeypatch, admin_user):  # API, CASE-1
    from kefu import demo as demo_data
    from kefu.org.models import Employee

    demo_data.load()
    existing = Case.objects.count()  # the demo holds cases of its own
    auth = bearer(Employee.objects.select_related("user").get(user__username="zhaomin").user)
    both_checked = threading.Barrier(2, timeout=20)
    real = intake._idempotent

    def check_then_wait(scope, key):
        found = real(scope, key)
        if found is None:
            both_checked.wait()  # neither inserts before both have looked
        return found

    monkeypatch.setattr(intake, "_idempotent", check_then_wait)
    answers = []
    lock = threading.Lock()

    def create():
        try:
            answer = Client().post(
                "/api/v1/cases",
                BODY,
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="race-1",
                **auth,
            )
            with lock:
                answers.append((answer.status_code, answer.json()))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in answers)
    assert statuses == [200, 201], answers
    assert answers[0][1]["id"] == answers[1][1]["id"]
    assert Case.objects.count() == existing + 1
    assert IdempotencyKey.objects.filter(key="race-1").count() == 1
