"""Timer sweep cost: does it grow with the due timers only, not with all pending ones? (WF-2)

    .venv/bin/python bench/timers.py --db sqlite
    .venv/bin/python bench/timers.py --db postgresql [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]

Builds a fresh database, declares a bench-only timer on org.Unit, inserts pending timers in bulk
(1 % of them already due) and times one `deadlines.sweep()` with 10,000 and with 1,000,000 pending.
Prints the time per due timer at both sizes and their ratio, and the same-work ratio: a sweep of
100 due timers among 10,000 pending vs among 1,000,000 pending.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
POLICY_KEY = "sla.major_quality_notice"


def setup_database(db: str, pg_url: str) -> str:
    data_dir = tempfile.mkdtemp(prefix="kefu-bench-")
    os.environ["KEFU_DATA_DIR"] = data_dir
    os.environ.setdefault("KEFU_SECRET_KEY", "bench-secret")
    os.environ.setdefault("KEFU_DATA_KEY", "YmVuY2gtZGF0YS1rZXktYmVuY2gtZGF0YS1rZXktMTI=")
    if db == "postgresql":
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS kefu_bench_timers WITH (FORCE)")
            conn.execute("CREATE DATABASE kefu_bench_timers")
        os.environ["KEFU_DATABASE_URL"] = pg_url.rsplit("/", 1)[0] + "/kefu_bench_timers"
    else:
        os.environ["KEFU_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return os.environ["KEFU_DATABASE_URL"]


class Bench:
    def __init__(self):
        from django.contrib.contenttypes.models import ContentType

        from kefu.core import clock
        from kefu.engine.workflow.declare import Lifecycle, TimerSpec, register
        from kefu.org.models import Unit

        # a bench-only declaration: org.Unit records carry a timer whose breach only records a decision
        register(
            Lifecycle(
                model="org.Unit",
                states={"x": ("x", "x")},
                initial="x",
                transitions=(),
                timers=(TimerSpec("bench", POLICY_KEY, on_breach="notify", warn_at=None),),
                unit_field=None,
            )
        )
        self.now = clock.now()
        self.content_type = ContentType.objects.get_for_model(Unit)
        self.pending = 0
        self.targets = 0

    def targets_for(self, count: int) -> list[int]:
        """Real records for due timers to point at (the sweep loads each one)."""
        from kefu.org.models import Unit

        first = self.targets
        self.targets += count
        Unit.objects.bulk_create(
            [
                Unit(kind="team", name=f"b{n}", code=f"b{n}", path=f"/b{n}/")
                for n in range(first, first + count)
            ],
            batch_size=5000,
        )
        return list(
            Unit.objects.filter(code__in=[f"b{n}" for n in range(first, first + count)]).values_list(
                "pk", flat=True
            )
        )

    def add(self, not_due: int, due: int) -> float:
        from kefu.engine.workflow.models import Timer

        started = time.perf_counter()
        rows = []

        def flush():
            Timer.objects.bulk_create(rows, batch_size=5000)
            rows.clear()

        for pk in self.targets_for(due):
            rows.append(self._timer(str(pk), self.now - timedelta(minutes=1)))
        for n in range(not_due):
            rows.append(self._timer(f"p{self.pending + n}", self.now + timedelta(minutes=5 + n % 100_000)))
            if len(rows) >= 20_000:
                flush()
        flush()
        self.pending += not_due
        return time.perf_counter() - started

    def _timer(self, object_id: str, when):
        from kefu.engine.workflow.models import Timer

        return Timer(
            content_type=self.content_type,
            object_id=object_id,
            name="bench",
            policy_key=POLICY_KEY,
            started_at=self.now - timedelta(hours=1),
            due_at=when,
            next_check_at=when,
        )

    def sweep(self) -> tuple[float, int]:
        from kefu.engine.workflow.actions import deadlines

        started = time.perf_counter()
        handled = deadlines.sweep(self.now)
        return time.perf_counter() - started, handled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("KEFU_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--due-percent", type=float, default=1.0)
    args = parser.parse_args()
    url = setup_database(args.db, args.pg_url)
    bench = Bench()
    from django.db import connection

    print(f"kefu timer sweep — {connection.vendor} ({url.split('@')[-1]}), policy entry {POLICY_KEY}")
    results = {}
    for label, size in (("small", args.small), ("large", args.large)):
        due = int(size * args.due_percent / 100)
        load = bench.add(size - bench.pending - due, due)
        seconds, handled = bench.sweep()
        per_due = seconds / max(handled, 1)
        print(
            f"  {size:>9,} pending, {handled:>6,} due: sweep {seconds:7.2f} s = {per_due * 1000:6.2f} ms per due "
            f"timer   (bulk load {load:.0f} s)"
        )
        bench.add(0, 100)
        same, same_handled = bench.sweep()
        empty, _ = bench.sweep()
        print(
            f"  {size:>9,} pending, {same_handled:>6,} due: sweep {same:7.3f} s;  empty sweep {empty * 1000:.2f} ms"
        )
        results[label] = (per_due, same, empty)
    print(
        f"ratio, time per due timer, {args.large:,} vs {args.small:,} pending: "
        f"{results['large'][0] / results['small'][0]:.2f}"
    )
    print(
        f"ratio, same work (100 due), {args.large:,} vs {args.small:,} pending: "
        f"{results['large'][1] / results['small'][1]:.2f}"
    )


if __name__ == "__main__":
    main()
