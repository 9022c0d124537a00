"""Every staff page at scale (issue 13 "Lists that do not grow with history"): p50/p99 and statements.

    .venv/bin/python bench/pages.py --db sqlite                  # 100,000 cases, 110,000 customers
    .venv/bin/python bench/pages.py --db postgresql              # 1,000,000 cases, 1,000,000 customers
    .venv/bin/python bench/pages.py --db sqlite --keep           # the data of an earlier run, migrated
    options: --cases N --customers N --repeat N --pg-url URL --db-name NAME --data-dir DIR --only TEXT
             --roles admin,cs_supervisor,agent (default: every demo role)

Builds (or with `--keep` reuses) a database: the whole demo (organisation, sample cases, knowledge
base), `bench/cases.py`'s generated cases (10 % open, owned by the realty agents) and
`bench/claims.py`'s generated customers (all in the realty showroom team). The SQLite file lives in
`--data-dir` (default var/bench-pages); PostgreSQL uses its own database (`--db-name`). `--keep` runs the
migrations on the kept data (so a run before a change and one after it read the same rows).

Then, in-process through Django's test client (the whole request: middleware, session, view,
template — no HTTP server, so 10–20 ms of HTTP and gunicorn are not in these figures), it signs in as
one person of every demo role, follows the links of the pages that person reaches from the home page
(one page per URL shape, like tests/pages/test_chinese_only.py) plus the case list with filters and a
second customer-list page, and requests each page `--repeat` times at one client. It prints p50/p99
and the statements of each page (counted once, with the caches warm) and flags pages above 300 ms.
"""

import argparse
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]
TARGET_MS = 300  # issue 13: every staff page p99 < 300 ms at 1 client
PAGES_PER_PERSON = 60
SKIP = ("/api/", "/django-admin/", "/logout", "/i18n/", "/static/", "/media/", "/healthz", "/public/")
SKIP_SUFFIXES = (".xlsx", ".pdf", ".ics", ".csv", "/download/", "/export/", "/report/", "/template/")
HREF = re.compile(r'href="([^"#]*)"')
# pages a link does not reach by itself: the lists with their filters, a second page
EXTRA = [
    "/cases/?view=all",
    "/cases/?view=all&state=closed&kind=complaint",
    "/cases/?view=all&state=investigating",
    "/cases/?view=all&overdue=1",
    "/cases/?view=all&kind=repair",
    "/customers/?page=2",
    "/customers/?tier=key",
]


def prepare(args) -> None:
    """The database: fresh (generated) or kept from an earlier run (`--keep`), migrated."""
    data_dir = Path(args.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KEFU_SECRET_KEY", "bench-secret")
    os.environ.setdefault("KEFU_DATA_KEY", "YmVuY2gtZGF0YS1rZXktYmVuY2gtZGF0YS1rZXktMTI=")
    os.environ["KEFU_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "kefu.settings"
    fresh = not args.keep
    if args.db == "postgresql":
        import psycopg

        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db_name]).fetchone()
            if fresh or not exists:
                conn.execute(f"DROP DATABASE IF EXISTS {args.db_name} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {args.db_name}")
                fresh = True
        os.environ["KEFU_DATABASE_URL"] = args.pg_url.rsplit("/", 1)[0] + f"/{args.db_name}"
    else:
        path = data_dir / "pages.sqlite3"
        if fresh or not path.exists():
            for leftover in data_dir.glob("pages.sqlite3*"):
                leftover.unlink()
            fresh = True
        os.environ["KEFU_DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.0f} s", flush=True)
    if not fresh:
        return
    import cases as case_bench
    import claims as claims_bench

    case_bench.load_demo()
    case_count = args.cases or (1_000_000 if args.db == "postgresql" else 100_000)
    customer_count = args.customers or (1_000_000 if args.db == "postgresql" else 110_000)
    case_bench.generate(case_count)
    claims_bench.generate(customer_count, 0)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def people() -> list:
    """One signed-in person per demo role (the first holder of each), as the Chinese scan does."""
    from kefu.org.models import RoleAssignment

    found = {}
    for assignment in RoleAssignment.objects.select_related("role", "employee__user").order_by("pk"):
        found.setdefault(assignment.role.code, assignment.employee)
    return list(found.items())


