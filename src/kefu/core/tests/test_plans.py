"""core.plans: the reads whose best plan depends on the values asked for get a plan per run on
PostgreSQL (the connections prepare what they repeat; a generic plan made a past month's KPI
drill-down ten times slower at a million cases — docs/performance.md "Generic plans")."""

import pytest
from django.db import connection

from kefu.core.plans import custom_plans


@pytest.mark.django_db
def test_a_plan_per_run_inside_and_nothing_asked_of_sqlite(django_assert_max_num_queries):
    if connection.vendor != "postgresql":
        with django_assert_max_num_queries(0), custom_plans():
            pass
        return
    with custom_plans(), connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_custom_plan"


@pytest.mark.django_db(transaction=True)
def test_the_setting_ends_with_its_transaction():
    if connection.vendor != "postgresql":
        pytest.skip("plan_cache_mode is PostgreSQL's")
    with custom_plans():
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "auto"  # the intake's prepared plans are left as they were
