"""kefu side by side with django-helpdesk (issue 11, "Measured"): case intake against ticket creation,
each through its own REST API, on the same machine, the same PostgreSQL and the same load generator.

    .venv/bin/python bench/peer.py                                   # 10,000 items; 1, 8, 32 clients; 30 s runs
    .venv/bin/python bench/peer.py --items 1000 --seconds 10         # small, while others use the machine
    options: --pg-url URL --items N --clients 1,8,32 --seconds S --warmup S --pairs N --workers N
             --helpdesk SPEC (pip requirement, default: newest) --data-dir DIR --reuse --no-worker

What it does:
1. builds django-helpdesk in its own virtualenv under the data directory (var/bench/helpdesk-venv,
   once) and generates a minimal Django project around it (bench/helpdesk_site.py: helpdesk + its REST
   API, DRF token authentication, PostgreSQL);
2. creates two databases on one PostgreSQL — kefu_peer_kefu (`migrate`, the demo organisation with its
   skill groups, bearer token of 赵敏) and kefu_peer_helpdesk (`migrate`, an API user with a DRF token,
   one queue) — and preloads both with the same number of items (bench/cases.py's generator for kefu:
   cases with encrypted contacts, 10 % open; tickets with their opening follow-up for helpdesk, 10 %
   open), then VACUUM ANALYZE;
3. counts the SQL statements of one create in each product, in-process (bench/peer_statements.py);
4. serves both with the same gunicorn command (sync workers, `--workers`, backlog 512) — kefu also
   runs its `kefu worker` (timers, outbox; e-mail to a local SMTP sink), counted as kefu's;
5. drives both with the same closed-loop generator (bench/loadgen.py: one thread per client, its own
   HTTP connection, a new request as soon as the answer arrived; one request = create one case / one
   ticket) in alternating pairs — kefu then peer, then peer then kefu — at each client count, and
   prints per product the rate, p50/p99, CPU per item (server processes and the PostgreSQL backends
   of its database, from /proc — bench/proccpu.py), statements per create, and kefu ÷ peer with the
   issue's targets: rate ≥ 0.8 at 1 client and ≥ 1.0 at 8 and 32, CPU per item ≤ 1.5× the peer's.
"""

import argparse
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT / "src"))

import helpdesk_site  # noqa: E402
import loadgen  # noqa: E402
import proccpu  # noqa: E402
from loadgen import Summary, fmt, ratio, verdict  # noqa: E402

KEFU_DB = "kefu_peer_kefu"
PEER_DB = "kefu_peer_helpdesk"
RATE_TARGETS = {1: 0.8, 8: 1.0, 32: 1.0}  # issue 11: kefu ÷ django-helpdesk, items per second
CPU_TARGET = 1.5  # issue 11: kefu's CPU per item at most 1.5 × the peer's
DESCRIPTION = "客户来电反映小区路灯不亮，请尽快处理。"
SECRET = "bench-secret-key-not-for-production"  # noqa: S105 - a throwaway bench database
DATA_KEY = "YmVuY2gtZGF0YS1rZXktYmVuY2gtZGF0YS1rZXktMTI="


def database_url(pg_url: str, name: str) -> str:
    return pg_url.rsplit("/", 1)[0] + f"/{name}"


