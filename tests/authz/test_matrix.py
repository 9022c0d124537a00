"""The authorization matrix (issue 10, "Done means"): every demo person × every write operation of the
API × a target inside their scope and one in the other subsidiary, compared with the role table.

Expected outcomes come from `table.py` (rules) and `roles.py` (the seeded roles and the demo
organisation as data) — never from the product's own permission code. A cell passes when the
response class matches: allowed (2xx, or a domain 4xx such as 400/409/422 that is not 401/403/404)
or refused — exactly 404 for a target outside the caller's reach that they cannot see, as for one
that does not exist; 403 only on a target they see or for an operation they hold no permission for
at all (`rules.refusal`). A 5xx or a 401 always fails.
# ORG-3 ORG-4 ORG-5 ORG-6 SEC-4 SEC-5 SEC-8 SEC-9 CLM-1 CLM-6 CUS-6 CASE-8
"""

import json
import os
import re

import pytest

from tests.authz.http import as_user, client
from tests.authz.known import KNOWN
from tests.authz.roles import PEOPLE_BY_NAME, USERS
from tests.authz.table import OPS, Ctx

# the django_db mark makes pytest-django create the test database (and wrap each test in a transaction)
pytestmark = pytest.mark.django_db

WRITES = {"post", "put", "patch", "delete"}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def outcome(status: int) -> str:
    if status >= 500:
        return "error"
    if status == 401:
        return "unauthenticated"
    if status in (403, 404):
        return "refused"
    return "allowed"


def _cells():
    for op in OPS:
        for user in USERS:
            for side in op.sides:
                target = op.target_for(user, side)
                if target is None:
                    continue
                reason = KNOWN.get((op.name, user, side))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(op, user, side, target, id=f"{op.name} | {user} | {side}", marks=marks)


def call(world, op, user: str, side: str, target):
    """Make the cell's request as `user`; returns the response."""
    ctx = Ctx(world, user, side, target)
    path = op.path
    if PLACEHOLDER.search(path):
        key = op.path_key(target) if op.path_key else target.key
        path = PLACEHOLDER.sub(str(world.ids[key]), path)
    if op.prepare is not None:
        op.prepare(ctx)
    body = op.body(ctx) if op.body is not None else None
    if op.auth == "anonymous":
        http = client(world)
        return http.generic(op.method, path, json.dumps(body), content_type="application/json")
    if op.multipart is not None:
        return client(world).post(path, data=op.multipart(ctx), **world.headers[user])
    return as_user(world, user, op.method, path, body, session=op.auth == "session")


def test_every_write_operation_has_a_row():
    """A new write endpoint cannot slip in untested: it needs a row in table.py (and no row is stale)."""
    from kefu.http import api

    document = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in WRITES
    }
    rows = [(op.method, op.path) for op in OPS]
    assert len(rows) == len(set(rows)), "a write operation has two rows"
    missing = sorted(operations - set(rows))
    assert not missing, f"write operations without a row in tests/authz/table.py: {missing}"
    stale = sorted(set(rows) - operations)
    assert not stale, f"rows for operations the API no longer has: {stale}"


def test_known_defects_name_real_cells():
    """Every xfail entry names a cell of the matrix (a typo would silently mark nothing)."""
    cells = {
        (op.name, user, side)
        for op in OPS
        for user in USERS
        for side in op.sides
        if op.target_for(user, side)
    }
    assert not set(KNOWN) - cells, sorted(set(KNOWN) - cells)


@pytest.mark.parametrize(("op", "user", "side", "target"), list(_cells()))
def test_cell(cell, op, user, side, target):  # ORG-3 ORG-4 ORG-5 and the op's own rules (op.rules)
    response = call(cell, op, user, side, target)
    expected = "allowed" if op.expected(user, target) else "refused"
    got = outcome(response.status_code)
    if os.environ.get("KEFU_AUTHZ_LOG"):  # one line per cell, to review what "allowed" answered
        with open(os.environ["KEFU_AUTHZ_LOG"], "a", encoding="utf-8") as log:
            detail = response.content[:160].decode(errors="replace").replace("\n", " ")
            log.write(f"{op.name}\t{user}\t{side}\t{expected}\t{response.status_code}\t{detail}\n")
    person = PEOPLE_BY_NAME[user]
    if expected == "refused" and got == "refused":
        # out of scope answers 404 like a missing record (no existence leak): 403 only where the caller
        # sees the target or holds no permission for the operation at all (rules.refusal)
        allowed = op.refusal(user, target)
        if response.status_code not in allowed:
            expected = f"refused with {' or '.join(map(str, sorted(allowed)))}"
            got = "leak"
    assert got == expected, (
        f"{op.name} ({op.rules}) as {user} {person.name} {person.roles} on {side} target "
        f"{target.key} [{target.unit}, owner {target.owner}]: expected {expected}, "
        f"got {response.status_code} {response.content[:300].decode(errors='replace')}"
    )


def test_the_role_table_is_the_seeded_one(cell):  # ORG-3 ORG-4
    """The expectations are computed from seed data: the database must hold exactly that."""
    from kefu.org.models import Employee, Role
    from tests.authz.roles import ROLE

    for role in Role.objects.filter(builtin=True):
        seeded = ROLE[role.code]
        assert (set(role.permissions), role.scope, role.supervisory_only) == (
            set(seeded.permissions),
            seeded.scope,
            seeded.supervisory_only,
        ), role.code
    for employee in Employee.objects.select_related("user", "unit").filter(user__username__in=USERS):
        person = PEOPLE_BY_NAME[employee.user.username]
        assert employee.unit.code == person.unit
        assert set(employee.role_assignments.values_list("role__code", flat=True)) == set(person.roles)
        assert employee.user.is_superuser == person.superuser
