"""A festival greeting campaign (CARE-1) over 1,000,000 customers on PostgreSQL, next to one over
10,000: the batch streams (key-set batches from its checkpoint), so time per greeting and memory
must not grow with the audience.

    .venv/bin/python bench/care.py --db postgresql                 # 10,000 and 1,000,000 customers
    .venv/bin/python bench/care.py --db sqlite --large 100000      # a smaller run on SQLite
    options: --small N --large N --pg-url URL --db-name NAME (dropped and rebuilt)

The demo organisation is loaded; the customers are bulk-generated (phones encrypted in Python, as the
archive stores them): `--small` of them in 华辰水务, `--large` in 华辰置业. For each subsidiary a 中秋
campaign (text message) is planned and started on 2026-09-22, then run to the end — in a fresh
process each, so that its peak resident memory (ru_maxrss) is that run's own. Every customer gets a
GreetingDelivery and an outbound message written in the batch's transaction, the checkpoint moving
after each batch; the messages are only queued (nobody delivers them here). Printed: customers,
seconds, greetings per second, ms per greeting, the peak RSS, and the ratio of the per-greeting cost
at the large size to the small (target ≤ 1.5).
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import setup_database

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BATCH = 5000
START = datetime(2026, 9, 22, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai, three days before 中秋 2026


def generate(unit_code: str, count: int, offset: int) -> float:
    from django.db import transaction

    from kefu.core import clock
    from kefu.core.crypto import encrypt
    from kefu.customers.models import Customer
    from kefu.org.models import Unit

    unit = Unit.objects.get(code=unit_code)
    now = clock.now()
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        rows = [
            Customer(
                name=f"客户{offset + i}",
                phone=encrypt(f"13{offset + i:09d}"),  # stored encrypted, as the archive does
                unit=unit,
                created_at=now,
                updated_at=now,
            )
            for i in range(start, min(start + BATCH, count))
        ]
        with transaction.atomic():
            Customer.objects.bulk_create(rows)
    return time.perf_counter() - started


def build(args) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from kefu import demo
    from kefu.core import clock
    from kefu.followups.actions import greetings
    from kefu.org.access import actor_for
    from kefu.org.models import Employee

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "bench-admin-pass")
    demo.load(service_cases=False)
    seconds = generate("hc-water", args.small, 0)
    print(f"  {args.small:,} customers (华辰水务) generated in {seconds:.0f} s", flush=True)
    seconds = generate("hc-realty", args.large, args.small)
    print(f"  {args.large:,} customers (华辰置业) generated in {seconds:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    campaigns = {}
    clock.freeze(datetime(2026, 9, 1, 1, 0, tzinfo=UTC))
    for size, username in (("small", "gaofeng"), ("large", "wangfang")):
        manager = Employee.objects.select_related("unit", "user").get(user__username=username)
        me = actor_for(manager.user, origin="bench")
        campaign = greetings.plan(
            me,
            manager.unit.parent,
            occasion="zhongqiu",
            year=2026,
            channel="sms",
            message="{客户姓名}您好，中秋快乐！",
        )
        campaigns[size] = campaign.pk
    clock.freeze(START)
    for pk in campaigns.values():
        from kefu.followups.models import GreetingCampaign

        greetings.start(
            actor_for(GreetingCampaign.objects.get(pk=pk).owner.user, origin="bench"),
            GreetingCampaign.objects.get(pk=pk),
        )
    return campaigns


def run_one(campaign_id: int) -> None:
    """Child process: run one campaign to the end; print its figures as JSON."""
    import django

    django.setup()
    from kefu.core import clock
    from kefu.followups.actions import greetings
    from kefu.followups.models import GreetingDelivery

    clock.freeze(START)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    greeted = greetings.run(campaign_id)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    written = GreetingDelivery.objects.filter(campaign_id=campaign_id).count()
    print(
        json.dumps(
            {
                "greeted": greeted,
                "written": written,
                "seconds": seconds,
                "rss_start_kb": before,
                "rss_peak_kb": peak,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="kefu_bench_care")
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)  # child: run this campaign
    args = parser.parse_args()
    if args.run:
        run_one(args.run)
        return
    print(f"database: {args.db}; customers {args.small:,} and {args.large:,}", flush=True)
    env = setup_database(args.db, args.pg_url, args.db_name)
    campaigns = build(args)
    results = {}
    for size in ("small", "large"):
        child = subprocess.run(
            [sys.executable, __file__, "--run", str(campaigns[size])],
            env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stdout, child.stderr, flush=True)
            raise SystemExit(1)
        result = json.loads(child.stdout.strip().splitlines()[-1])
        results[size] = result
        per = result["seconds"] / max(result["greeted"], 1) * 1000
        print(
            f"{size:>5}: {result['greeted']:,} greetings ({result['written']:,} rows) in {result['seconds']:.1f} s,"
            f" {result['greeted'] / result['seconds']:,.0f}/s, {per:.2f} ms each,"
            f" peak RSS {result['rss_peak_kb'] / 1024:.0f} MB (at start {result['rss_start_kb'] / 1024:.0f} MB)",
            flush=True,
        )
    small, large = results["small"], results["large"]
    ratio = (large["seconds"] / large["greeted"]) / (small["seconds"] / small["greeted"])
    print(f"per-greeting cost {args.large:,} vs {args.small:,}: {ratio:.2f} (target ≤ 1.5)", flush=True)


if __name__ == "__main__":
    main()
