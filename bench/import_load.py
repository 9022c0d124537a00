"""Case intake while a large customer import runs (issue 11, "no long write transactions").

    .venv/bin/python bench/import_load.py --db sqlite --rows 50000      # the embedded default
    .venv/bin/python bench/import_load.py --db postgresql --rows 50000  # --pg-url for another server

Builds a fresh database with the demo organisation, serves it with gunicorn (2 sync workers) and starts
`kefu worker` in its own process. It measures case intake (`POST /api/v1/cases`, 1 client, bearer
token) alone, then queues an import of a generated N-row workbook (the web page's own import:
`start_import`, run by the worker: every row checked, then committed in batches) and keeps driving
intake — plus a token-authenticated read and /healthz once a second — until the import has finished.
It prints intake p50/p99/max and the answers' status codes before and during the import, the import's
duration and batches, and what /healthz said meanwhile (lock probe, open batch age, worker).
Target: intake p99 < 1 s on SQLite while a 50,000-row import runs, no 5xx.
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import KINDS, load_demo
from claims import ROOT, call, setup_database, start_server, stop_server


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["名称", "类型", "手机", "地址", "受众类别", "层级", "来源"])
    for i in range(rows):
        sheet.append(
            [f"导入客户{i}", "个人", f"15{i:09d}", f"杭州市西湖区文三路 {i} 号", "B", "普通", "基准导入"]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from kefu.cli import main; sys.exit(main(['worker', '--interval', '0.5']))",
        ],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        start_new_session=True,
    )


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "no requests"
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (
        f"{len(ordered)} requests, p50 {statistics.median(ordered) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )


def intake(port: int, token: str, serial, until) -> tuple[list[float], dict]:
    latencies, statuses = [], {}
    while not until():
        n = next(serial)
        body = {
            "kind": KINDS[n % len(KINDS)],
            "channel": "api",
            "title": f"基准测试工单 {n}",
            "description": "客户来电反映小区路灯不亮，请尽快处理。",
            "customer": {"name": f"来电客户{n}", "phone": f"17{n:09d}"},
        }
        status, took = call(port, "POST", "/api/v1/cases", token, body)
        latencies.append(took)
        statuses[status] = statuses.get(status, 0) + 1
    return latencies, statuses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--before", type=int, default=60, help="intake requests before the import")
    parser.add_argument("--web-workers", type=int, default=2)
    args = parser.parse_args()

    env = setup_database(args.db, args.pg_url, "kefu_bulk_bench_import")
    tokens = load_demo()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connections

    from kefu.core.actions import create_token
    from kefu.core.actor import Actor
    from kefu.customers.governance import actions
    from kefu.customers.governance.models import ImportJob
    from kefu.org.models import Unit

    songyu = get_user_model().objects.get(username="songyu")
    importer = Actor(user=songyu, origin="bench")
    reader = create_token(importer, user=songyu, name="bench")[1]
    content = workbook(args.rows)
    print(
        f"database: {args.db}; workbook of {args.rows:,} rows ({len(content) / 1e6:.1f} MB); batches of "
        f"{settings.KEFU_BULK_BATCH_ROWS} rows / {settings.KEFU_BULK_BATCH_MS} ms, pause "
        f"{settings.KEFU_BULK_PAUSE_MS} ms (SQLite)",
        flush=True,
    )
    connections.close_all()
    server, port = start_server(env, args.web_workers)
    worker = start_worker(env)
    serial = iter(range(10**8))
    try:
        done = iter(range(args.before))
        before, before_status = intake(port, tokens["zhaomin"], serial, lambda: next(done, None) is None)
        print(f"intake, no import:      {summary(before)} {before_status}", flush=True)

        job = actions.start_import(
            importer,
            unit=Unit.objects.get(code="realty-cs"),
            filename="bench.xlsx",
            content=content,
            existing="skip",
        )
        connections.close_all()
        started = time.perf_counter()
        finished = threading.Event()
        samples, reads = [], []

        def watch():
            while not finished.is_set():
                status, took = call(port, "GET", "/api/v1/org/units?limit=1", reader)
                reads.append((status, took))
                conn_status, body = health(port)
                samples.append((time.perf_counter() - started, conn_status, body))
                state = ImportJob.objects.values_list("status", flat=True).get(pk=job.pk)
                if state in ("done", "failed", "stopped"):
                    finished.set()
                connections.close_all()
                finished.wait(1.0)

        watcher = threading.Thread(target=watch)
        watcher.start()
        during, during_status = intake(port, tokens["zhaomin"], serial, finished.is_set)
        watcher.join()
        took = time.perf_counter() - started
        job = ImportJob.objects.get(pk=job.pk)
        print(
            f"import: {job.get_status_display()} {job.created_rows:,}/{job.total_rows:,} rows in {took:.0f} s "
            f"({job.created_rows / took:.0f} rows/s); {job.message}",
            flush=True,
        )
        print(f"intake, during import:  {summary(during)} {during_status}", flush=True)
        read_statuses = {}
        for status, _ in reads:
            read_statuses[status] = read_statuses.get(status, 0) + 1
        print(f"token read, during:     {summary([t for _, t in reads])} {read_statuses}", flush=True)
        codes, lock_states, worker_states, ages = {}, {}, {}, []
        for _, code, body in samples:
            codes[code] = codes.get(code, 0) + 1
            locks = body.get("locks", {})
            lock_states[locks.get("status")] = lock_states.get(locks.get("status"), 0) + 1
            worker_states[body.get("worker", {}).get("status")] = (
                worker_states.get(body.get("worker", {}).get("status"), 0) + 1
            )
            ages.extend(locks.get("open_batch_seconds", {}).values())
        print(
            f"/healthz during import: {len(samples)} samples, HTTP {codes}, locks {lock_states}, "
            f"worker {worker_states}, open batch age max {max(ages, default=0):.1f} s",
            flush=True,
        )
    finally:
        os.killpg(worker.pid, 15)
        worker.wait(timeout=60)
        stop_server(server)


def health(port: int) -> tuple[int, dict]:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/healthz")
    response = conn.getresponse()
    body = json.loads(response.read() or b"{}")
    conn.close()
    return response.status, body


if __name__ == "__main__":
    main()
