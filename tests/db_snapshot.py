"""Replay the demo data as plain rows instead of building it again for every test.

`kefu.demo.load()` goes through every audited action (about 1.3 s on SQLite, 2.5 s on PostgreSQL)
and most tests want it. The first test that asks for it loads it for real; the rows that load wrote
are kept and later tests get them back with a few INSERTs inside their own transaction (rolled back
as usual). A replay is used only when the database is exactly as it was before that first load — the
same row count and highest key in every table — and the clock is in the same state; anything else
(a transactional test flushed the tables, a fixture wrote rows first) means a real load and a fresh
snapshot.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time

from django.db import connection, transaction
from psycopg.types.json import Jsonb

from kefu.core import clock

CHUNK = 500


@dataclass
class TableChange:
    table: str
    columns: list[str]
    pk: str
    delete_keys: list
    insert_rows: list[tuple]


@dataclass
class Snapshot:
    loader: object  # what wrote it: two loaders from the same starting state must not share a snapshot
    fingerprint: tuple
    clock_state: tuple
    changes: list[TableChange]


_snapshots: list[Snapshot] = []


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


_table_lists: dict[str, dict[str, str]] = {}


def _tables(cursor) -> dict[str, str]:
    """Every table with its primary-key column (the schema does not change during a run: kept, as
    reading it costs a query per table on PostgreSQL)."""
    if connection.alias not in _table_lists:
        _table_lists[connection.alias] = _read_tables(cursor)
    return _table_lists[connection.alias]


def _read_tables(cursor) -> dict[str, str]:
    tables = {}
    for info in connection.introspection.get_table_list(cursor):
        if info.type != "t":
            continue
        pk = connection.introspection.get_primary_key_column(cursor, info.name)
        if pk:
            tables[info.name] = pk
    return tables


def _fingerprint(cursor, tables: dict[str, str]) -> tuple:
    # one row of scalar subqueries (cheaper to plan than a union); the highest key read from the index
    parts = [
        f"(SELECT COUNT(*) FROM {_quote(name)}), "
        f"(SELECT CAST({_quote(pk)} AS TEXT) FROM {_quote(name)} ORDER BY {_quote(pk)} DESC LIMIT 1)"
        for name, pk in sorted(tables.items())
    ]
    cursor.execute("SELECT " + ", ".join(parts))
    return tuple(cursor.fetchone())


def _rows(cursor, table: str, pk: str) -> tuple[list[str], int, dict]:
    cursor.execute(f"SELECT * FROM {_quote(table)}")
    columns = [c[0] for c in cursor.description]
    index = columns.index(pk)
    return columns, index, {row[index]: row for row in cursor.fetchall()}


def _capture(cursor, tables: dict[str, str]) -> dict:
    return {name: _rows(cursor, name, pk) for name, pk in tables.items()}


def _diff(before: dict, after: dict, tables: dict[str, str]) -> list[TableChange]:
    """What the load changed, its rows ready to insert (adapted once here, not at every replay)."""
    adapt = _adapter(connection.vendor)
    changes = []
    for name, (columns, _index, rows_after) in after.items():
        rows_before = before[name][2]
        removed = [k for k in rows_before if k not in rows_after]
        changed = [k for k, row in rows_after.items() if k in rows_before and rows_before[k] != row]
        added = [k for k in rows_after if k not in rows_before]
        if removed or changed or added:
            changes.append(
                TableChange(
                    table=name,
                    columns=columns,
                    pk=tables[name],
                    delete_keys=removed + changed,
                    insert_rows=[tuple(adapt(v) for v in rows_after[k]) for k in changed + added],
                )
            )
    return changes


def _clock_state() -> tuple:
    return (clock._global["frozen"], clock._global["offset"])


def _adapter(vendor: str) -> Callable:
    def adapt(value):
        if vendor == "postgresql" and isinstance(value, dict | list):
            return Jsonb(value)
        if vendor == "sqlite" and isinstance(value, time):
            return value.isoformat()  # read back as time by Django's converter; sqlite3 has no adapter for it
        return value

    return adapt


def _replay(cursor, changes: list[TableChange]) -> None:
    for change in changes:
        table, pk = _quote(change.table), _quote(change.pk)
        for start in range(0, len(change.delete_keys), CHUNK):
            keys = change.delete_keys[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(keys))
            cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({marks})", keys)
        if change.insert_rows and connection.vendor == "postgresql":
            columns = ", ".join(_quote(c) for c in change.columns)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # one round trip
                for row in change.insert_rows:
                    copy.write_row(row)
        elif change.insert_rows:
            columns = ", ".join(_quote(c) for c in change.columns)
            marks = ", ".join(["%s"] * len(change.columns))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                change.insert_rows,
            )
    if connection.vendor == "postgresql":
        # Sequences are not rolled back; point each at the replayed rows so new rows follow them.
        moves, params = [], []
        for change in changes:
            if change.insert_rows and isinstance(change.insert_rows[0][change.columns.index(change.pk)], int):
                moves.append(
                    "setval(pg_get_serial_sequence(%s, %s), "
                    f"(SELECT MAX({_quote(change.pk)}) FROM {_quote(change.table)}))"
                )
                params += [_quote(change.table), change.pk]
        if moves:
            cursor.execute("SELECT " + ", ".join(moves), params)


def load_or_replay(load: Callable[[], object]) -> bool:
    """Run `load()` (and remember what it wrote) or replay a remembered load. True if replayed."""
    loader = getattr(load, "__code__", load)  # a lambda's code object is its definition site
    with connection.cursor() as cursor:
        tables = _tables(cursor)
        fingerprint = _fingerprint(cursor, tables)
        state = _clock_state()
        for snapshot in _snapshots:
            if (
                snapshot.loader == loader
                and snapshot.fingerprint == fingerprint
                and snapshot.clock_state == state
            ):
                # one transaction with foreign keys checked at its end: rows go in table by table, and
                # a transactional test (autocommit) would otherwise check each row as it lands
                with transaction.atomic():
                    if connection.vendor == "sqlite":
                        cursor.execute("PRAGMA defer_foreign_keys = ON")
                    _replay(cursor, snapshot.changes)
                return True
        before = _capture(cursor, tables)
    load()
    with connection.cursor() as cursor:
        after = _capture(cursor, tables)
    _snapshots.append(Snapshot(loader, fingerprint, state, _diff(before, after, tables)))
    del _snapshots[:-8]
    return False
