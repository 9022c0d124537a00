"""Audit sealing rate: does one sealer keep up with 10× the intake? (SEC-6, issue 11)

    .venv/bin/python bench/audit_seal.py --db sqlite [--events 10000]
    .venv/bin/python bench/audit_seal.py --db postgresql [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
                                         [--pg-name kefu_bench_audit]

Builds a fresh database, writes `--events` unsealed audit rows through `audit.record()` (the writers'
path: one INSERT each, committed in transactions of three rows like an intake), then times
`audit.seal_pending()` sealing all of them, and `audit.verify()` walking the sealed chain. Prints rows
per second for each and the ratio of the sealing rate to `--intake` audit rows per second (default
100: about ten per second of case intake × three rows each × 10× headroom is 300; issue 11 measured
~10 cases/s, i.e. ~30 rows/s).
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def setup_database(db: str, pg_url: str, name: str) -> None:
    data_dir = tempfile.mkdtemp(prefix="kefu-bench-")
    os.environ["KEFU_DATA_DIR"] = data_dir
    os.environ.setdefault("KEFU_SECRET_KEY", "bench-secret")
    os.environ.setdefault("KEFU_DATA_KEY", "YmVuY2gtZGF0YS1rZXktYmVuY2gtZGF0YS1rZXktMTI=")
    if db == "postgresql":
        import psycopg

        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["KEFU_DATABASE_URL"] = pg_url.rsplit("/", 1)[0] + f"/{name}"
    else:
        os.environ["KEFU_DATABASE_URL"] = f"sqlite:///{data_dir}/bench.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("KEFU_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--pg-name", default="kefu_bench_audit", help="database created (dropped first)")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--intake", type=float, default=100.0, help="audit rows per second to compare with")
    args = parser.parse_args()
    setup_database(args.db, args.pg_url, args.pg_name)

    from django.contrib.auth import get_user_model
    from django.db import transaction

    from kefu.core import audit
    from kefu.core.actor import Actor

    user = get_user_model().objects.create_user("bench")  # no password: never signs in
    actor = Actor(user=user, origin="bench")
    audit.seal_pending()
    started = time.perf_counter()
    for n in range(0, args.events, 3):
        with transaction.atomic():
            for i in range(n, min(n + 3, args.events)):
                audit.record(
                    actor,
                    "cases.case.create",
                    object_type="cases.case",
                    object_id=str(i),
                    object_repr=f"案件 {i}",
                    after={"state": "new", "title_fp": f"{i:016x}", "unit": 7, "kind": "complaint"},
                    reason="",
                )
    write_s = time.perf_counter() - started
    started = time.perf_counter()
    sealed = audit.seal_pending()
    seal_s = time.perf_counter() - started
    started = time.perf_counter()
    result = audit.verify()
    verify_s = time.perf_counter() - started
    assert sealed == args.events and result.ok and result.unsealed == 0, (sealed, result)
    rate = sealed / seal_s
    print(f"database: {args.db}   events: {args.events:,}   batch: {audit.SEAL_BATCH}")
    print(f"write (audit.record, 3 per transaction): {write_s:.2f} s   {args.events / write_s:,.0f} rows/s")
    print(f"seal (audit.seal_pending):               {seal_s:.2f} s   {rate:,.0f} rows/s")
    print(
        f"verify (audit.verify):                   {verify_s:.2f} s   {result.checked / verify_s:,.0f} rows/s"
    )
    print(f"sealing rate ÷ intake of {args.intake:,.0f} rows/s: {rate / args.intake:,.1f}×")


if __name__ == "__main__":
    main()