def create_database(pg_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Product:
    """One side of the comparison: its server processes, its database and its create request."""

    def __init__(self, name: str, python: Path, app: str, cwd: Path, env: dict, database: str):
        self.name = name
        self.python = python
        self.app = app
        self.cwd = cwd
        self.env = env
        self.database = database
        self.processes: list[subprocess.Popen] = []  # gunicorn first, then the product's workers
        self.port = 0
        self.path = ""
        self.headers: dict = {}
        self.body = None  # n -> dict
        self.version = ""

    def start(self, workers: int, ready_path: str) -> None:
        self.port = free_port()
        self.processes.append(
            subprocess.Popen(
                [
                    str(self.python),
                    "-m",
                    "gunicorn",
                    self.app,
                    "--workers",
                    str(workers),
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--backlog",
                    "512",
                    "--timeout",
                    "120",
                    "--log-level",
                    "warning",
                ],
                cwd=self.cwd,
                env=self.env,
                start_new_session=True,
            )
        )
        wait_ready(self.port, ready_path)

    def spawn(self, *command: str) -> None:
        """Another server process of this product (kefu's worker)."""
        self.processes.append(
            subprocess.Popen(list(command), cwd=self.cwd, env=self.env, start_new_session=True)
        )

    def stop(self) -> None:
        for process in self.processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def request(self, n: int) -> loadgen.Request:
        return "POST", self.path, self.headers, json.dumps(self.body(n)).encode()


def wait_ready(port: int, path: str) -> None:
    import http.client

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server on port {port} did not start")


class Backends:
    """PostgreSQL backends connected to a database (pg_stat_activity), through one monitoring
    connection to the server's maintenance database (not counted: it is in no product's database)."""

    def __init__(self, pg_url: str):
        import psycopg

        self.conn = psycopg.connect(pg_url, autocommit=True)
        row = self.conn.execute(
            "SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'"
        ).fetchone()
        self.pgss = bool(row and "pg_stat_statements" in row[0])

    def pids(self, database: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [database]
        )
        return [pid for (pid,) in rows]

    def statements(self, database: str) -> int | None:
        """Statements executed in `database` so far (pg_stat_statements, when the server loads it)."""
        if not self.pgss:
            return None
        row = self.conn.execute(
            "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = %s",
            [database],
        ).fetchone()
        return int(row[0])


def kefu_side(args, data: Path, smtp_port: int) -> Product:
    """kefu's database, migrated, with the demo organisation and `items` cases; the product."""
    env = {
        **os.environ,
        "KEFU_DATA_DIR": str(data / "kefu-data"),
        "KEFU_SECRET_KEY": os.environ.get("KEFU_SECRET_KEY", SECRET),
        "KEFU_DATA_KEY": os.environ.get("KEFU_DATA_KEY", DATA_KEY),
        "KEFU_DATABASE_URL": database_url(args.pg_url, KEFU_DB),
        "KEFU_SMTP_PORT": str(smtp_port),
        "KEFU_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "kefu.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    if not args.reuse:
        create_database(args.pg_url, KEFU_DB)
    os.environ.update(env)
    import django

    django.setup()
    from cases import generate, load_demo
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    tokens = load_demo()
    if not args.reuse:
        generate(args.items)
    connections.close_all()
    product = Product("kefu", Path(sys.executable), "kefu.wsgi", ROOT, env, KEFU_DB)
    product.path = "/api/v1/cases"
    product.headers = {"Authorization": f"Bearer {tokens['zhaomin']}", "Content-Type": "application/json"}
    tag = random.randrange(100)

    def body(n: int) -> dict:
        return {
            "kind": "consultation",
            "channel": "api",
            "title": f"路灯不亮 {n}",
            "description": DESCRIPTION,
            "customer": {"name": f"来电客户{n}", "phone": f"17{tag:02d}{n % 10**7:07d}"},
        }

    product.body = body
    return product


def peer_side(args, data: Path) -> Product:
    """django-helpdesk: its venv, the generated project, its database with `items` tickets; the product."""
    python = helpdesk_site.ensure_venv(data / "helpdesk-venv", args.helpdesk)
    project = helpdesk_site.write_project(data / "helpdesk-project")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(data)),
        "BENCH_SECRET_KEY": SECRET,
        "BENCH_DATABASE_URL": database_url(args.pg_url, PEER_DB),
        "BENCH_MEDIA_ROOT": str(data / "helpdesk-media"),
        "DJANGO_SETTINGS_MODULE": "benchsite.settings",
        "PYTHONPATH": str(project),
    }
    if not args.reuse:
        create_database(args.pg_url, PEER_DB)
    loaded = helpdesk_site.prepare(python, project, env, 0 if args.reuse else args.items)
    print(f"  django-helpdesk {loaded['version']}: {loaded['tickets']:,} tickets", flush=True)
    product = Product("django-helpdesk", python, "benchsite.wsgi", project, env, PEER_DB)
    product.path = "/api/tickets/"
    product.headers = {"Authorization": f"Token {loaded['token']}", "Content-Type": "application/json"}
    product.version = loaded["version"]

    def body(n: int) -> dict:
        return {
            "queue": loaded["queue"],
            "title": f"路灯不亮 {n}",
            "description": DESCRIPTION,
            "submitter_email": f"caller{n}@example.invalid",
            "priority": 3,
        }

    product.body = body
    return product


