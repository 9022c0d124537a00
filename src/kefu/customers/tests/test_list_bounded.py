"""The customer list does not scan and count the whole archive (issue 13 "Lists that do not grow with
history"): the total is counted up to a cap and said as "more than"; the owner filter probes each
employee instead of reading every customer; the scope is the unit ids on the customer's own column."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from kefu.web.support import CappedPaginator


def test_list_counts_up_to_the_cap_and_says_more_than(make_customer, login, monkeypatch):
    client = login("wangfang")
    for i in range(2):
        make_customer(name=f"客户{i}", kind="organisation")
    total = int(re.search(r"共 (\d+) 位客户", client.get("/customers/").content.decode()).group(1))
    monkeypatch.setattr(CappedPaginator, "cap", total + 1)
    assert f"共 {total} 位客户" in client.get("/customers/").content.decode()  # under the cap: exact
    for i in range(2):
        make_customer(name=f"更多客户{i}", kind="organisation")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/customers/").content.decode()
    assert f"超过 {total + 1} 位客户" in page and f"共 {total + 2} 位客户" not in page
    # the list's total (the badge's own aggregate is another query)
    counts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    counts = [sql for sql in counts if '"customers_customer"' in sql]
    assert counts and all(f"LIMIT {total + 2}" in sql for sql in counts)  # never a count of the archive


def test_list_reads_customers_by_unit_ids_and_owners_by_probe(make_customer, login):
    client = login("wangfang")
    make_customer(name="钱塘客户", kind="organisation")
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/customers/").content.decode()
    assert "钱塘客户" in page
    listed = [q["sql"] for q in captured.captured_queries if 'FROM "customers_customer"' in q["sql"]]
    assert listed
    for sql in listed:
        assert '"org_unit"."path" LIKE' not in sql  # the scope is not a join of the unit tree
    owners = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "org_employee"')]
    assert any("EXISTS" in sql for sql in owners)