def shape(path: str) -> str:
    return re.sub(r"/[a-z_]+(?:\.[a-z_]+)+(?=/|$)", "/{key}", re.sub(r"/\d+(?=/|$)", "/{n}", path))


def reachable(client) -> list[str]:
    """The pages one person reaches from the home page: one URL per shape, links followed breadth first."""
    seen: set[str] = set()
    pages = []
    queue = ["/", *EXTRA]
    while queue and len(pages) < PAGES_PER_PERSON:
        url = queue.pop(0)
        key = shape(urlsplit(url).path) + ("?" + urlsplit(url).query if url in EXTRA else "")
        if key in seen:
            continue
        seen.add(key)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages.append(url)
        for link in HREF.findall(response.content.decode()):
            link = urldefrag(link.replace("&amp;", "&"))[0]
            target = urlsplit(link)
            if target.scheme or target.netloc or not target.path.startswith("/"):
                continue
            if target.path.startswith(SKIP) or target.path.endswith(SKIP_SUFFIXES):
                continue
            if shape(target.path) not in seen:
                queue.append(link)
    return pages


def measure(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:  # warm, and count its statements
        status = client.get(url).status_code
    statements = len(captured)  # read now: the next request clears the log it slices
    took = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return {
        "status": status,
        "statements": statements,
        "p50": statistics.median(took),
        "p99": took[min(len(took) - 1, int(len(took) * 0.99))],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-name", default="kefu_bench_pages")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-pages"))
    parser.add_argument("--cases", type=int)
    parser.add_argument("--customers", type=int)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="reuse the data of an earlier run")
    parser.add_argument(
        "--only", default="", help="measure only URLs containing one of these (comma separated)"
    )
    parser.add_argument("--roles", default="", help="only these demo roles (codes, comma separated)")
    args = parser.parse_args()
    prepare(args)
    from django.db import connection
    from django.test import Client

    from kefu.cases.models import Case
    from kefu.customers.models import Customer

    print(
        f"database: {connection.vendor}, {Case.objects.count():,} cases, "
        f"{Customer.objects.count():,} customers; {args.repeat} requests per page, 1 client",
        flush=True,
    )
    results = []
    by_shape: dict[str, list[float]] = defaultdict(list)
    roles = {r for r in args.roles.split(",") if r}
    for role, employee in people():
        if roles and role not in roles:
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(employee.user)
        for url in reachable(client):
            if args.only and not any(part in url for part in args.only.split(",")):
                continue
            found = measure(client, url, args.repeat)
            results.append((role, url, found))
            by_shape[shape(urlsplit(url).path)].append(found["p99"])
            flag = "  > 300 ms" if found["p99"] > TARGET_MS else ""
            print(
                f"{role:<18} {url:<52} {found['status']} p50 {found['p50']:7.1f} ms  p99 {found['p99']:7.1f} ms"
                f"  {found['statements']:>3} statements{flag}",
                flush=True,
            )
    slow = [(role, url, f) for role, url, f in results if f["p99"] > TARGET_MS]
    print(f"\n{len(results)} pages measured for {len({r for r, _, _ in results})} roles", flush=True)
    print("slowest page shapes (worst p99 over the roles):")
    for page, p99s in sorted(by_shape.items(), key=lambda item: -max(item[1]))[:15]:
        print(f"  {page:<48} p99 {max(p99s):7.1f} ms over {len(p99s)} role(s)")
    if slow:
        print(f"{len(slow)} page(s) above {TARGET_MS} ms:")
        for role, url, found in slow:
            print(f"  {role} {url}: p99 {found['p99']:.1f} ms, {found['statements']} statements")
    else:
        print(f"every page p99 < {TARGET_MS} ms")


if __name__ == "__main__":
    main()
