"""Service cases at scale (issue 5): intake through the HTTP API, the first page of the case list,
and the SLA sweep over open cases.

    .venv/bin/python bench/cases.py intake --db postgresql   # 1,000,000 existing cases; 1, 8, 32 clients
    .venv/bin/python bench/cases.py list --db postgresql     # first page with filters; p50/p99; query count
    .venv/bin/python bench/cases.py sweep --db postgresql    # SLA sweep: 10,000 vs 1,000,000 open cases
    options: --db sqlite|postgresql --pg-url URL --db-name NAME --cases N --requests N --workers N

`intake` and `list` share one database: the demo organisation with its skill groups, N generated
cases (bulk, contacts encrypted and blind-indexed in Python, 10 % open), then the product served by
gunicorn (sync workers) and driven with concurrent clients, one HTTP connection per request, bearer
tokens. `intake` prints cases per second and p50/p99 latency next to a plain single-row INSERT rate
measured on the same database in the same run. `list` also counts the SQL queries of the list at
two sizes in-process. `sweep` builds open cases with a running resolution clock each, 1 % of them
overdue, and times `deadlines.sweep()` — each breach is the real one: decision record, escalation
to the supervisor, notifications — at 10,000 and at 1,000,000 open cases.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from claims import drive, insert_rate, setup_database, start_server, stop_server

BATCH = 5000
KINDS = ["consultation", "complaint", "suggestion", "repair", "feedback"]
STATES = ["closed"] * 8 + ["archived", "investigating"]  # 10 % open


def load_demo() -> dict:
    """The demo organisation and its case configuration; bearer tokens of two agents."""
    from django.contrib.auth import get_user_model

    from kefu import demo
    from kefu.core.actions import create_token
    from kefu.core.actor import Actor

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "bench-admin-pass")
    demo.load()
    ensure_groups()
    tokens = {}
    for username in ("zhaomin", "lina"):
        user = User.objects.get(username=username)
        tokens[username] = create_token(Actor(user=user, origin="bench"), user=user, name="bench")[1]
    return tokens


def ensure_groups() -> None:
    """Skill groups for routing, if the demo has none (so every intake is routed for real)."""
    from kefu.cases.models import Office, SkillGroup
    from kefu.org.models import Employee, Unit

    if SkillGroup.objects.exists():
        return
    hotline = SkillGroup.objects.create(
        unit=Unit.objects.get(code="realty-cs-hotline"),
        code="bench-hotline",
        name="热线组",
        office=Office.FRONT,
        families=["consultation", "suggestion", "feedback", "repair", "help_request", "service_request"],
    )
    hotline.members.set(Employee.objects.filter(user__username__in=["zhaomin", "sunli"]))
    complaints = SkillGroup.objects.create(
        unit=Unit.objects.get(code="realty-cs-complaints"),
        code="bench-complaints",
        name="投诉组",
        office=Office.BACK,
        families=["complaint"],
    )
    complaints.members.set(Employee.objects.filter(user__username="wujing"))


def phone_of(i: int) -> str:
    return f"16{i:09d}"


def generate(count: int, *, states=STATES, due_percent: float = 0.0, text=None) -> list[int]:
    """Bulk cases; with `due_percent`, every case gets a running resolution clock, that share overdue;
    `text(i)` gives case i's (title, description) (default: "工单 i", none). Returns the ids of the
    overdue ones."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from kefu.cases.models import Case, CaseKind
    from kefu.core import clock
    from kefu.core.crypto import blind_index
    from kefu.engine.workflow.models import Timer
    from kefu.org.models import Employee

    kinds = {k.code: k for k in CaseKind.objects.filter(unit__isnull=True)}
    owners = list(
        Employee.objects.filter(user__username__in=["zhaomin", "sunli", "wujing"]).select_related("unit")
    )
    now = clock.now()
    first = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    content_type = ContentType.objects.get_for_model(Case)
    due_every = int(100 / due_percent) if due_percent else 0
    overdue = []
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, count)):
            kind = kinds[KINDS[i % len(KINDS)]]
            owner = owners[i % len(owners)]
            title, description = text(i) if text else (f"工单 {i}", "")
            rows.append(
                Case(
                    number=f"KF-BENCH-{first + i:08d}",
                    kind=kind,
                    family=kind.family,
                    channel="phone",
                    state=states[i % len(states)],
                    title=title,
                    description=description,
                    contact_name=f"客户{i}",
                    contact_phone=phone_of(i),
                    contact_phone_index=blind_index(phone_of(i)),
                    unit=owner.unit,
                    owner=owner,
                    received_at=now - timedelta(minutes=i % 100_000),
                    updated_at=now,
                )
            )
        with transaction.atomic():
            created = Case.objects.bulk_create(rows)
            if due_percent:
                timers = []
                for n, case in enumerate(created, start=start):
                    late = due_every and n % due_every == 0
                    when = now - timedelta(minutes=1) if late else now + timedelta(hours=1 + n % 1000)
                    if late:
                        overdue.append(case.pk)
                    timers.append(
                        Timer(
                            content_type=content_type,
                            object_id=str(case.pk),
                            name="resolution",
                            policy_key="sla.resolution",
                            started_at=now - timedelta(days=1),
                            due_at=when,
                            next_check_at=when,
                            calendar="office",
                        )
                    )
                Timer.objects.bulk_create(timers)
    print(f"  {count:,} cases in {time.perf_counter() - started:.0f} s", flush=True)
    from kefu.cases.actions import workload

    workload.recount()  # the open-case counts routing reads (ROUTE-1): bulk rows bypass the actions
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # what autovacuum does to a live database after a bulk load
    return overdue


