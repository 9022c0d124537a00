"""Plans per run for reads whose best plan depends on the values asked for (a period, a unit's path).

PostgreSQL connections prepare what they repeat (`core.config.prepared_statements`, issue 11): after
five runs PostgreSQL may keep one generic plan for every value. For the KPI drill-down of a whole past
month that plan walked the case facts by case id instead of reading the month by its day index —
0.4–0.5 s instead of 40 ms at 1,000,000 cases (bench/kpis.py, docs/performance.md). `custom_plans()`
asks for a plan made for the values of each run until the transaction ends; the statements stay
prepared (parsed once). SQLite has nothing to ask.
"""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def custom_plans():
    if connection.vendor != "postgresql":
        yield
        return
    # no savepoint inside an outer transaction: SET LOCAL lasts until that one ends, harmless for reads
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL plan_cache_mode = force_custom_plan")
        yield
