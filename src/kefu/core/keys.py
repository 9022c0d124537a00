"""The primary key a new row will get, known before its INSERT (issue 11).

A case's number is made of its key ("KF-20261205-000042"); knowing the key first lets intake write
the case once — numbered, routed, with its earliest deadline — instead of inserting a placeholder
and rewriting the row (every one of its indexes) a moment later.
"""

from django.db import connection


def next_id(model) -> int:
    """Reserve the key of `model`'s next row. Call inside the transaction that inserts it: on SQLite
    that transaction holds the only write lock (kefu opens transactions IMMEDIATE), so nobody takes
    the key in between; on PostgreSQL the sequence hands every caller its own (a rolled-back key is
    skipped, as any failed INSERT skips one)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            column = model._meta.pk.column
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [table, column])
            return cursor.fetchone()[0]
        # AUTOINCREMENT tables keep their high-water mark in sqlite_sequence (keys are never reused)
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f'SELECT MAX("{model._meta.pk.column}") FROM "{table}"')  # noqa: S608 — our own table
            row = cursor.fetchone()
        return (row[0] or 0) + 1
