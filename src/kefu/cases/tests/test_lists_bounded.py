"""Case pages that do not grow with history (issue 13 "Lists that do not grow with history"): the team
page's load and overdue count read each member's open cases through the `(owner, state)` index, never
every case they ever owned; the case list counts its matches up to a cap."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kefu.cases.actions import workload
from kefu.cases.models import OPEN_STATES, Case, CaseState
from kefu.cases.queries import routing as routing_queries
from kefu.web.support import CappedPaginator


def team_page(demo) -> tuple[str, list[str]]:
    client = Client()
    client.force_login(demo["lina"].user)
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/cases/team/")
    assert page.status_code == 200
    return page.content.decode(), [q["sql"] for q in captured.captured_queries]


def close_by_bulk(cases) -> None:
    """History: cases closed long ago, as a bulk load leaves them (then the kept counts rebuilt)."""
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(state=CaseState.CLOSED, next_due_at=None)
    workload.recount()


def test_route1_team_load_counts_open_cases_only_through_the_owner_index(
    demo, groups, new_case, act, frozen
):  # ROUTE-1, issue 13
    cases = [new_case() for _ in range(5)]
    owners = {c.owner_id for c in cases}
    _, before = team_page(demo)
    close_by_bulk(cases[:3])
    for _ in range(4):
        close_by_bulk([new_case()])
    _, after = team_page(demo)
    assert len(after) <= len(before)  # more closed cases, no more statements
    agents = [sql for sql in after if 'FROM "org_employee"' in sql and '"cases_case"' in sql]
    assert agents, "the members' load is read with the members"
    for sql in agents:
        # no join of every case a member ever owned: the kept load, a subquery over their overdue cases
        assert 'JOIN "cases_case"' not in sql
        assert 'JOIN "cases_memberload"' in sql
        assert 'FROM "cases_case" U0' in sql and 'U0."next_due_at" <' in sql
    load = {a.pk: a.load for a in routing_queries.team(act("lina")).agents}
    open_now = Case.objects.filter(state__in=OPEN_STATES)
    for owner in owners:
        assert load[owner] == open_now.filter(owner_id=owner).count()


def test_case_list_counts_up_to_the_cap_and_says_more_than(demo, groups, new_case, monkeypatch, frozen):
    client = Client()
    client.force_login(demo["lina"].user)
    for _ in range(2):
        new_case()
    total = int(re.search(r"共 (\d+) 个工单", client.get("/cases/?view=all").content.decode()).group(1))
    monkeypatch.setattr(CappedPaginator, "cap", total + 1)
    assert f"共 {total} 个工单" in client.get("/cases/?view=all").content.decode()  # under the cap: exact
    for _ in range(2):
        new_case()
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/cases/?view=all").content.decode()
    assert f"超过 {total + 1} 个工单" in page and "共 " not in page.split("queue-count")[1][:80]
    # the list's total (the badge's own aggregate is another query)
    counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    counts = [sql for sql in counts if '"cases_case"' in sql]
    assert counts and all(f"LIMIT {total + 2}" in sql for sql in counts)  # never a count of every match


def _list_sql(demo, path: str) -> str:
    client = Client()
    client.force_login(demo["lina"].user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    found = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "cases_case"' in q["sql"] and "ORDER BY" in q["sql"]
    ]
    assert found, [q["sql"][:300] for q in captured.captured_queries if "cases_case" in q["sql"]]
    return found[0]


def test_open_cases_in_the_order_of_their_index_finished_ones_newest_first(demo, groups, new_case, frozen):
    # issue 13: the open list is walked in the order of `cases_open_by_deadline` (PostgreSQL) instead of
    # sorting every open case of the scope; closed cases have no deadline left and come newest first
    for _ in range(2):
        new_case()
    close_by_bulk([new_case()])
    order = _list_sql(demo, "/cases/?view=all").split("ORDER BY")[1]
    assert re.search(
        r'"next_due_at" ASC NULLS LAST, "cases_case"\."received_at" ASC, "cases_case"\."id" ASC', order
    )
    closed = _list_sql(demo, "/cases/?view=all&state=closed").split("ORDER BY")[1]
    assert re.search(r'"received_at" DESC, "cases_case"\."id" DESC', closed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_open_by_deadline'")
            (definition,) = cursor.fetchone()
        assert "(next_due_at, received_at, id)" in definition  # ASC is NULLS LAST in a btree by default
        assert all(f"'{state}'" in definition for state in OPEN_STATES)
