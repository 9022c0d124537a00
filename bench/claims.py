"""报备 through the HTTP API: pre-check and registration latency, registrations per second, and the
ratio to a plain single-row INSERT on the same database (CLM-1, CLM-4).

    .venv/bin/python bench/claims.py --db sqlite                 # 100,000 customers
    .venv/bin/python bench/claims.py --db postgresql [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
                                                                 # 1,000,000 customers, 300,000 live claims
    options: --customers N --claims N --requests N --workers N --clients 1,8,16 --db-name NAME

Builds a fresh database, loads the demo organisation, bulk-generates customers (phones encrypted and
blind-indexed in Python, bulk_create in batches) and live claims (PostgreSQL), then serves the product
with gunicorn (`python -m gunicorn kefu.wsgi`, sync workers) and drives it with 1, 8 and 16 concurrent
clients (`--clients`), one HTTP connection per request, each request authenticated with a bearer token.
Prints registrations per second as a share of the plain INSERT rate, and at 8 clients against issue 11's
target (≥ 5 % of a plain single-row INSERT).
"""

import argparse
import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
BATCH = 5000
REGISTER_TARGET = 0.05  # issue 11: registration at 8 clients ≥ 5 % of a plain single-row INSERT


def setup_database(db: str, pg_url: str, name: str) -> dict:
    data_dir = tempfile.mkdtemp(prefix="kefu-bench-")
    env = {
        "KEFU_DATA_DIR": data_dir,
        "KEFU_SECRET_KEY": os.environ.get("KEFU_SECRET_KEY", "bench-secret"),
        "KEFU_DATA_KEY": os.environ.get("KEFU_DATA_KEY", "YmVuY2gtZGF0YS1rZXktYmVuY2gtZGF0YS1rZXktMTI="),
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
    }
    if db == "postgresql":
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        env["KEFU_DATABASE_URL"] = pg_url.rsplit("/", 1)[0] + f"/{name}"
    else:
        env["KEFU_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def load_people() -> list[str]:
    """The demo organisation; returns bearer tokens of the two people who may register (销售, 案场)."""
    from django.contrib.auth import get_user_model

    from kefu import demo
    from kefu.core.actions import create_token
    from kefu.core.actor import Actor

    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "bench-admin-pass")
    demo.load()
    tokens = []
    for username in ("huanglei", "heping"):
        user = User.objects.get(username=username)
        tokens.append(create_token(Actor(user=user, origin="bench"), user=user, name="bench")[1])
    return tokens


def phone_of(i: int) -> str:
    return f"15{i:09d}"


