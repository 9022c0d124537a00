"""Issue 11: what a 报备 registration and a pre-check cost the database (CLM-1, CLM-3, CLM-4).

Counted with CaptureQueriesContext (a count, never a timing), on SQLite and PostgreSQL. Registration
went 47 → 17, the pre-check 13 → 7; the budgets follow, so a regression fails. Audit rows are allowed
what one `audit.record()` costs beyond its INSERT (nothing since the sealer).
"""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.claims.models import Claim
from kefu.claims.tests.test_api import BODY, bearer
from kefu.core import audit
from kefu.core.actor import Actor
from kefu.core.models import AuditEvent

REGISTER_BUDGET = 17  # with one INSERT per audit row
CHECK_BUDGET = 7
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)", re.I)


def _per_audit_row(user, obj) -> int:
    with CaptureQueriesContext(connection) as one:  # inside the test's transaction, as in an action's
        audit.record(Actor(user=user, origin="test"), "claims.probe", obj)
    return len(one.captured_queries)


def _measured(call):
    rows = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as seen:
        answer = call()
    return answer, seen.captured_queries, AuditEvent.objects.count() - rows


def _tables(queries, pattern):
    return [q["sql"] for q in queries if re.search(pattern, q["sql"])]


@pytest.mark.django_db
def test_registration_statements(demo):  # CLM-3, CLM-4, issue 11
    client, auth = Client(), bearer(demo["huanglei"].user)
    client.post("/api/v1/claims", BODY, content_type="application/json", **auth)  # a first one
    body = {"customer": {**BODY["customer"], "phone": "13700004444"}}
    answer, queries, audit_rows = _measured(
        lambda: client.post("/api/v1/claims", body, content_type="application/json", **auth)
    )
    assert answer.status_code == 201, answer.content
    claim = Claim.objects.get(pk=answer.json()["id"])
    allowed = REGISTER_BUDGET + audit_rows * (_per_audit_row(demo["huanglei"].user, claim) - 1)
    assert len(queries) <= allowed, (len(queries), allowed, [q["sql"][:80] for q in queries])
    assert len(_tables(queries, r'FROM "policy_policyversion"')) == 0  # kept: kefu.core.memo.shared
    assert len(_tables(queries, r'FROM "core_configgeneration"')) == 1
    assert len(_tables(queries, r'"workflow_timer"')) == 1  # the expiry timer: one INSERT
    assert len(_tables(queries, r'INTO "core_decision"')) == 1  # SEC-3, CUS-2 and CLM-3 together
    assert len(_tables(queries, r'"claims_claim"')) == 2  # the live-claim check and the INSERT
    # the answer is the claim as stored, its reminder planned with it (CLM-10)
    shown = answer.json()
    assert shown["customer_id"] == claim.customer_id and shown["owner"] == "黄磊"
    assert claim.remind_at is not None and claim.remind_at < claim.protected_until


@pytest.mark.django_db
def test_precheck_statements_and_its_only_write_is_the_audit_row(demo):  # CLM-1, issue 11
    client, auth = Client(), bearer(demo["huanglei"].user)
    client.get("/api/v1/claims/check", {"phone": "13700005550"}, **auth)
    answer, queries, audit_rows = _measured(
        lambda: client.get("/api/v1/claims/check", {"phone": "13700005555"}, **auth)
    )
    assert answer.status_code == 200 and audit_rows == 1
    probe = AuditEvent.objects.order_by("-pk").first()
    allowed = CHECK_BUDGET + (_per_audit_row(demo["huanglei"].user, probe) - 1)
    assert len(queries) <= allowed, (len(queries), allowed, [q["sql"][:80] for q in queries])
    writes = [q for q in queries if WRITE.match(q["sql"])]
    assert writes and all("core_audit" in q["sql"] for q in writes), writes
