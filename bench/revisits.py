"""Planning revisits at scale (issue 14): the periodic revisit run (FUP-1) over customers who each have
a closed case, at 10,000 and at 1,000,000 customers, on PostgreSQL.

    .venv/bin/python bench/revisits.py --db postgresql                      # 10,000 vs 1,000,000
    .venv/bin/python bench/revisits.py --db postgresql --small 2000 --large 50000   # a quick look
    options: --db sqlite|postgresql --pg-url URL --db-name NAME --small N --large N

The database is the demo organisation plus N generated customers of 华辰水务 (tier 重点, each with one
closed consultation; bulk rows), and 华辰水务's periodic plan for key customers. Each size is planned
by `followups.actions.tasks.periodic()` — the daily schedule's real run: key-set batches of customers
not revisited within the tier's period, a transaction per batch, each revisit task with its due timer,
decision record and audit row, assigned by load to the 回访专员 — in a fresh child process, which
prints its time and its peak resident memory (VmHWM). Between the sizes the revisits of the
first run are removed, so that both runs open one task per customer. Streaming means the two peaks
are close whatever the count; the ratio is the time per opened revisit, large vs small.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import setup_database

BATCH = 5000


def prepare() -> None:
    """The demo organisation and 华辰水务's periodic plan for key customers."""
    from django.contrib.auth import get_user_model

    from kefu import demo
    from kefu.followups.models import RevisitPlan, Trigger
    from kefu.org.models import Unit

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "bench-admin-pass")
    demo.load()
    from kefu.core import clock

    RevisitPlan.objects.get_or_create(
        unit=Unit.objects.get(code="hc-water"),
        trigger=Trigger.PERIODIC,
        tier="key",
        defaults={"created_at": clock.now()},
    )


def generate(count: int) -> None:
    """`count` key customers of 华辰水务's 客户服务中心, each with one closed consultation (bulk rows)."""
    from django.db import connection, transaction

    from kefu.cases.models import Case, CaseKind
    from kefu.core import clock
    from kefu.customers.models import Customer
    from kefu.org.models import Employee

    owner = Employee.objects.select_related("unit").get(user__username="lvxin")
    kind = CaseKind.objects.get(unit__isnull=True, code="consultation")
    now = clock.now()
    started = time.perf_counter()
    first = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, count, BATCH):
        with transaction.atomic():
            customers = Customer.objects.bulk_create(
                [
                    Customer(
                        name=f"回访客户{first + i}",
                        unit=owner.unit,
                        owner=owner,
                        tier="key",
                        created_at=now,
                        updated_at=now,
                    )
                    for i in range(start, min(start + BATCH, count))
                ]
            )
            Case.objects.bulk_create(
                [
                    Case(
                        number=f"KF-RV-{c.pk:09d}",
                        kind=kind,
                        family=kind.family,
                        channel="phone",
                        state="closed",
                        title="水压不足",
                        contact_name=c.name,
                        unit=owner.unit,
                        owner=owner,
                        customer=c,
                        received_at=now - timedelta(days=3),
                        updated_at=now,
                        closed_at=now - timedelta(days=1),
                    )
                    for c in customers
                ]
            )
    print(
        f"  {count:,} customers with a closed case each in {time.perf_counter() - started:.0f} s", flush=True
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def forget_revisits() -> None:
    """Remove the revisits (and their timers, decisions and audit rows) of an earlier run."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from kefu.followups.models import RevisitTask

    kind = ContentType.objects.get_for_model(RevisitTask).pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflow_timer WHERE content_type_id = %s", [kind])
        cursor.execute("DELETE FROM core_decision WHERE content_type_id = %s", [kind])
        cursor.execute("DELETE FROM core_auditevent WHERE action = 'followups.task.open'")
        cursor.execute("DELETE FROM followups_revisitattempt")
        cursor.execute("DELETE FROM followups_revisittask")
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")


def high_water_kib() -> int:
    """This process's peak resident set (VmHWM): unlike ru_maxrss it does not carry the parent's peak
    across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child() -> None:
    """One periodic run, in a fresh process: time, tasks opened, peak memory."""
    import django

    django.setup()
    from django.db import connection

    from kefu.core import memo
    from kefu.followups.actions import tasks

    before = high_water_kib()
    started = time.perf_counter()
    with memo.scope():
        opened = tasks.periodic()
    seconds = time.perf_counter() - started
    peak = high_water_kib()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "opened": opened,
                "peak_mib": round(peak / 1024, 1),
                "start_mib": round(before / 1024, 1),
                "vendor": connection.vendor,
            }
        )
    )


def run_child(env: dict) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child"], env={**os.environ, **env}, capture_output=True, text=True
    )
    if out.returncode:
        print(out.stderr, file=sys.stderr)
        raise SystemExit(out.returncode)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="kefu_bench_revisits")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.child:
        child()
        return
    env = setup_database(args.db, args.pg_url, args.db_name)
    prepare()
    from django.db import connection

    print(f"kefu periodic revisit run over customers with closed cases — {connection.vendor}", flush=True)
    results, existing = {}, 0
    for label, size in (("small", args.small), ("large", args.large)):
        generate(size - existing)
        existing = size
        forget_revisits()
        run = run_child(env)
        per_item = run["seconds"] / max(run["opened"], 1)
        print(
            f"  {size:>9,} customers: {run['opened']:,} revisits opened in {run['seconds']:8.2f} s = "
            f"{per_item * 1e6:7.1f} µs per revisit; peak memory {run['peak_mib']} MiB "
            f"(process start {run['start_mib']} MiB)",
            flush=True,
        )
        results[label] = (per_item, run["peak_mib"])
    print(
        f"ratio, time per revisit, {args.large:,} vs {args.small:,}: {results['large'][0] / results['small'][0]:.2f}; "
        f"peak memory {results['large'][1]} vs {results['small'][1]} MiB"
    )


if __name__ == "__main__":
    main()