def count_statements(product: Product) -> dict:
    """Statements of one create, in-process with the product's own interpreter and settings; the last of
    three requests (warm caches), as bench/peer_statements.py prints them."""
    spec = {
        "path": product.path,
        "headers": {k: v for k, v in product.headers.items() if k != "Content-Type"},
        "bodies": [product.body(10**6 + i) for i in range(3)],
    }
    out = subprocess.run(
        [str(product.python), str(BENCH / "peer_statements.py"), json.dumps(spec)],
        cwd=product.cwd,
        env=product.env,
        check=True,
        capture_output=True,
        text=True,
    )
    rows = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    return rows[-1]


def measure(
    product: Product, clients: int, args, backends: Backends, serial
) -> tuple[Summary, dict[str, float], int | None]:
    """One run: the window's summary, the CPU seconds used in it by group (web: the gunicorn tree, worker:
    the product's background workers, database: the backends of its database), the statements executed
    in the database (None without pg_stat_statements)."""
    web, *workers = [p.pid for p in product.processes]
    meters = {
        "web": proccpu.CpuMeter(lambda: proccpu.descendants([web], proccpu.parents())),
        "database": proccpu.CpuMeter(lambda: backends.pids(product.database)),
    }
    if workers:
        meters["worker"] = proccpu.CpuMeter(lambda: proccpu.descendants(workers, proccpu.parents()))
    cpu: dict[str, float] = {}
    counted: list = []

    def on_start() -> None:
        counted.append(backends.statements(product.database))
        for meter in meters.values():
            meter.start()

    def on_stop() -> None:
        for group, meter in meters.items():
            cpu[group] = meter.stop()
        counted.append(backends.statements(product.database))

    summary = loadgen.closed_loop(
        "127.0.0.1",
        product.port,
        clients,
        args.seconds,
        lambda: product.request(next(serial)),
        warmup=args.warmup,
        on_start=on_start,
        on_stop=on_stop,
    )
    before, after = counted
    statements = after - before if before is not None and after is not None else None
    return summary, cpu, statements


