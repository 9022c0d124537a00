"""Peak memory of a customer export (issue 13: a 110,000-customer export took a web process to 1 GiB).

    .venv/bin/python bench/export_memory.py --rows 110000            # SQLite, the embedded default
    .venv/bin/python bench/export_memory.py --rows 110000 --db postgresql

Builds a fresh database with the demo organisation, adds generated customers (phones, ID numbers and
addresses encrypted as the archive stores them) and runs the export a 客服经理 (wangfang, full data)
downloads — `export_customers`, the page's and the API's action — in a child process at a tenth of
the rows and then at all of them. Each child prints its peak resident set (ru_maxrss), the time and
the file's size; a baseline child that only starts Django and reads one customer gives the floor.
Flat memory means the two exports' peaks are close to each other, whatever the row count.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import load_demo
from claims import ROOT, setup_database


def add_customers(count: int, start: int) -> None:
    from kefu.core import clock
    from kefu.core.crypto import blind_index
    from kefu.customers.models import Customer
    from kefu.org.models import Unit

    unit = Unit.objects.get(code="realty-cs")
    now = clock.now()
    batch = []
    for i in range(start, start + count):
        phone = f"15{i:09d}"
        batch.append(
            Customer(
                name=f"导出客户{i}",
                phone=phone,
                phone_index=blind_index(phone),
                address=f"杭州市西湖区文三路 {i} 号",
                company=f"基准公司{i % 500}",
                region="杭州",
                source="基准",
                unit=unit,
                created_at=now,
                updated_at=now,
                confidentiality="secret",
            )
        )
        if len(batch) == 2000:
            Customer.objects.bulk_create(batch)
            batch = []
    if batch:
        Customer.objects.bulk_create(batch)


def child(mode: str) -> None:
    """Run in a fresh process: the export (or only Django's start, the baseline); print the figures."""
    import django

    django.setup()
    from kefu.core.actor import Actor
    from kefu.customers.governance import actions
    from kefu.customers.models import Customer
    from kefu.org.models import Employee

    started = time.perf_counter()
    if mode == "baseline":
        Customer.objects.first()
        count, size = 0, 0
    else:
        user = Employee.objects.get(user__username="wangfang").user
        content, count, _note = actions.export_customers(Actor(user=user, origin="bench"), purpose="基准")
        size = os.fstat(content.fileno()).st_size
        content.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(
        json.dumps(
            {
                "mode": mode,
                "rows": count,
                "peak_mib": round(peak / 1024, 1),
                "seconds": round(time.perf_counter() - started, 1),
                "bytes": size,
            }
        )
    )


def run_child(env: dict, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=110_000)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    env = setup_database(args.db, args.pg_url, "kefu_bench_export")
    load_demo()
    print(json.dumps(run_child(env, "baseline")))
    tenth = args.rows // 10
    add_customers(tenth, 0)
    print(json.dumps(run_child(env, "export")))
    add_customers(args.rows - tenth, tenth)
    print(json.dumps(run_child(env, "export")))


if __name__ == "__main__":
    main()
