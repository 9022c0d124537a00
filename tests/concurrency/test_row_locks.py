"""Every row lock names the rows it means (ARCHITECTURE "Concurrency", issue 11).

On PostgreSQL `SELECT … FOR UPDATE` without `OF` locks a row of every table in the FROM clause: the
joins of `select_related` and of related-field filters. The SLA sweep locked the `django_content_type`
row of cases that way, which every intake's clock insert checks its foreign key against.
"""

import ast
from pathlib import Path

from django.db import connection
from django.test.utils import CaptureQueriesContext

import kefu
from kefu.engine.workflow.actions import deadlines
from tests.concurrency.support import demo_with_groups, overdue_cases, pg_only

SOURCE = Path(kefu.__file__).resolve().parent


def _row_locks_without_of() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "select_for_update"
                and not any(keyword.arg == "of" for keyword in node.keywords)
            ):
                found.append(f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def test_every_select_for_update_names_the_rows_it_locks():
    assert _row_locks_without_of() == []


@pg_only
def test_the_sla_sweep_locks_timer_rows_only(admin_user):  # WF-2
    people = demo_with_groups()
    overdue_cases(2, people["zhaomin"])
    with CaptureQueriesContext(connection) as queries:
        assert deadlines.sweep() == 2
    locking = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    sweep = [sql for sql in locking if sql.startswith('SELECT "workflow_timer"')]
    assert sweep and all('FOR UPDATE OF "workflow_timer" SKIP LOCKED' in sql for sql in sweep)
    assert all(" OF " in sql.split("FOR UPDATE", 1)[1] for sql in locking)