def report(clients: int, results: dict, products: list[Product], statements: dict) -> None:
    """The pooled figures of both products at one client count, and kefu ÷ peer against the targets."""
    kefu, peer = products
    print(f"\n{clients} client{'s' if clients > 1 else ''}:")
    figures = {}
    for product in products:
        summary, cpu, executed = results[product.name]
        per_item = loadgen.per_item_ms(cpu, summary.ok)
        live = ratio(executed, summary.ok)
        figures[product.name] = (summary, per_item["total"] if per_item else None)
        split = ", ".join(
            f"{group} {ms:.1f}" for group, ms in sorted((per_item or {}).items()) if group != "total"
        )
        print(
            f"  {product.name:<16} {summary.rate:7.1f}/s  p50 {summary.p50_ms:7.1f} ms  p99 {summary.p99_ms:7.1f} ms"
            f"  CPU {fmt(per_item and per_item['total'], 1)} ms/item ({split})"
            f"  statements/create {statements[product.name]}"
            + (f" (under load {live:.1f})" if live is not None else "")
            + f"  {summary.statuses}",
            flush=True,
        )
    rate = ratio(figures[kefu.name][0].rate, figures[peer.name][0].rate)
    cpu = ratio(figures[kefu.name][1], figures[peer.name][1])
    target = RATE_TARGETS.get(clients)
    print(
        f"  kefu ÷ peer: rate {fmt(rate)}"
        + (f" (target ≥ {target}: {verdict(rate, target)})" if target else "")
        + f", CPU per item {fmt(cpu)} (target ≤ {CPU_TARGET}: {verdict(cpu, CPU_TARGET, higher_is_better=False)})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--pairs", type=int, default=2, help="alternating pairs per client count")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers, each product")
    parser.add_argument("--settle", type=float, default=2.0, help="pause between runs")
    parser.add_argument("--helpdesk", default="django-helpdesk", help="pip requirement for the peer")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--reuse", action="store_true", help="keep both databases of an earlier run")
    parser.add_argument("--no-worker", action="store_true", help="serve kefu without its worker")
    args = parser.parse_args()
    data = Path(args.data_dir).resolve()
    data.mkdir(parents=True, exist_ok=True)
    levels = [int(c) for c in args.clients.split(",")]
    print(
        f"kefu vs django-helpdesk: {args.items:,} items each, clients {levels}, {args.pairs} pair(s) of "
        f"{args.seconds:g} s runs, {args.workers} gunicorn workers each; load average at start "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores",
        flush=True,
    )
    smtp_port = free_port()
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-c",
            "aiosmtpd.handlers.Sink",
            "-l",
            f"127.0.0.1:{smtp_port}",
        ],
        start_new_session=True,
    )
    products: list[Product] = []
    try:
        print("preloading django-helpdesk …", flush=True)
        peer = peer_side(args, data)
        print("preloading kefu …", flush=True)
        kefu = kefu_side(args, data, smtp_port)
        products = [kefu, peer]
        statements = {}
        for product in products:
            counted = count_statements(product)
            statements[product.name] = counted["statements"]
            print(f"  {product.name}: one create = {counted}", flush=True)
        kefu.start(args.workers, "/healthz")
        if not args.no_worker:
            kefu.spawn(sys.executable, "-m", "kefu.cli", "worker")
        peer.start(args.workers, "/api/")
        backends = Backends(args.pg_url)
        if backends.pgss:
            print("  pg_stat_statements is loaded: statements under load are counted too", flush=True)
        serial = iter(range(10**9))
        for product in products:  # every gunicorn worker past its first requests (imports, caches)
            loadgen.closed_loop(
                "127.0.0.1",
                product.port,
                args.workers,
                args.warmup,
                lambda p=product: p.request(next(serial)),
                warmup=0,
            )
        for clients in levels:
            pooled: dict[str, list] = {p.name: [Summary(), {}, None] for p in products}
            for pair in range(args.pairs):
                for product in products if pair % 2 == 0 else list(reversed(products)):
                    summary, cpu, executed = measure(product, clients, args, backends, serial)
                    print(
                        f"  run {clients:>2} clients {product.name:<16} {summary.rate:7.1f}/s "
                        f"p50 {summary.p50_ms:7.1f} ms p99 {summary.p99_ms:7.1f} ms CPU {sum(cpu.values()):.1f} s "
                        f"{summary.statuses}",
                        flush=True,
                    )
                    total = pooled[product.name]
                    total[0] = total[0].merge(summary)
                    total[1] = loadgen.add_up(total[1], cpu)
                    if executed is not None:
                        total[2] = (total[2] or 0) + executed
                    time.sleep(args.settle)
            report(clients, {name: tuple(v) for name, v in pooled.items()}, products, statements)
        print(f"\nload average at the end {os.getloadavg()[0]:.2f}", flush=True)
    finally:
        for product in products:
            product.stop()
        os.killpg(sink.pid, signal.SIGTERM)
        sink.wait(timeout=10)


if __name__ == "__main__":
    main()
