"""The complaint-surge detector (EMG-5, issue 17): what it costs an intake, and how fast the command
centre hears of a surge.

    .venv/bin/python bench/surges.py --db postgresql     # 20,000 background cases (default)
    options: --db sqlite|postgresql --pg-url URL --db-name NAME --cases N --requests N --phases N
             --trials N --workers N

Builds a fresh database with the demo organisation and N generated cases (bench/cases.py), serves the
product with gunicorn (sync workers) and runs the real `kefu worker` loop in a separate process.

1. Intake latency with and without the detector, same run: alternating phases (without, with, with,
   without, …), each `--requests` intakes through POST /api/v1/cases by one client. In both phases a
   worker runs every sweep of the product; in the "without" phases the surge sweep is taken out of
   it. Intake itself has no detector code: the figures show whether the sweep's reads slow intake.
2. Time from the surge's threshold case to the command centre's alert, with the worker running:
   each trial moves every process's clock 3 hours on (KEFU_CLOCK_OFFSET_FILE, as the browser tests
   do) so the window is fresh, sends threshold − 1 报修 of 华辰置业, then the threshold case; the time
   from that case's answer (its commit) to the surge row and its inbox notifications being visible
   (polled every 20 ms from another connection). p50 and max over the trials.
"""

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import generate, load_demo
from claims import ROOT, call, drive, setup_database, start_server, stop_server

WORKER = """
import sys
import django
django.setup()
from kefu.core import worker
if sys.argv[1] == "off":
    worker.SWEEPS.pop("emergency.surges", None)
w = worker.Worker(interval=1.0)
w.install_signal_handlers()
w.run()
"""


def start_worker(env: dict, detector: bool) -> subprocess.Popen:
    from django.db import connections

    connections.close_all()
    process = subprocess.Popen(
        [sys.executable, "-c", WORKER, "on" if detector else "off"],
        env={**os.environ, **env, "PYTHONPATH": str(ROOT / "src")},
        start_new_session=True,
    )
    time.sleep(3)  # its first round (every sweep once) is done before the phase starts
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=60)


def intake_jobs(token: str, n: int, kind: str, tag: str) -> list:
    body = lambda i: {  # noqa: E731
        "kind": kind,
        "channel": "phone",
        "title": f"{tag} {i}",
        "customer": {"name": "来电客户", "phone": f"179{i:08d}"},
        **({"extra": {"location": f"{i % 30 + 1}栋"}} if kind == "repair" else {}),
    }
    return [("POST", "/api/v1/cases", token, body(i)) for i in range(n)]


def latency_phases(port: int, env: dict, token: str, requests: int, phases: int) -> dict:
    results = {"without": [], "with": []}
    order = []
    for round_ in range(phases):
        order += ["without", "with"] if round_ % 2 == 0 else ["with", "without"]
    for n, mode in enumerate(order):
        worker = start_worker(env, detector=mode == "with")
        try:
            got = drive(port, 1, intake_jobs(token, requests, "consultation", f"延迟{n}"))
        finally:
            stop_worker(worker)
        assert set(got["statuses"]) == {201}, got["statuses"]
        results[mode].append(got)
        print(
            f"  phase {n + 1} {mode:7} detector: p50 {got['p50_ms']:.1f} ms, p99 {got['p99_ms']:.1f} ms",
            flush=True,
        )
    return results


def alert_trials(port: int, env: dict, token: str, trials: int, offset_file: str) -> list[float]:
    from kefu.emergency.models import Surge
    from kefu.engine.notifications.models import Notification
    from kefu.engine.policy import api as policy
    from kefu.org.models import Unit

    realty = Unit.objects.get(code="hc-realty")
    from kefu.core import clock
    from kefu.emergency.queries import surges as queries

    threshold = int(policy.lookup("emergency.surge_threshold", unit=realty).value)
    factor = float(policy.lookup("emergency.surge_factor", unit=realty).value)
    window = policy.lookup("emergency.surge_window", unit=realty).duration()
    worker = start_worker(env, detector=True)
    took = []
    try:
        for trial in range(trials):
            with open(offset_file, "w") as f:
                f.write(str((trial + 1) * 3 * 3600))
            time.sleep(2.5)  # the worker sees the new time: the last trial's surge subsides
            before = set(Surge.objects.values_list("pk", flat=True))
            now = clock.now()  # this process reads the same offset file
            earlier = queries.baseline_counts(realty, "repair", now - window, now, 7)
            needed = max(threshold, math.ceil(factor * sum(earlier) / len(earlier)))  # the background's rate
            jobs = intake_jobs(token, needed, "repair", f"水管爆裂报修{trial}")
            for job in jobs[:-1]:
                status, _ = call(port, *job)
                assert status == 201, status
            assert not Surge.objects.exclude(pk__in=before).exists(), "raised before the threshold case"
            status, _ = call(port, *jobs[-1])  # the threshold case: answered once committed
            committed = time.perf_counter()
            assert status == 201, status
            while True:
                surge = Surge.objects.exclude(pk__in=before).filter(unit=realty, family="repair").first()
                if (
                    surge is not None
                    and Notification.objects.filter(
                        template="emergency.surge_alert", target_id=str(surge.pk)
                    ).exists()
                ):
                    break
                if time.perf_counter() - committed > 30:
                    raise SystemExit("no alert within 30 s")
                time.sleep(0.02)
            took.append(time.perf_counter() - committed)
            print(
                f"  trial {trial + 1}: alert {took[-1]:.2f} s after the threshold case ({surge.count} cases)",
                flush=True,
            )
    finally:
        stop_worker(worker)
        with open(offset_file, "w") as f:
            f.write("0")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="postgresql")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--db-name", default="kefu_bench_surges", help="PostgreSQL database (dropped, rebuilt)"
    )
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=100, help="intakes per latency phase")
    parser.add_argument("--phases", type=int, default=3, help="rounds of (without, with)")
    parser.add_argument("--trials", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    offset_file = os.path.join(tempfile.mkdtemp(prefix="kefu-bench-clock-"), "offset")
    with open(offset_file, "w") as f:
        f.write("0")
    os.environ["KEFU_CLOCK_OFFSET_FILE"] = offset_file  # before django.setup(): every process reads it
    env = setup_database(args.db, args.pg_url, args.db_name)
    env["KEFU_CLOCK_OFFSET_FILE"] = offset_file
    tokens = load_demo()
    print(f"{args.db}: generating {args.cases:,} background cases", flush=True)
    generate(args.cases)
    server, port = start_server(env, args.workers)
    try:
        print(
            f"intake latency, {args.requests} intakes per phase, 1 client, {args.workers} gunicorn workers:",
            flush=True,
        )
        phases = latency_phases(port, env, tokens["zhaomin"], args.requests, args.phases)
        print(f"time to alert, {args.trials} trials (worker running, sweep every second):", flush=True)
        took = alert_trials(port, env, tokens["zhaomin"], args.trials, offset_file)
    finally:
        stop_server(server)
    print("\nsummary", flush=True)
    for mode in ("without", "with"):
        p50 = statistics.median(r["p50_ms"] for r in phases[mode])
        p99 = max(r["p99_ms"] for r in phases[mode])
        print(
            f"  intake {mode:7} detector: p50 {p50:.1f} ms (median of phases), p99 {p99:.1f} ms (worst phase)"
        )
    print(f"  time to alert: p50 {statistics.median(took):.2f} s, max {max(took):.2f} s (target < 5 s)")


if __name__ == "__main__":
    main()