def generate(customers: int, claims: int) -> None:
    from django.db import transaction

    from kefu.claims.models import Claim
    from kefu.core import clock
    from kefu.core.crypto import blind_index
    from kefu.customers.models import Customer
    from kefu.org.models import Employee

    owner = Employee.objects.get(user__username="huanglei")
    now = clock.now()
    after = Customer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0  # the demo's own
    started = time.perf_counter()
    for start in range(0, customers, BATCH):
        rows = [
            Customer(
                name=f"客户{i}",
                phone=phone_of(i),
                phone_index=blind_index(phone_of(i)),
                address=f"杭州市西湖区文三路 {i} 号",
                unit=owner.unit,
                owner=owner,
                created_at=now,
                updated_at=now,
            )
            for i in range(start, min(start + BATCH, customers))
        ]
        with transaction.atomic():
            Customer.objects.bulk_create(rows)
    print(f"  {customers:,} customers in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    ids = Customer.objects.filter(pk__gt=after).order_by("pk").values_list("pk", "phone_index")
    batch = []
    for n, (pk, index) in enumerate(ids.iterator(chunk_size=BATCH)):
        if n >= claims:
            break
        batch.append(
            Claim(
                customer_id=pk,
                phone_index=index,
                owner=owner,
                unit=owner.unit,
                registered_at=now,
                protected_until=now + timedelta(days=7),
                policy_version=1,
            )
        )
        if len(batch) == BATCH:
            Claim.objects.bulk_create(batch)
            batch = []
    if batch:
        Claim.objects.bulk_create(batch)
    print(f"  {claims:,} live claims in {time.perf_counter() - started:.0f} s", flush=True)


def insert_rate(seconds: float = 5.0) -> float:
    """A plain single-row INSERT, one committed transaction each, on the same database."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_plain (id INTEGER PRIMARY KEY, v VARCHAR(64))")
    n = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO bench_plain (id, v) VALUES (%s, %s)", [n, f"value {n}"])
        n += 1
    return n / seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    from django.db import connections

    connections.close_all()
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kefu.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "512",
            "--log-level",
            "warning",
        ],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status in (200, 503):
                return server, port
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def call(port: int, method: str, path: str, token: str, body: dict | None = None) -> tuple[int, float]:
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {token}"}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=payload, headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def drive(port: int, clients: int, jobs: list) -> dict:
    """Run `jobs` ((method, path, token, body) tuples) with `clients` threads; latency figures."""
    lock = threading.Lock()
    queue = list(reversed(jobs))
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            status, took = call(port, *job)
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        "per_s": len(latencies) / wall,
        "statuses": statuses,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--customers", type=int)
    parser.add_argument("--claims", type=int)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--clients", default="1,8,16", help="client counts, comma separated")
    parser.add_argument(
        "--db-name", default="kefu_bench_claims", help="PostgreSQL database (dropped, rebuilt)"
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",")]
    customers = args.customers or (1_000_000 if args.db == "postgresql" else 100_000)
    claims = args.claims if args.claims is not None else (300_000 if args.db == "postgresql" else 0)
    print(f"database: {args.db}, {customers:,} customers, {claims:,} live claims", flush=True)
    env = setup_database(args.db, args.pg_url, args.db_name)
    tokens = load_people()
    generate(customers, claims)
    inserts = insert_rate()
    print(f"plain single-row INSERT (own transaction): {inserts:,.0f}/s", flush=True)
    server, port = start_server(env, args.workers)
    rng = random.Random(7)
    serial = iter(range(10**8))
    try:
        floor = drive(port, 1, [("GET", "/api/v1/org/units?limit=1", tokens[0], None)] * 100)
        print(
            f"floor: an authenticated read-only API call, 1 client: p50 {floor['p50_ms']:.1f} ms", flush=True
        )
        for clients in levels:
            checks = [
                (
                    "GET",
                    f"/api/v1/claims/check?phone={phone_of(rng.randrange(customers * 2))}",
                    tokens[i % 2],
                    None,
                )
                for i in range(args.requests)
            ]
            result = drive(port, clients, checks)
            print(
                f"pre-check   {clients:>2} clients: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms,"
                f" {result['per_s']:.0f}/s {result['statuses']}",
                flush=True,
            )
        for clients in levels:
            registrations = []
            for i in range(args.requests):
                n = next(serial)
                body = {
                    "customer": {
                        "name": f"新客户{n}",
                        "phone": f"13{clients:02d}{n:07d}",
                        "address": f"杭州市滨江区江南大道 {n} 号",
                    }
                }
                registrations.append(("POST", "/api/v1/claims", tokens[i % 2], body))
            result = drive(port, clients, registrations)
            print(
                f"register    {clients:>2} clients: p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms,"
                f" {result['per_s']:.0f}/s = {result['per_s'] / inserts:.3f} × plain INSERT {result['statuses']}",
                flush=True,
            )
            if clients == 8:
                share = result["per_s"] / inserts
                print(
                    f"register ÷ plain INSERT at 8 clients: {share:.3f} "
                    f"(issue 11 target ≥ {REGISTER_TARGET}: {'ok' if share >= REGISTER_TARGET else 'MISSED'})",
                    flush=True,
                )
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