def attach_database(pg_url: str, name: str) -> dict:
    """Use the PostgreSQL database an earlier run left (`--keep`): no drop, no generation."""
    import tempfile

    env = {
        "KEFU_DATA_DIR": tempfile.mkdtemp(prefix="kefu-bench-"),
        "KEFU_SECRET_KEY": os.environ.get("KEFU_SECRET_KEY", "bench-secret"),
        "KEFU_DATA_KEY": os.environ.get("KEFU_DATA_KEY", "YmVuY2gtZGF0YS1rZXktYmVuY2gtZGF0YS1rZXktMTI="),
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
        "KEFU_DATABASE_URL": pg_url.rsplit("/", 1)[0] + f"/{name}",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def profile_intake(token: str) -> None:
    """One intake through the API in-process, its SQL statements counted per table (issue 11)."""
    import re
    from collections import Counter

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    body = {
        "kind": "consultation",
        "channel": "api",
        "title": "语句计数",
        "customer": {"name": "来电客户", "phone": "17999999999"},
    }
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    client.post("/api/v1/cases", body, content_type="application/json")  # warm the process caches
    with CaptureQueriesContext(connection) as captured:
        answer = client.post("/api/v1/cases", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    parts = Counter()
    for query in captured.captured_queries:
        found = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', query["sql"])
        parts[found.group(1) if found else query["sql"].split()[0]] += 1
    print(f"statements per intake (in-process, API): {len(captured)}", flush=True)
    print("  " + ", ".join(f"{table} {n}" for table, n in parts.most_common()), flush=True)


def count_list_queries(token_user: str) -> int:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kefu.cases import queries
    from kefu.core.actor import Actor

    user = get_user_model().objects.get(username=token_user)
    actor = Actor(user=user, origin="bench")
    with CaptureQueriesContext(connection) as captured:
        shown = [
            (row.kind.name, row.owner.name if row.owner else "", row.unit.name)
            for row in queries.cases(actor, state="closed", kind="complaint")[:50]
        ]
    assert shown is not None
    return len(captured)


def run_http(args, mode: str) -> None:
    count = args.cases or (1_000_000 if args.db == "postgresql" else 100_000)
    print(f"database: {args.db}, {count:,} existing cases", flush=True)
    if args.keep and args.db == "postgresql":
        env = attach_database(args.pg_url, args.db_name)  # the cases of an earlier run
        tokens = load_demo()
    else:
        env = setup_database(args.db, args.pg_url, args.db_name)
        tokens = load_demo()
        generate(count)
    if mode == "list":
        print(
            f"  list queries (first page, filtered): {count_list_queries('lina')} at {count:,} cases",
            flush=True,
        )
    else:
        profile_intake(tokens["zhaomin"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain")  # left by an earlier run (--keep)
    inserts = insert_rate()
    print(f"plain single-row INSERT (own transaction): {inserts:,.0f}/s", flush=True)
    server, port = start_server(env, args.workers)
    rng = random.Random(5)
    serial = iter(range(10**8))
    try:
        if mode == "intake":
            for clients in (1, 8, 32):
                jobs = []
                for _ in range(args.requests):
                    n = next(serial)
                    body = {
                        "kind": KINDS[n % len(KINDS)],
                        "channel": "api",
                        "title": f"基准测试工单 {n}",
                        "description": "客户来电反映小区路灯不亮，请尽快处理。",
                        "customer": {"name": f"来电客户{n}", "phone": f"17{clients:02d}{n:07d}"},
                    }
                    jobs.append(("POST", "/api/v1/cases", tokens["zhaomin"], body))
                result = drive(port, clients, jobs)
                print(
                    f"intake {clients:>2} clients: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                    f"{result['per_s']:.1f} cases/s = {result['per_s'] / inserts:.3f} × plain INSERT "
                    f"{result['statuses']}",
                    flush=True,
                )
        else:
            filters = ["state=closed&kind=complaint", "state=investigating", "overdue=true", "kind=repair"]
            for clients in (1, 8):
                jobs = [
                    ("GET", f"/api/v1/cases?{rng.choice(filters)}&limit=50", tokens["lina"], None)
                    for _ in range(args.requests)
                ]
                result = drive(port, clients, jobs)
                print(
                    f"list first page {clients:>2} clients: p50 {result['p50_ms']:.1f} ms, "
                    f"p99 {result['p99_ms']:.1f} ms, {result['per_s']:.1f}/s {result['statuses']}",
                    flush=True,
                )
    finally:
        stop_server(server)
    if mode == "list":
        generate(1000)
        print(f"  list queries after 1,000 more cases: {count_list_queries('lina')}", flush=True)


def sweep_once() -> tuple[float, int]:
    from kefu.core import memo
    from kefu.engine.workflow.actions import deadlines

    started = time.perf_counter()
    with memo.scope():  # as the worker runs every sweep
        handled = deadlines.sweep()
    return time.perf_counter() - started, handled


def run_sweep(args) -> None:
    setup_database(args.db, args.pg_url, args.db_name + "_sweep")
    load_demo()
    from django.db import connection

    print(f"kefu SLA sweep over open cases — {connection.vendor}", flush=True)
    results = {}
    existing = 0
    for label, size in (("small", args.small), ("large", args.large)):
        overdue = generate(size - existing, states=["investigating"], due_percent=1.0)
        existing = size
        seconds, handled = sweep_once()
        per_due = seconds / max(handled, 1)
        print(
            f"  {size:>9,} open cases, {len(overdue):>6,} overdue: sweep {seconds:7.2f} s, {handled:,} handled = "
            f"{per_due * 1000:6.2f} ms per overdue clock",
            flush=True,
        )
        empty, _ = sweep_once()
        print(f"  {size:>9,} open cases, nothing due: empty sweep {empty * 1000:.2f} ms", flush=True)
        results[label] = per_due
    print(
        f"ratio, time per overdue clock, {args.large:,} vs {args.small:,} open cases: "
        f"{results['large'] / results['small']:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["intake", "list", "sweep"])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--cases", type=int)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="reuse the cases of an earlier run (PostgreSQL)")
    parser.add_argument("--db-name", default="kefu_bench_cases", help="PostgreSQL database to (re)create")
    args = parser.parse_args()
    if args.mode == "sweep":
        run_sweep(args)
    else:
        run_http(args, args.mode)


if __name__ == "__main__":
    main()
